import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DocumentDiagnosticReportKind, DocumentDiagnosticRequest, type DocumentDiagnosticReport, type FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, WORKSPACE } from './harness';

// A client that declares textDocument.diagnostic pulls diagnostics; the server then never pushes
// them for open documents.

function full(report: DocumentDiagnosticReport): FullDocumentDiagnosticReport {
  assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
  return report as FullDocumentDiagnosticReport;
}

describe('pull diagnostics', () => {
  let client: LspClient;
  const uri = fileUri(path.join(WORKSPACE, 'main.tf'));
  const pull = (previousResultId?: string): Promise<DocumentDiagnosticReport> =>
    client.request(
      () => client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) }),
      'textDocument/diagnostic',
    );

  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE, pull: true });
  });
  after(() => client.dispose());

  test('the server registers a diagnostic provider in its capabilities', () => {
    assert.deepEqual(client.initializeResult.capabilities.diagnosticProvider, { identifier: 'keyless', interFileDependencies: false, workspaceDiagnostics: true });
  });

  test('textDocument/diagnostic answers with the findings, then "unchanged" for the same result', async () => {
    await client.open(uri, readFileSync(path.join(WORKSPACE, 'main.tf'), 'utf8'));
    const first = full(await pull());
    assert.deepEqual(first.items.map((d) => d.code), ['provider-static-credentials', 'hardcoded-secret']);
    assert.equal(first.items[0]!.source, 'keyless');
    assert.ok(first.resultId);
    const again = await pull(first.resultId);
    assert.deepEqual(again, { kind: DocumentDiagnosticReportKind.Unchanged, resultId: first.resultId });
  });

  test('after a change the next pull has the new findings', async () => {
    await client.replace(uri, '"AKIAIOSFODNN7EXAMPLE"', 'var.access_key');
    const report = full(await pull());
    assert.deepEqual(report.items.map((d) => d.code), ['provider-static-credentials']);
    assert.deepEqual(report.items[0]!.data, { rule: 'provider-static-credentials', version: 2 });
    // The provider's own rewrites come first; the suppression is always last.
    const actions = await client.codeActions(uri, report.items);
    assert.ok(actions.length >= 2);
    assert.equal(actions.at(-1)!.title, 'Suppress provider-static-credentials on this line');
    assert.deepEqual(actions.at(-1)!.edit, {
      documentChanges: [{ textDocument: { uri, version: 2 }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# keyless-ignore provider-static-credentials\n' }] }],
    });
  });

  test('a settings change asks the client to refresh, and the next pull applies it', async () => {
    await client.replace(uri, 'var.access_key', '"AKIAIOSFODNN7EXAMPLE"');
    assert.equal(full(await pull()).items.length, 2);
    const refreshes = client.refreshRequests;
    await client.changeSettings({ rules: { 'hardcoded-secret': 'off' } });
    await client.waitFor('workspace/diagnostic/refresh', () => client.refreshRequests > refreshes);
    assert.deepEqual(full(await pull()).items.map((d) => d.code), ['provider-static-credentials']);
    await client.changeSettings({});
  });

  test('nothing is pushed', () => {
    assert.deepEqual(client.published, []);
  });
});
