import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CancellationTokenSource,
  CodeActionKind,
  CodeActionRequest,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  ErrorCodes,
  HoverRequest,
  LSPErrorCodes,
  ResponseError,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, percentile, scratchFolder } from './harness';
import { largeWorkflow } from '../fixtures/workflows';

// The language server under a burst of edits, paced as an editor under a fast typist or a
// macro sends them: each edit followed by the pull VS Code sends for it, hovers and light-bulb
// requests in between, and every request the next edit makes stale cancelled with $/cancelRequest.
// Every request must be answered (a result or a cancellation/staleness error, never an internal
// error) within 2 s, and the server must stay up and end on the right diagnostics.

const EDITS = 1_000;
const BOUND_MS = 2_000;

type Outcome = 'result' | 'cancelled' | 'stale' | 'internal-error' | 'other-error';

interface Sent {
  kind: 'diagnostic' | 'hover' | 'codeAction';
  sentAt: number;
  answeredAt?: number;
  outcome?: Outcome;
  source: CancellationTokenSource;
}

function outcomeOf(error: unknown): Outcome {
  if (!(error instanceof ResponseError)) return 'other-error';
  if (error.code === LSPErrorCodes.RequestCancelled) return 'cancelled';
  if (error.code === LSPErrorCodes.ContentModified || error.code === LSPErrorCodes.ServerCancelled) return 'stale';
  if (error.code === ErrorCodes.InternalError) return 'internal-error';
  return 'other-error';
}

describe('a burst of 1,000 edits with requests in between', () => {
  let client: LspClient;
  let scratch: { folder: string; remove: () => void };
  const large = largeWorkflow();

  before(async () => {
    scratch = scratchFolder();
    client = await LspClient.start({ pull: true, workspaceFolder: scratch.folder });
  });
  after(async () => {
    await client.dispose();
    scratch.remove();
  });

  test('every request is answered within 2 s, the server stays up, and ends on the final version', async (t) => {
    const uri = fileUri(path.join(scratch.folder, '.github', 'workflows', 'burst.yml'));
    await client.open(uri, large.text);
    const pull = (token?: CancellationTokenSource): Promise<DocumentDiagnosticReport> =>
      client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }, token?.token);
    const first = await client.request(() => pull(), 'the first pull');
    assert.equal(first.kind, DocumentDiagnosticReportKind.Full);
    let known: Diagnostic[] = first.kind === DocumentDiagnosticReportKind.Full ? first.items : [];
    assert.equal(known.length, large.findings);
    // A place on a credential step: the hover there has something to say.
    const stepLine = large.text.split('\n').findIndex((line) => line.includes('configure-aws-credentials'));

    const sent: Sent[] = [];
    const pending: Promise<void>[] = [];
    function send<R>(kind: Sent['kind'], request: (token: CancellationTokenSource) => Promise<R>, onResult?: (result: R) => void): Sent {
      const entry: Sent = { kind, sentAt: performance.now(), source: new CancellationTokenSource() };
      sent.push(entry);
      pending.push(
        request(entry.source).then(
          (result) => {
            entry.answeredAt = performance.now();
            entry.outcome = 'result';
            onResult?.(result);
          },
          (error: unknown) => {
            entry.answeredAt = performance.now();
            entry.outcome = outcomeOf(error);
          },
        ),
      );
      return entry;
    }
    /** What VS Code does when the next edit makes a request stale: cancel it if it is still out. */
    const cancelIfOut = (entry: Sent | undefined): void => {
      if (entry !== undefined && entry.answeredAt === undefined) entry.source.cancel();
    };

    const started = performance.now();
    let lastPull: Sent | undefined;
    let lastHover: Sent | undefined;
    let lastAction: Sent | undefined;
    for (let i = 0; i < EDITS; i++) {
      // Typing on the marker line: every edit changes the text, the findings stay.
      await client.change(uri, { range: { start: { line: 0, character: 15 }, end: { line: 0, character: 15 } }, text: String(i % 10) });
      cancelIfOut(lastPull);
      lastPull = send('diagnostic', (source) => pull(source), (report) => {
        if (report.kind === DocumentDiagnosticReportKind.Full) known = report.items;
      });
      if (i % 3 === 0) {
        cancelIfOut(lastHover);
        lastHover = send('hover', (source) => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: stepLine, character: 14 } }, source.token));
      }
      if (i % 5 === 0 && known.length > 0) {
        cancelIfOut(lastAction);
        const diagnostics = [known[(i / 5) % known.length]!];
        lastAction = send('codeAction', (source) =>
          client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics, only: [CodeActionKind.QuickFix] } }, source.token),
        );
      }
      // An editor sends its messages from an event loop too: one turn between edits, no sleep.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await client.request(() => Promise.all(pending), 'an answer to every request');
    const wall = performance.now() - started;

    const latencies = sent.map((entry) => entry.answeredAt! - entry.sentAt);
    const byOutcome = new Map<string, number>();
    for (const entry of sent) byOutcome.set(`${entry.kind}:${entry.outcome}`, (byOutcome.get(`${entry.kind}:${entry.outcome}`) ?? 0) + 1);
    t.diagnostic(
      `${EDITS} edits, ${sent.length} requests in ${(wall / 1000).toFixed(1)} s; answer latency p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
        `p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms; ${[...byOutcome].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    assert.equal(client.exitCode, undefined, 'the server is still running');
    assert.deepEqual(
      sent.filter((entry) => entry.outcome === 'internal-error' || entry.outcome === 'other-error').map((entry) => entry.kind),
      [],
      'no request fails with an error other than cancelled or stale',
    );
    const slow = latencies.filter((latency) => latency > BOUND_MS);
    assert.equal(slow.length, 0, `${slow.length} of ${latencies.length} requests took over ${BOUND_MS} ms (max ${Math.max(...latencies).toFixed(0)} ms)`);

    // The burst over, the final version's diagnostics, hover and fixes are all there.
    const final = await client.request(() => pull(), 'the pull after the burst');
    assert.equal(final.kind, DocumentDiagnosticReportKind.Full);
    const items = final.kind === DocumentDiagnosticReportKind.Full ? final.items : [];
    assert.equal(items.length, large.findings);
    assert.ok(items.every((d) => (d.data as { version: number }).version === client.version(uri)), 'diagnostics of the final version');
    const hover = await client.request(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: stepLine, character: 14 } }), 'a hover after the burst');
    assert.ok(hover !== null, 'a hover on the credential step');
    const actions = await client.codeActions(uri, [items[0]!]);
    assert.ok(actions.length > 0, 'quick fixes for a current diagnostic');
    // Some requests of the burst got real answers, not only "stale": the server kept up.
    assert.ok(sent.some((entry) => entry.kind === 'hover' && entry.outcome === 'result'), 'some hovers answered during the burst');
  });

  test('an empty hover answers null, not an error, on every kind of place', async () => {
    const uri = fileUri(path.join(scratch.folder, 'empty.tf'));
    await client.open(uri, 'variable "region" {}\n');
    for (const position of [
      { line: 0, character: 0 },
      { line: 0, character: 12 },
      { line: 5, character: 0 }, // past the end of the text
      { line: 0, character: 500 }, // past the end of the line
    ]) {
      const hover = await client.request(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), 'a hover');
      assert.equal(hover, null, `line ${position.line} character ${position.character}`);
    }
    // And a document that is not open, or not one Keyless reads.
    const unknown = await client.request(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: fileUri(path.join(scratch.folder, 'nope.tf')) }, position: { line: 0, character: 0 } }), 'a hover');
    assert.equal(unknown, null);
    await client.close(uri);
  });

  test('a request for a version that moves on while it waits is answered ContentModified, not held', async () => {
    const uri = fileUri(path.join(scratch.folder, 'moving.tf'));
    await client.open(uri, 'provider "aws" {\n  access_key = var.key\n}\n');
    // Sent and followed at once by an edit: the server reads them in order, so the hover is
    // waiting for version 1 when version 2 arrives (pull mode analyses only when asked).
    const hover = client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 4 } });
    await client.change(uri, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# x\n' });
    const outcome = await hover.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    // Either the analysis of version 1 came first (an answer), or the change made it stale.
    if ('error' in outcome) {
      assert.ok(outcome.error instanceof ResponseError);
      assert.equal(outcome.error.code, LSPErrorCodes.ContentModified);
    }
    await client.close(uri);
  });
});
