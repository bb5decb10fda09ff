import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity, DidChangeWatchedFilesNotification, DidChangeWorkspaceFoldersNotification, FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, scratchFolder, WORKSPACE } from './harness';

// Settings layer: defaults < .keyless.yaml of the workspace folder < keyless.* editor settings.

const TERRAFORM = readFileSync(path.join(WORKSPACE, 'main.tf'), 'utf8');

function summary(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${String(d.code)}:${d.severity}`);
}

describe('editor settings (workspace/configuration)', () => {
  let client: LspClient;
  const uri = fileUri(path.join(WORKSPACE, 'settings.tf'));
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
    await client.open(uri, TERRAFORM);
    await client.waitForCurrent(uri);
  });
  after(() => client.dispose());

  async function diagnosticsAfter(settings: Record<string, unknown>, expected: string[], description: string): Promise<void> {
    const since = client.published.length;
    await client.changeSettings(settings);
    const key = JSON.stringify(expected);
    await client.waitForDiagnostics(uri, (p) => JSON.stringify(summary(p.diagnostics)) === key, description, since);
  }

  test('the keyless section is asked for, scoped to the workspace folder', () => {
    assert.ok(client.configurationRequests.some((r) => r.section === 'keyless' && r.scopeUri === fileUri(WORKSPACE)));
  });

  test('keyless.rules turns a rule off after didChangeConfiguration, and changes a severity', async () => {
    await diagnosticsAfter({ rules: { 'hardcoded-secret': 'off' } }, [`provider-static-credentials:${DiagnosticSeverity.Error}`], 'hardcoded-secret off');
    await diagnosticsAfter(
      { rules: { 'hardcoded-secret': 'info', 'provider-static-credentials': 'warning' } },
      [`provider-static-credentials:${DiagnosticSeverity.Warning}`, `hardcoded-secret:${DiagnosticSeverity.Information}`],
      'severities',
    );
  });

  test('keyless.enable false clears the diagnostics; true brings them back', async () => {
    await diagnosticsAfter({ enable: false }, [], 'disabled');
    await diagnosticsAfter({ enable: true }, [`provider-static-credentials:${DiagnosticSeverity.Error}`, `hardcoded-secret:${DiagnosticSeverity.Error}`], 'enabled');
  });

  test('keyless.ignore globs match paths relative to the workspace folder', async () => {
    const ignored = fileUri(path.join(WORKSPACE, 'vendor', 'modules', 'main.tf'));
    await client.changeSettings({ ignore: ['vendor/**'] });
    await client.open(ignored, TERRAFORM);
    assert.deepEqual((await client.waitForCurrent(ignored)).diagnostics, []);
    const since = client.published.length;
    await diagnosticsAfter({}, [`provider-static-credentials:${DiagnosticSeverity.Error}`, `hardcoded-secret:${DiagnosticSeverity.Error}`], 'no ignore for settings.tf');
    await client.waitForDiagnostics(ignored, (p) => p.diagnostics.length === 2, 'not ignored any more', since);
    await client.close(ignored);
  });

  test('bad settings entries are dropped with a log line, the rest apply', async () => {
    await diagnosticsAfter({ rules: { 'hardcoded-secret': 'off', 'no-such-rule': 'off', 'long-lived-key': 'loud' } }, [`provider-static-credentials:${DiagnosticSeverity.Error}`], 'valid part applied');
    await client.waitFor('a log line about the unknown rule', () => client.logs.find((l) => l.message.includes('unknown rule "no-such-rule"')));
    await diagnosticsAfter({}, [`provider-static-credentials:${DiagnosticSeverity.Error}`, `hardcoded-secret:${DiagnosticSeverity.Error}`], 'reset');
  });
});

describe('.keyless.yaml in the workspace folder', () => {
  let client: LspClient;
  let scratch: ReturnType<typeof scratchFolder>;
  let configFile: string;
  let uri: string;
  before(async () => {
    scratch = scratchFolder(WORKSPACE);
    configFile = path.join(scratch.folder, '.keyless.yaml');
    writeFileSync(configFile, 'rules:\n  hardcoded-secret: off\n');
    uri = fileUri(path.join(scratch.folder, 'main.tf'));
    client = await LspClient.start({ workspaceFolder: scratch.folder });
  });
  after(async () => {
    await client.dispose();
    scratch.remove();
  });

  test('a rule turned off in the file does not report', async () => {
    await client.open(uri, TERRAFORM);
    assert.deepEqual(summary((await client.waitForCurrent(uri)).diagnostics), [`provider-static-credentials:${DiagnosticSeverity.Error}`]);
  });

  test('the server watches **/.keyless.yaml and re-reads it when it changes on disk', async () => {
    const watcher = client.registrations.find((r) => r.method === DidChangeWatchedFilesNotification.method);
    assert.deepEqual(watcher?.registerOptions, { watchers: [{ globPattern: '**/.keyless.yaml' }] });
    writeFileSync(configFile, 'rules:\n  hardcoded-secret: warning\n');
    const since = client.published.length;
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(configFile), type: FileChangeType.Changed }] });
    const updated = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 2, 'the re-read config', since);
    assert.deepEqual(summary(updated.diagnostics), [`provider-static-credentials:${DiagnosticSeverity.Error}`, `hardcoded-secret:${DiagnosticSeverity.Warning}`]);
  });

  test('editor settings override the file, rule by rule', async () => {
    const since = client.published.length;
    await client.changeSettings({ rules: { 'hardcoded-secret': 'info' } });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.severity === DiagnosticSeverity.Information), 'settings over the file', since);
    await client.changeSettings({});
  });
});

describe('an invalid .keyless.yaml', () => {
  let client: LspClient;
  let scratch: ReturnType<typeof scratchFolder>;
  let configUri: string;
  const INVALID = ['rules:', '  hardcoded-secret: off', '  no-such-rule: error', '  long-lived-key: loud', ''].join('\n');
  before(async () => {
    scratch = scratchFolder(WORKSPACE);
    const configFile = path.join(scratch.folder, '.keyless.yaml');
    writeFileSync(configFile, INVALID);
    configUri = fileUri(configFile);
    client = await LspClient.start({ workspaceFolder: scratch.folder });
  });
  after(async () => {
    await client.dispose();
    scratch.remove();
  });

  test('each problem is a diagnostic on .keyless.yaml at its line, and a warning is shown once', async () => {
    const published = await client.waitForDiagnostics(configUri, (p) => p.diagnostics.length > 0, 'config problems');
    assert.deepEqual(
      published.diagnostics.map((d) => ({ line: d.range.start.line, message: d.message, severity: d.severity, source: d.source })),
      [
        { line: 2, message: 'Invalid .keyless.yaml: unknown rule "no-such-rule"', severity: DiagnosticSeverity.Warning, source: 'keyless' },
        { line: 3, message: 'Invalid .keyless.yaml: rule "long-lived-key": expected off, error, warning or info', severity: DiagnosticSeverity.Warning, source: 'keyless' },
      ],
    );
    assert.deepEqual(published.diagnostics[0]!.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 21 } });
    const warning = await client.waitFor('a warning message', () => client.shownMessages.find((m) => m.message.includes('.keyless.yaml')));
    assert.match(warning.message, /line 3: unknown rule "no-such-rule" \(and 1 more\)/);
  });

  test('analysis carries on with the valid entries', async () => {
    const uri = fileUri(path.join(scratch.folder, 'main.tf'));
    await client.open(uri, TERRAFORM);
    assert.deepEqual((await client.waitForCurrent(uri)).diagnostics.map((d) => d.code), ['provider-static-credentials']);
  });

  test('fixing the open file in the editor clears its diagnostics and applies it, without another message box', async () => {
    const uri = fileUri(path.join(scratch.folder, 'main.tf'));
    await client.open(configUri, INVALID);
    const since = client.published.length;
    await client.replace(configUri, '  hardcoded-secret: off\n  no-such-rule: error\n  long-lived-key: loud\n', '  long-lived-key: warning\n');
    // Opening re-reads the config from the editor (problems published again), then the edit clears them.
    await client.waitForDiagnostics(configUri, (p) => p.diagnostics.length === 0, 'the fixed config', since);
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 2, 'hardcoded-secret back on', since);
    assert.equal(client.shownMessages.length, 1);
  });
});

describe('workspace folders added later', () => {
  let client: LspClient;
  let scratch: ReturnType<typeof scratchFolder>;
  before(async () => {
    scratch = scratchFolder();
    writeFileSync(path.join(scratch.folder, '.keyless.yaml'), 'rules:\n  hardcoded-secret: off\n');
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
  });
  after(async () => {
    await client.dispose();
    scratch.remove();
  });

  test("a folder added with didChangeWorkspaceFolders brings its .keyless.yaml to its files", async () => {
    const uri = fileUri(path.join(scratch.folder, 'main.tf'));
    await client.open(uri, TERRAFORM);
    assert.equal((await client.waitForCurrent(uri, 'outside every folder: defaults')).diagnostics.length, 2);
    const since = client.published.length;
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: fileUri(scratch.folder), name: 'scratch' }], removed: [] },
    });
    const updated = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 1, 'the new folder config', since);
    assert.deepEqual(updated.diagnostics.map((d) => d.code), ['provider-static-credentials']);
  });
});
