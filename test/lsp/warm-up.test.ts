import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIALECT_NAMES } from '../../server/src/dialects/detect';
import type { Dialect } from '../../server/src/core/dialect';
import { createEngine } from '../../server/src/workspace/grammar';
import { largeWarmUpSamples, LARGE_SAMPLE_ROUNDS, WARM_UP_SAMPLES, warmUp } from '../../server/src/lsp/warm-up';

// The warm-up is worth its time only if it goes through every path a first document takes.

describe('warm-up', () => {
  test('every dialect and every syntax has a sample, and every sample has a finding (rules, hover and fixers run)', async () => {
    const engine = await createEngine();
    const dialects = new Set<Dialect>();
    const syntaxes = new Set<string>();
    for (const sample of WARM_UP_SAMPLES) {
      const report = engine.analyze(sample, { fixes: true });
      assert.ok(report.dialect !== null, `${sample.path} is read as a dialect`);
      assert.deepEqual(report.errors, [], `${sample.path} parses`);
      assert.ok(report.findings.length > 0, `${sample.path} has a finding`);
      dialects.add(report.dialect);
      syntaxes.add(sample.path.endsWith('.json') ? 'json' : sample.path.endsWith('.tf') ? 'hcl' : 'yaml');
    }
    assert.deepEqual([...dialects].sort(), (Object.keys(DIALECT_NAMES) as Dialect[]).sort());
    assert.deepEqual([...syntaxes].sort(), ['hcl', 'json', 'yaml']);
  });

  test('the large samples are the small ones written out many times: they parse, and have findings where the small ones do', async () => {
    const engine = await createEngine();
    const large = largeWarmUpSamples();
    assert.deepEqual(
      large.map((s) => s.path),
      WARM_UP_SAMPLES.map((s) => s.path),
    );
    for (const [i, sample] of large.entries()) {
      const report = engine.analyze(sample, { fixes: false });
      const small = engine.analyze(WARM_UP_SAMPLES[i]!, { fixes: false });
      assert.deepEqual(report.errors, [], `${sample.path} parses`);
      assert.equal(report.dialect, small.dialect, sample.path);
      assert.ok(report.findings.length >= small.findings.length, `${sample.path}: ${report.findings.length} findings`);
      assert.ok(sample.text.length > 5 * WARM_UP_SAMPLES[i]!.text.length, `${sample.path} is large`);
    }
  });

  test('it yields between steps (a request waits for one small file at most) and stops when asked', async () => {
    const engine = await createEngine();
    let pauses = 0;
    const full = await warmUp(engine, { pause: async () => void pauses++, stopped: () => false });
    // Each small sample through three paths, then each large one opened and edited, every round.
    assert.equal(full.steps, WARM_UP_SAMPLES.length * 3 + LARGE_SAMPLE_ROUNDS * WARM_UP_SAMPLES.length * 2);
    assert.equal(pauses, full.steps);
    let calls = 0;
    const stopped = await warmUp(engine, { pause: async () => undefined, stopped: () => ++calls > 3 });
    assert.equal(stopped.steps, 3);
  });
});
