import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  createProtocolConnection,
  ExitNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  TextDocumentSyncKind,
} from 'vscode-languageserver-protocol/node';
import { defaultCapabilities, LspClient, ROOT, SERVER, WAIT_MS, WORKSPACE } from './harness';

// Starting, initializing and ending the server, over stdio and over node IPC.

const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('lifecycle', () => {
  test('initialize: server info and capabilities of a push client', async () => {
    const client = await LspClient.start({ workspaceFolder: WORKSPACE });
    try {
      assert.deepEqual(client.initializeResult, {
        serverInfo: { name: 'keyless', version },
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.keyless'], resolveProvider: false },
          hoverProvider: true,
          executeCommandProvider: { commands: ['keyless.scanWorkspace', 'keyless.fixApplied'] },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        },
      });
    } finally {
      await client.dispose();
    }
  });

  test('shutdown then exit ends the process with code 0', async () => {
    const client = await LspClient.start();
    assert.equal(await client.shutdown(), 0);
    client.connection.dispose();
  });

  test('exit without shutdown ends it with code 1, as the protocol says', async () => {
    const client = await LspClient.start();
    await client.connection.sendNotification(ExitNotification.type);
    assert.equal(await client.waitForExit(), 1);
    client.connection.dispose();
  });

  test('the end of stdin (the client died) ends the server', async () => {
    const client = await LspClient.start();
    client.child.stdin!.end();
    assert.notEqual(await client.waitForExit(), undefined);
    client.connection.dispose();
  });

  test('over node IPC: initialize answers, and the server exits when the channel closes', async () => {
    // execArgv: the test runner's own flags (tsx) are not the server's.
    const child = fork(SERVER, ['--node-ipc'], { cwd: ROOT, execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the IPC server did not answer or exit in time')), WAIT_MS);
    });
    try {
      const result = await Promise.race([
        connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: defaultCapabilities(false) }),
        timeout,
      ]);
      assert.equal(result.serverInfo?.name, 'keyless');
      // What happens when the editor that forked the server dies: the IPC channel closes.
      child.disconnect();
      assert.equal(typeof (await Promise.race([exited, timeout])), 'number');
    } finally {
      clearTimeout(timer);
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
