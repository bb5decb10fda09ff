import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DocumentScheduler } from '../../server/src/lsp/scheduler';
import { largeWorkflow } from '../fixtures/workflows';
import { fileUri, LspClient, percentile, WORKSPACE } from './harness';

// Analysis runs off the keystroke path: stale versions are skipped, never published after a newer
// one, and the newest version's diagnostics follow each keystroke closely.

describe('scheduling', () => {
  let client: LspClient;
  const large = largeWorkflow();
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
  });
  after(() => client.dispose());

  test('the large fixture is about 2,000 lines', () => {
    const lines = large.text.split('\n').length;
    assert.ok(lines >= 1_900 && lines <= 2_100, `${lines} lines`);
  });

  test('a burst of 20 changes: diagnostics for the final version, none for a stale one after a newer one', async (t) => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'burst.yml'));
    const start = client.published.length;
    await client.open(uri, large.text);
    // Typed without waiting, as fast as the client can send them.
    for (let i = 0; i < 19; i++) await client.change(uri, { range: { start: { line: 0, character: 15 + i }, end: { line: 0, character: 15 + i } }, text: 'x' });
    // The last change removes one credential step: the final diagnostics must show it.
    const finalVersion = await client.replace(uri, '          aws-access-key-id: ${{ secrets.KEY_0 }}\n          aws-secret-access-key: ${{ secrets.SECRET_0 }}\n', '');
    assert.equal(finalVersion, 21);

    const final = await client.waitForCurrent(uri, 'the final version of the burst');
    assert.equal(final.diagnostics.length, large.findings - 1);

    // A request round trip: anything the server had queued for this document is out by now.
    await client.request(() => client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: final.diagnostics[0]!.range, context: { diagnostics: [] } }), 'a code action round trip');
    const versions = client.published.slice(start).filter((p) => p.uri === uri).map((p) => p.version ?? -1);
    t.diagnostic(`versions published during the burst: ${versions.join(', ')}`);
    assert.deepEqual([...versions].sort((a, b) => a - b), versions, 'published versions never go back');
    assert.equal(versions.at(-1), finalVersion, 'nothing is published after the final version');
    assert.equal(versions.filter((v) => v === finalVersion).length, 1, 'the final version is published once');
    // Analyzing every version would publish 21 times; the queued changes coalesce.
    assert.ok(versions.length < 20, `${versions.length} publishes for 21 versions`);
    await client.close(uri);
  });

  test('keystroke to diagnostics on a 2,000-line file (p95 reported; bound generous for loaded machines)', async (t) => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'latency.yml'));
    await client.open(uri, large.text);
    await client.waitForCurrent(uri, 'the first analysis');
    const samples: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      await client.change(uri, { range: { start: { line: 0, character: 15 }, end: { line: 0, character: 15 } }, text: String(i % 10) });
      const published = await client.waitForCurrent(uri, `keystroke ${i}`);
      samples.push(performance.now() - started);
      assert.equal(published.diagnostics.length, large.findings);
    }
    const p50 = percentile(samples, 50);
    const p95 = percentile(samples, 95);
    t.diagnostic(`keystroke → publishDiagnostics over 30 edits: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms`);
    assert.ok(p95 < 1_000, `p95 ${p95.toFixed(1)} ms`);
    await client.close(uri);
  });

  test('a large file does not hold up a small one for more than one analysis', async () => {
    const big = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'big-neighbour.yml'));
    const small = fileUri(path.join(WORKSPACE, 'small.tf'));
    await client.open(big, large.text);
    await client.open(small, 'provider "aws" {\n  access_key = var.key\n}\n');
    const smallDiagnostics = await client.waitForCurrent(small);
    assert.deepEqual(smallDiagnostics.diagnostics.map((d) => d.code), ['provider-static-credentials']);
    await client.waitForCurrent(big);
    await client.close(big);
    await client.close(small);
  });
});

// The scheduler alone, with the JSON-RPC connection's pace imitated: one message per event-loop turn.
describe('DocumentScheduler (units)', () => {
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  function harness(run: (uri: string) => Promise<void> = async () => undefined) {
    const versions = new Map<string, number>();
    const runs: string[] = [];
    const errors: string[] = [];
    const finished: string[] = [];
    let onFinish: () => void = () => undefined;
    const finish = (uri: string): void => {
      finished.push(uri);
      onFinish();
    };
    const scheduler = new DocumentScheduler({
      versionOf: (uri) => versions.get(uri),
      run: async (uri) => {
        runs.push(`${uri}@${versions.get(uri)}`);
        await run(uri);
        finish(uri);
      },
      onError: (uri) => {
        errors.push(uri);
        finish(uri);
      },
    });
    /** One queued change per turn, each scheduling, as didChange notifications are dispatched. */
    async function changes(uri: string, count: number): Promise<void> {
      for (let i = 0; i < count; i++) {
        versions.set(uri, (versions.get(uri) ?? 0) + 1);
        scheduler.schedule(uri);
        await turn();
      }
    }
    /** Resolves once a job for `uri` has finished (or failed). */
    const finishedFor = (uri: string): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (finished.includes(uri)) resolve();
        };
        const previous = onFinish;
        onFinish = () => {
          previous();
          check();
        };
        check();
      });
    return { versions, runs, errors, scheduler, changes, finishedFor };
  }

  test('changes dispatched on consecutive turns are analyzed once, at the newest version', async () => {
    const { runs, changes, finishedFor } = harness();
    await changes('a', 20);
    await finishedFor('a');
    assert.deepEqual(runs, ['a@20']);
  });

  test('one job at a time: a second document waits for the first job to finish', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { runs, changes, finishedFor } = harness((uri) => (uri === 'slow' ? gate : Promise.resolve()));
    await changes('slow', 1);
    await changes('fast', 1);
    for (let i = 0; i < 5; i++) await turn();
    assert.deepEqual(runs, ['slow@1']);
    release();
    await finishedFor('fast');
    assert.deepEqual(runs, ['slow@1', 'fast@1']);
  });

  test('a closed document is dropped; a job that throws is reported and the queue goes on', async () => {
    const { versions, runs, errors, scheduler, changes, finishedFor } = harness(async (uri) => {
      if (uri === 'broken') throw new Error('boom');
    });
    await changes('closed', 1);
    versions.delete('closed');
    await changes('broken', 1);
    await finishedFor('broken');
    versions.set('other', 1);
    scheduler.schedule('other');
    await finishedFor('other');
    assert.deepEqual(runs, ['broken@1', 'other@1']);
    assert.deepEqual(errors, ['broken']);
  });
});
