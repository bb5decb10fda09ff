import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DocumentDiagnosticReportKind, DocumentDiagnosticRequest, type FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { TRUST_CHANGED_NOTIFICATION, type TrustChangedParams } from '../../protocol/keyless';
import { fileUri, LspClient, WORKSPACE } from './harness';

// Workspace Trust. In an untrusted workspace VS Code answers workspace/configuration for the
// restricted settings (package.json `restrictedConfigurations`) without the workspace's own
// values; when the user grants trust the client sends keyless/trustChanged, and the server reads
// the settings again. The test client plays VS Code: the answer changes when trust is granted,
// and no didChangeConfiguration comes with it.

const TERRAFORM = readFileSync(path.join(WORKSPACE, 'main.tf'), 'utf8');
const BOTH = ['provider-static-credentials', 'hardcoded-secret'];
/** The workspace's own `keyless.rules`, which apply only once the workspace is trusted. */
const WORKSPACE_SETTINGS = { rules: { 'hardcoded-secret': 'off' } };
const TRUSTED: TrustChangedParams = { trusted: true };

describe('keyless/trustChanged (push diagnostics)', () => {
  let client: LspClient;
  const uri = fileUri(path.join(WORKSPACE, 'trust.tf'));
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE, initializationOptions: { trusted: false, hoverShowsDiagnostics: true } });
    await client.open(uri, TERRAFORM);
  });
  after(() => client.dispose());

  test('untrusted: the settings read at start apply, and stay until the server is told', async () => {
    assert.deepEqual((await client.waitForCurrent(uri)).diagnostics.map((d) => d.code), BOTH);
    // Trust granted in the editor: its answer now has the workspace's values. An edit analyzes
    // the document again, under the settings already read.
    client.settings = WORKSPACE_SETTINGS;
    await client.replace(uri, 'provider "aws" {', 'provider "aws"  {');
    assert.deepEqual((await client.waitForCurrent(uri)).diagnostics.map((d) => d.code), BOTH);
  });

  test('trusted: the settings are read again and the workspace’s own values apply', async () => {
    const asked = client.configurationRequests.length;
    const since = client.published.length;
    await client.connection.sendNotification(TRUST_CHANGED_NOTIFICATION, TRUSTED);
    await client.waitForDiagnostics(uri, (p) => JSON.stringify(p.diagnostics.map((d) => d.code)) === JSON.stringify(['provider-static-credentials']), 'hardcoded-secret off once trusted', since);
    assert.ok(client.configurationRequests.length > asked, 'workspace/configuration asked again');
    assert.ok(client.logs.some((l) => l.message.includes('Workspace trust granted')));
  });
});

describe('keyless/trustChanged (pull diagnostics)', () => {
  let client: LspClient;
  const uri = fileUri(path.join(WORKSPACE, 'main.tf'));
  const pull = async (): Promise<string[]> => {
    const report = await client.request(() => client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }), 'textDocument/diagnostic');
    assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
    return (report as FullDocumentDiagnosticReport).items.map((d) => String(d.code));
  };
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE, pull: true, initializationOptions: { trusted: false } });
    await client.open(uri, TERRAFORM);
  });
  after(() => client.dispose());

  test('the client is asked to refresh, and the next pull applies the workspace’s settings', async () => {
    assert.deepEqual(await pull(), BOTH);
    client.settings = WORKSPACE_SETTINGS;
    const refreshes = client.refreshRequests;
    await client.connection.sendNotification(TRUST_CHANGED_NOTIFICATION, TRUSTED);
    await client.waitFor('workspace/diagnostic/refresh', () => client.refreshRequests > refreshes);
    assert.deepEqual(await pull(), ['provider-static-credentials']);
  });
});
