import assert from 'node:assert/strict';
import { before, test, type TestContext } from 'node:test';
import { Engine, type FileReport } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import type { Finding, Fix } from '../../server/src/core/finding';
import { applyEdits } from '../../server/src/fixes/text';
import { unlessShared } from '../shared';
import { corpusSeeds, fixtureSeeds, type Seed } from './seeds';

/**
 * Fix safety, as a property over every fixture and every corpus file: each fix Keyless offers
 *  1. edits only its own ranges — the edits do not overlap, and every comment line of the file
 *     outside them is still there;
 *  2. leaves files that parse (no more syntax errors than before, none in files it creates);
 *  3. removes its finding (one fewer finding of that rule in the file);
 *  4. is idempotent: once applied, the same fix is not offered again for it (one fewer fix of that
 *     title), so `keyless fix` run twice changes nothing the second time.
 */
let engine: Engine;
before(async () => {
  engine = await createEngine();
});

interface Checked {
  fixes: number;
  byTitle: Map<string, number>;
}

function count<T>(items: readonly T[], keep: (item: T) => boolean): number {
  return items.reduce((n, item) => n + (keep(item) ? 1 : 0), 0);
}

function commentLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => /^\s*(?:#|\/\/)/.test(line));
}

function checkFix(seed: Seed, report: FileReport, finding: Finding, fix: Fix): void {
  const label = `${seed.source}: ${finding.rule} at ${finding.range.start.line + 1}: "${fix.title}"`;
  const own = fix.edits.filter((e) => e.path === seed.path && !(fix.creates ?? []).includes(e.path));
  const sorted = [...own].sort((a, b) => a.span.start - b.span.start);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1]!.span.end <= sorted[i]!.span.start, `${label}: overlapping edits`);
  const fixed = applyEdits(seed.text, own);

  // 1. Comments outside the edited ranges survive.
  const untouched = seed.text.split(/\r?\n/).filter((_, line) => !own.some((e) => e.range.start.line <= line && line <= e.range.end.line && e.span.start !== e.span.end));
  const after = commentLines(fixed);
  for (const comment of commentLines(untouched.join('\n'))) assert.ok(after.includes(comment), `${label}: lost the comment ${JSON.stringify(comment.trim())}`);

  // 2. Still parses.
  const again = engine.analyze({ path: seed.path, text: fixed });
  assert.ok(again.errors.length <= report.errors.length, `${label}: introduced syntax errors: ${again.errors.map((e) => e.message).join('; ')}`);
  assert.equal(again.dialect, report.dialect, `${label}: the file is no longer recognised as ${report.dialect}`);
  for (const created of fix.creates ?? []) {
    const text = fix.edits.filter((e) => e.path === created).map((e) => e.newText).join('');
    const createdReport = engine.analyze({ path: created, text });
    assert.deepEqual(createdReport.errors, [], `${label}: the created file ${created} does not parse`);
  }

  // 3. Its finding is gone.
  const before = count(report.findings, (f) => f.rule === finding.rule);
  const left = count(again.findings, (f) => f.rule === finding.rule);
  assert.ok(left < before, `${label}: the finding is still reported (${before} before, ${left} after)`);

  // 4. Not offered again.
  const offeredBefore = count(report.findings.flatMap((f) => f.fixes), (f) => f.title === fix.title);
  const offeredAfter = count(again.findings.flatMap((f) => f.fixes), (f) => f.title === fix.title);
  assert.ok(offeredAfter < offeredBefore, `${label}: the fix is offered again after it was applied`);
}

function checkSeeds(t: TestContext, seeds: readonly Seed[]): Checked {
  const checked: Checked = { fixes: 0, byTitle: new Map() };
  for (const seed of seeds) {
    const report = engine.analyze({ path: seed.path, text: seed.text });
    for (const finding of report.findings) {
      for (const fix of finding.fixes) {
        checkFix(seed, report, finding, fix);
        checked.fixes++;
        const kind = fix.title.replace(/"[^"]*"/g, '"…"').replace(/\b(?:hardcoded-secret|static-[a-z-]+|[a-z]+-[a-z-]+) on this line/, '<rule> on this line');
        checked.byTitle.set(kind, (checked.byTitle.get(kind) ?? 0) + 1);
      }
    }
  }
  t.diagnostic(`${checked.fixes} fixes applied and checked`);
  return checked;
}

test('every fix of every repository fixture is safe', (t) => {
  const checked = checkSeeds(t, fixtureSeeds());
  for (const [title, n] of [...checked.byTitle].sort()) t.diagnostic(`${n} × ${title}`);
  assert.ok(checked.fixes > 50);
});

test('every fix on the public corpus is safe', { skip: unlessShared('corpus', 'fix safety on the corpus') }, (t) => {
  checkSeeds(t, corpusSeeds() ?? []);
});
