import assert from 'node:assert/strict';
import { before, describe, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine, readHclWasm } from '../../server/src/workspace/grammar';
import { loadHcl, parseHcl } from '../../server/src/syntax/hcl';
import { parseJson } from '../../server/src/syntax/json';
import type { ParseError } from '../../server/src/syntax/parse-error';
import { parseYaml } from '../../server/src/syntax/yaml';
import { assertReportWellFormed, assertSpanWithin, assertTreeWithin } from '../syntax/hostile';
import { applyMutations, mutations, type Mutation } from './mutations';
import { unlessShared } from '../shared';
import { corpusSeeds, fixtureSeeds, type Seed } from './seeds';

/**
 * Property: no mutant of any fixture breaks the pipeline. Every file under `test/**\/fixtures/`
 * (collected when the suite runs, so new rule fixtures join without a change here) and every file
 * of ../shared/corpus is mutated (truncated, bit-flipped, structure characters inserted, lines
 * shuffled or duplicated, nesting deepened, line endings swapped, a BOM prefixed) and each mutant
 * goes through all three parsers and through `Engine.analyze` under the seed's path, so that
 * dialect detection and every rule of that dialect see it. Nothing may throw, no rule may fail,
 * every finding must point inside the text, and no file may take longer than TIME_BOUND_MS.
 *
 * Reproducible by default (a fixed seed). To explore:
 *   KEYLESS_FUZZ_SEED=<int>   another fast-check seed (each file derives its own from it)
 *   KEYLESS_FUZZ_RUNS=<int>   mutants per seed file (default DEFAULT_RUNS)
 * A failure names the seed file, the fast-check seed and the shrunk list of mutations.
 */

const DEFAULT_SEED = 0x6b6c7373;
const DEFAULT_RUNS = 32;
/** Per mutant; the slowest observed is printed. Generous for a loaded two-core CI runner. */
const TIME_BOUND_MS = 2_000;

const baseSeed = intFromEnv('KEYLESS_FUZZ_SEED', DEFAULT_SEED);
const runsPerFile = intFromEnv('KEYLESS_FUZZ_RUNS', DEFAULT_RUNS);

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** A stable 32-bit hash (FNV-1a), so each file's fast-check seed survives files being added. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

type HclParser = Awaited<ReturnType<typeof loadHcl>>;
let engine: Engine;
let hcl: HclParser;
before(async () => {
  engine = await createEngine();
  hcl = await loadHcl(readHclWasm());
});

interface Stats {
  mutants: number;
  files: number;
  maxMs: number;
  maxSource: string;
  totalMs: number;
}

function checkErrors(errors: readonly ParseError[], text: string, what: string): void {
  for (const e of errors) assertSpanWithin(e.span, text, `${what} error "${e.message}"`);
}

/** One mutant through every parser and through the engine; throws (an assertion) on any breach. */
function checkMutant(seed: Seed, text: string, stats: Stats): void {
  const yaml = parseYaml(text);
  checkErrors(yaml.errors, text, 'parseYaml');
  for (const doc of yaml.documents) assertTreeWithin(doc.root, text, 'parseYaml');
  const json = parseJson(text);
  checkErrors(json.errors, text, 'parseJson');
  assertTreeWithin(json.root, text, 'parseJson');
  const tree = parseHcl(hcl, text);
  try {
    checkErrors(tree.errors, text, 'parseHcl');
  } finally {
    tree.tree?.delete();
  }

  const ruleErrors: string[] = [];
  const start = performance.now();
  const report = engine.analyze({ path: seed.path, text }, { onRuleError: (rule, error) => ruleErrors.push(`${rule.id}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`) });
  const ms = performance.now() - start;
  stats.mutants++;
  stats.totalMs += ms;
  if (ms > stats.maxMs) {
    stats.maxMs = ms;
    stats.maxSource = seed.source;
  }
  assert.deepEqual(ruleErrors, [], 'no rule throws');
  assertReportWellFormed(report, text);
  assert.ok(ms < TIME_BOUND_MS, `analyzed in ${ms.toFixed(0)} ms (bound ${TIME_BOUND_MS} ms)`);
}

function fuzz(t: TestContext, label: string, seeds: readonly Seed[]): void {
  const stats: Stats = { mutants: 0, files: 0, maxMs: 0, maxSource: '', totalMs: 0 };
  const failures: string[] = [];
  for (const seed of seeds) {
    stats.files++;
    const fcSeed = (baseSeed ^ hash(seed.source)) | 0;
    try {
      fc.assert(
        fc.property(mutations, (list: Mutation[]) => checkMutant(seed, applyMutations(seed.text, list), stats)),
        { seed: fcSeed, numRuns: runsPerFile },
      );
    } catch (error) {
      // Keep going: one report naming every failing seed file is worth more than the first alone.
      // fast-check's message carries the counterexample; the assertion that failed is its cause.
      const cause = error instanceof Error && error.cause instanceof Error ? `\n  cause: ${error.cause.message.split('\n')[0]}` : '';
      const summary = error instanceof Error ? error.message.split('\n').filter((l) => /^(Counterexample|Property failed)/.test(l)).join('\n  ') : String(error);
      failures.push(`${seed.source} (engine path ${seed.path}, fast-check seed ${fcSeed})\n  ${summary}${cause}`);
    }
  }
  t.diagnostic(
    `${label}: ${stats.mutants} mutants of ${stats.files} files (KEYLESS_FUZZ_SEED=${baseSeed}, KEYLESS_FUZZ_RUNS=${runsPerFile}); ` +
      `analyze mean ${(stats.totalMs / Math.max(1, stats.mutants)).toFixed(2)} ms, max ${stats.maxMs.toFixed(1)} ms (${stats.maxSource})`,
  );
  assert.deepEqual(failures, [], `${failures.length} seed files have failing mutants`);
}

describe('mutated fixtures never break a parser or a rule', () => {
  test('every file under test/**/fixtures/', { timeout: 600_000 }, (t) => {
    const seeds = fixtureSeeds();
    assert.ok(seeds.length > 0, 'fixtures found under test/');
    fuzz(t, 'repo fixtures', seeds);
  });

  test('every file of ../shared/corpus', { timeout: 600_000, skip: unlessShared('corpus', 'mutants of the corpus') }, (t) => {
    fuzz(t, 'shared corpus', corpusSeeds() ?? []);
  });
});
