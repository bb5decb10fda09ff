import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, WORKSPACE } from './harness';

// keyless.scanWorkspace: the files nobody opened get diagnostics too.

const SCAN_COMMAND = 'keyless.scanWorkspace';

interface ScanCounts {
  files: number;
  findings: number;
}

function scan(client: LspClient, workDoneToken?: string): Promise<ScanCounts> {
  return client.request(
    () => client.connection.sendRequest(ExecuteCommandRequest.type, { command: SCAN_COMMAND, arguments: [], ...(workDoneToken ? { workDoneToken } : {}) }) as Promise<ScanCounts>,
    SCAN_COMMAND,
  );
}

const uriOf = (file: string): string => fileUri(path.join(WORKSPACE, file));

describe('workspace scan (push client)', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
  });
  after(() => client.dispose());

  test('the command is advertised', () => {
    assert.deepEqual(client.initializeResult.capabilities.executeCommandProvider, { commands: [SCAN_COMMAND] });
  });

  test('publishes diagnostics for unopened files, skips open ones, returns counts and reports progress', async () => {
    const open = uriOf('main.tf');
    await client.open(open, readFileSync(path.join(WORKSPACE, 'main.tf'), 'utf8'));
    await client.waitForCurrent(open);
    const since = client.published.length;

    const counts = await scan(client, 'scan-progress');
    assert.deepEqual(counts, { files: 4, findings: 4 });
    const scanned = client.published.slice(since);
    const byFile = new Map(scanned.map((p) => [p.uri, p.diagnostics.map((d) => d.code)]));
    assert.deepEqual(
      Object.fromEntries([...byFile].sort()),
      Object.fromEntries(
        [
          [uriOf('.github/workflows/deploy.yml'), ['static-cloud-credentials']],
          [uriOf('.gitlab-ci.yml'), ['static-cloud-credentials']],
          [uriOf('pod.yaml'), ['pod-static-cloud-credentials']],
          [uriOf('template.yaml'), ['long-lived-key']],
        ].sort(),
      ),
    );
    assert.ok(scanned.every((p) => p.version === undefined), 'files from disk have no version');
    assert.ok(!byFile.has(open), 'the open document keeps its live diagnostics');
    const kinds = client.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    await client.close(open);
  });

  test('the scan honours keyless.ignore', async () => {
    await client.changeSettings({ ignore: ['pod.yaml', '.github'] });
    // main.tf (closed now, 2 findings), template.yaml and .gitlab-ci.yml.
    assert.deepEqual(await scan(client), { files: 3, findings: 4 });
    await client.changeSettings({});
  });
});

describe('workspace scan (pull client)', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE, pull: true });
  });
  after(() => client.dispose());

  test('pushes for closed files even under pull, and hands over to pull when one is opened', async () => {
    const counts = await scan(client);
    assert.deepEqual(counts, { files: 5, findings: 6 });
    const pod = uriOf('pod.yaml');
    assert.equal(client.latest(pod)?.diagnostics.length, 1);
    // Opened, the file is pulled; the scan's pushed copy is withdrawn so it does not show twice.
    await client.open(pod, readFileSync(path.join(WORKSPACE, 'pod.yaml'), 'utf8'));
    await client.waitFor('the pushed copy to be cleared', () => client.latest(pod)?.diagnostics.length === 0);
  });
});
