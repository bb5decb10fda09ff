import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import { checkMutant, leaksIn, TIME_BOUND_MS } from './fuzz-check';
import { FAMILY_NAMES, loadSeeds, makeMutant, SMALL_SCALE, SYNTAXES, type SeedPool } from './hostile-mutants';

/**
 * The seeded mutation fuzz, small enough for every `npm test`: each mutation family on each syntax
 * family a few times, at a fraction of the long run's sizes (a 4 KB line or list instead of a
 * megabyte, nesting 200 deep instead of 5,000, a bomb of 4^6 leaves). The long run is
 * `node --import tsx bench/fuzz.ts`; this one holds the same bar: no crash, no file over the time
 * bound, no planted secret in any output.
 *
 * KEYLESS_FUZZ_SEED picks another run seed; a failure prints the index to rebuild the mutant with.
 */

const SEED = Number(process.env.KEYLESS_FUZZ_SEED ?? 0x73656564);
const PER_FAMILY_AND_SYNTAX = 2;

let engine: Engine;
let pool: SeedPool;
before(async () => {
  engine = await createEngine();
  pool = loadSeeds();
});

describe('seeded hostile mutants', () => {
  test('the leak check finds a planted value, whole or by its middle, in any output', () => {
    const plant = { keyId: 'AKIAFUZZSELFTEST0001', secret: 'Fk3selftest/wJalrXUtnFEMI/K7MDENGbPxRfiC', where: 'a test' };
    assert.deepEqual(leaksIn([plant], { text: 'nothing here', json: '"AKIA…01"' }), []);
    assert.equal(leaksIn([plant], { sarif: `x ${plant.secret} y` }).length, 2, 'the whole secret and its middle');
    assert.deepEqual(leaksIn([plant], { lsp: `"${plant.keyId.slice(4, 18)}"` }), ['middle of the access key id (planted a test) in lsp']);
  });

  for (const syntax of SYNTAXES) {
    test(`${syntax}: every family, no crash, no slow file, no planted secret in any output`, { timeout: 120_000 }, (t) => {
      assert.ok(pool.bySyntax[syntax].length > 0, `${syntax} seeds found`);
      const failures: string[] = [];
      let mutants = 0;
      let planted = 0;
      let slowest = 0;
      FAMILY_NAMES.forEach((family, f) => {
        for (let k = 0; k < PER_FAMILY_AND_SYNTAX; k++) {
          const index = f * PER_FAMILY_AND_SYNTAX + k;
          const mutant = makeMutant(pool, syntax, SEED, index, SMALL_SCALE, family);
          let outcome = checkMutant(engine, mutant, { extras: k === 0 });
          // Once more before calling it slow: the test machine is shared.
          if (outcome.ms >= TIME_BOUND_MS) outcome = { ...outcome, ms: Math.min(outcome.ms, checkMutant(engine, mutant).ms) };
          mutants++;
          planted += mutant.planted.length;
          slowest = Math.max(slowest, outcome.ms);
          const problems = [
            ...(outcome.crash ? [`crash: ${outcome.crash}`] : []),
            ...(outcome.ms >= TIME_BOUND_MS ? [`slow: ${outcome.ms.toFixed(0)} ms`] : []),
            ...outcome.leaks.map((l) => `leak: ${l}`),
          ];
          if (problems.length > 0) failures.push(`${syntax}:${index} (${family} of ${mutant.source}, KEYLESS_FUZZ_SEED=${SEED}): ${problems.join('; ')}`);
        }
      });
      t.diagnostic(`${syntax}: ${mutants} mutants, ${planted} planted key pairs, slowest ${slowest.toFixed(0)} ms`);
      assert.ok(planted >= mutants / 2, 'most mutants carry a planted pair');
      assert.deepEqual(failures, []);
    });
  }
});
