/**
 * Extension activation outside VS Code: loads `dist/client.js` with a stub `vscode` module
 * (`vscode-stub.ts`, injected through the module resolver and the require cache), calls
 * `activate(context)` with a minimal context and times until it resolves, which is when the real
 * `vscode-languageclient` has started the real server over IPC and `client.start()` has resolved
 * (the initialize handshake is done). VS Code's own extension-host overhead is not in it.
 * `bench/run.ts` bundles this file and runs it as its own process, once per sample; it prints one
 * JSON line: { loadMs, activateMs, errors }; activateMs counts from before loading the bundle.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { createVscodeStub, errors } from './vscode-stub';

interface Resolver {
  _resolveFilename(request: string, ...rest: unknown[]): string;
}

async function main(): Promise<void> {
  const root = process.argv[2];
  if (root === undefined) throw new Error('usage: activation REPO_ROOT');
  const stubId = path.join(root, 'node_modules', 'vscode', 'index.js');
  const resolver = Module as unknown as Resolver;
  const resolve = resolver._resolveFilename.bind(Module);
  resolver._resolveFilename = (request: string, ...rest: unknown[]) => (request === 'vscode' ? stubId : resolve(request, ...rest));
  const cached = new Module(stubId);
  cached.filename = stubId;
  cached.loaded = true;
  cached.exports = createVscodeStub();
  require.cache[stubId] = cached;

  const subscriptions: { dispose(): unknown }[] = [];
  const context = {
    subscriptions,
    extensionPath: root,
    extensionUri: { fsPath: root, scheme: 'file', path: root },
    asAbsolutePath: (relative: string) => path.join(root, relative),
    storagePath: undefined,
    globalStoragePath: path.join(root, '.bench-storage'),
    logPath: path.join(root, '.bench-logs'),
    extensionMode: 1,
    environmentVariableCollection: {},
    workspaceState: { get: () => undefined, update: () => Promise.resolve(), keys: () => [] },
    globalState: { get: () => undefined, update: () => Promise.resolve(), keys: () => [], setKeysForSync: () => undefined },
    secrets: { get: () => Promise.resolve(undefined), store: () => Promise.resolve(), delete: () => Promise.resolve(), onDidChange: () => ({ dispose: () => undefined }) },
  };

  const t0 = performance.now();
  const extension = require(path.join(root, 'dist', 'client.js')) as { activate(context: unknown): Promise<void>; deactivate(): Thenable<void> | undefined };
  const loaded = performance.now();
  await extension.activate(context);
  const activated = performance.now();
  // deactivate() returns the client's stop() only while the client is running: proof that the
  // start succeeded, beyond the absence of error messages.
  const stopping = extension.deactivate();
  if (stopping === undefined) errors.push('the language client is not running after activate()');
  await stopping;
  for (const s of subscriptions) s.dispose();
  process.stdout.write(`${JSON.stringify({ loadMs: loaded - t0, activateMs: activated - t0, errors })}\n`);
}

main().then(
  // The language client keeps handles (its output, timers) open after stopping the server.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
