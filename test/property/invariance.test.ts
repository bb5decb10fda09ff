import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { syntaxOf } from '../../server/src/dialects/detect';
import { Engine, type FileReport } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import { seedSets, type Seed } from './seeds';

/**
 * Metamorphic properties over every seed file: rewriting a file in ways that do not change its
 * meaning must not change its findings. Line endings (LF ↔ CRLF) and a byte-order mark are what
 * editors and Windows checkouts do to files without asking.
 */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

/** Findings as rule and range; `firstLineShift` is subtracted from characters on line 0. */
function signature(report: FileReport, firstLineShift = 0): string[] {
  const at = (p: { line: number; character: number }): string => `${p.line}:${p.line === 0 ? p.character - firstLineShift : p.character}`;
  return report.findings.map((f) => `${f.rule}@${at(f.range.start)}-${at(f.range.end)}`);
}

const lf = (text: string): string => text.replace(/\r\n/g, '\n');

describe('findings do not depend on how lines end or on a byte-order mark', () => {
  for (const set of seedSets('line-ending and BOM invariance')) {
    const seeds = (): Seed[] => set.seeds().filter((seed) => syntaxOf(seed.path) !== null);

    test(`LF and CRLF give the same findings at the same ranges (${set.label})`, { skip: set.skip }, (t) => {
      const mismatches: string[] = [];
      const all = seeds();
      for (const seed of all) {
        const text = lf(seed.text);
        const expected = signature(engine.analyze({ path: seed.path, text }));
        const actual = signature(engine.analyze({ path: seed.path, text: text.replace(/\n/g, '\r\n') }));
        if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${seed.source}: LF ${expected.join(', ')} | CRLF ${actual.join(', ')}`);
      }
      t.diagnostic(`${all.length} files compared`);
      assert.ok(all.length > 0, 'seeds found');
      assert.deepEqual(mismatches, []);
    });

    test(`a BOM changes nothing in JSON and HCL files (a column on line 1 counts the mark) (${set.label})`, { skip: set.skip }, () => {
      const mismatches: string[] = [];
      for (const seed of seeds().filter((s) => syntaxOf(s.path) !== 'yaml')) {
        const expected = signature(engine.analyze({ path: seed.path, text: seed.text }));
        const actual = signature(engine.analyze({ path: seed.path, text: `\ufeff${seed.text}` }), 1);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${seed.source}: ${expected.join(', ')} | with BOM ${actual.join(', ')}`);
      }
      assert.deepEqual(mismatches, []);
    });

    test(`a BOM changes nothing in YAML files (${set.label})`, { skip: set.skip }, () => {
      const mismatches: string[] = [];
      for (const seed of seeds().filter((s) => syntaxOf(s.path) === 'yaml')) {
        const expected = signature(engine.analyze({ path: seed.path, text: seed.text }));
        const actual = signature(engine.analyze({ path: seed.path, text: `\ufeff${seed.text}` }), 1);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${seed.source}: ${expected.join(', ')} | with BOM ${actual.join(', ')}`);
      }
      assert.deepEqual(mismatches, []);
    });
  }
});
