import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import { RULES } from '../../server/src/rules';
import { unlessShared } from '../shared';
import { corpusAvailable, judge, readManifest, scanEntry, type EntryVerdict } from './corpus';
import { MANIFEST_DISAGREEMENTS } from './disagreements';

/**
 * Layer 4 of the test plan: every corpus file scans without an internal error, and every
 * expectation and prohibition of the manifest holds for the rules Keyless ships. Expectations of
 * rules not shipped yet are counted as pending, so that each new rule is held to the corpus the
 * moment it is added to RULES.
 */
const shipped = new Set(RULES.map((r) => r.id));

if (!corpusAvailable()) {
  // One test, reported as skipped with its reason: the runner's summary counts it.
  test('public corpus', { skip: unlessShared('corpus/manifest.json', 'the corpus manifest\'s expectations') }, () => {});
} else {
  describe('public corpus (../shared/corpus)', () => {
    let engine: Engine;
    const totals = new Map<string, { hits: number; misses: number; forbidden: number; pending: number }>();
    const tally = (rule: string, key: 'hits' | 'misses' | 'forbidden' | 'pending'): void => {
      const row = totals.get(rule) ?? { hits: 0, misses: 0, forbidden: 0, pending: 0 };
      row[key]++;
      totals.set(rule, row);
    };

    before(async () => {
      engine = await createEngine();
    });

    for (const entry of readManifest()) {
      const label = entry.snippet ? `${entry.file} [${entry.snippet.key.join('.')}]` : entry.file;
      test(label, () => {
        const { findings, reports, ruleErrors } = scanEntry(engine, entry);
        assert.deepEqual(ruleErrors, [], 'no rule may throw on a corpus file');
        for (const report of reports) {
          const crash = report.errors.find((e) => /parser failed/.test(e.message));
          assert.equal(crash, undefined, `${report.path}: the parser crashed`);
        }
        const verdict: EntryVerdict = judge(entry, findings, shipped);
        // Findings the catalog asks for where the manifest forbids them: reported as TODOs below.
        const disagreements = MANIFEST_DISAGREEMENTS.filter((d) => d.file === entry.file);
        verdict.forbidden = verdict.forbidden.filter((x) => !disagreements.some((d) => d.rule === x.rule && d.lines.includes(x.line)));
        for (const x of verdict.hits) tally(x.rule, 'hits');
        for (const x of verdict.misses) tally(x.rule, 'misses');
        for (const x of verdict.forbidden) tally(x.rule, 'forbidden');
        for (const x of verdict.pending) tally(x.rule, 'pending');
        const seen = findings.map((f) => `${f.rule}@${f.line}`).join(', ') || 'none';
        assert.deepEqual(verdict.misses, [], `expected findings missing (Keyless reported: ${seen})`);
        assert.deepEqual(verdict.forbidden, [], 'forbidden findings reported');
      });
    }

    for (const d of MANIFEST_DISAGREEMENTS) {
      test(`manifest disagrees with RULES.md: ${d.rule} in ${d.file}`, { todo: d.reason }, () => {
        const entry = readManifest().find((e) => e.file === d.file);
        assert.ok(entry, 'the manifest still has this entry');
        const lines = scanEntry(engine, entry).findings.filter((f) => f.rule === d.rule).map((f) => f.line);
        assert.deepEqual(lines, d.lines, 'Keyless reports what the catalog asks for');
        assert.ok(entry.forbid.includes(d.rule), 'the manifest still forbids it (remove this disagreement once it does not)');
      });
    }

    after(() => {
      // A per-rule report, as the corpus README suggests; printed through the runner's diagnostics.
      for (const [rule, row] of [...totals].sort()) {
        const state = shipped.has(rule) ? `${row.hits} hit, ${row.misses} missed, ${row.forbidden} forbidden` : `${row.pending} pending (rule not shipped yet)`;
        console.log(`# corpus ${rule}: ${state}`);
      }
    });
  });
}
