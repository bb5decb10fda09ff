import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { RULES } from '../../server/src/rules';
import { unlessShared } from '../shared';
import { corpusAvailable, judge, readManifest, scanEntry, type EntryVerdict } from './corpus';

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
      engine = await Engine.create();
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
        for (const x of verdict.hits) tally(x.rule, 'hits');
        for (const x of verdict.misses) tally(x.rule, 'misses');
        for (const x of verdict.forbidden) tally(x.rule, 'forbidden');
        for (const x of verdict.pending) tally(x.rule, 'pending');
        const seen = findings.map((f) => `${f.rule}@${f.line}`).join(', ') || 'none';
        assert.deepEqual(verdict.misses, [], `expected findings missing (Keyless reported: ${seen})`);
        assert.deepEqual(verdict.forbidden, [], 'forbidden findings reported');
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
