/**
 * One stdio LSP client for every language server the benchmark compares: Keyless, GitHub's Actions
 * language server and Red Hat's yaml-language-server are spawned, initialized, fed documents and
 * timed the same way, through the same `vscode-languageserver-protocol` connection.
 *
 * How a result is matched to an edit: a server that puts the document `version` on its
 * publishDiagnostics (Keyless) is matched on it; one that does not (both others) is matched on the
 * first publication for the document after the change was sent. That is sound because the driver
 * sends the next edit only after the previous one was answered (or timed out, after which it
 * waits for the server to go quiet), and neither of them publishes twice for one change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import {
  CodeActionKind,
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  type ConfigurationParams,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export interface ServerSpec {
  name: string;
  /** The program and its arguments; the program is run directly (no shell), so its pid is the server's. */
  command: string;
  args: string[];
  initializationOptions?: unknown;
  /** The answer to a `workspace/configuration` item of this section (absent: null). */
  settings?: (section: string | undefined) => unknown;
  /** Extra node flags (profiling), put before the script. */
  nodeArgs?: string[];
}

/** When a publication arrived, and how many diagnostics it carried. */
export interface Published {
  at: number;
  count: number;
}

export class Timeout extends Error {}

export class LspDriver {
  /** spawn → the initialize answer, in ms. */
  initializeMs = 0;
  incremental = false;
  /** Publications for documents nobody was waiting for (late, or a second one for a version). */
  unmatched = 0;
  private stderr = '';
  private waiter: { uri: string; version: number | undefined; resolve: (p: Published) => void } | undefined;
  private lastPublishAt = 0;
  private readonly exited: Promise<void>;

  private constructor(
    readonly spec: ServerSpec,
    private readonly child: ChildProcess,
    private readonly connection: ProtocolConnection,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Spawns the server in `cwd` and completes the initialize handshake. */
  static async start(spec: ServerSpec, cwd: string, rootUri: string): Promise<LspDriver> {
    const spawnedAt = performance.now();
    const child = spawn(spec.command, [...(spec.nodeArgs ?? []), ...spec.args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const driver = new LspDriver(spec, child, connection);
    child.stderr!.on('data', (chunk: Buffer) => (driver.stderr = (driver.stderr + chunk.toString()).slice(-2000)));
    // A connection error after the server dies must not crash the benchmark.
    connection.onError(() => undefined);
    connection.onClose(() => undefined);
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => driver.published(params));
    connection.onRequest(ConfigurationRequest.type, (params: ConfigurationParams) => params.items.map((item) => spec.settings?.(item.section) ?? null));
    // What else these servers ask of an editor gets the answer an editor with nothing to add
    // gives; anything not listed gets the protocol's "method not found", which servers tolerate.
    for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'window/showMessageRequest']) {
      connection.onRequest(method, () => null);
    }
    connection.onRequest('workspace/workspaceFolders', () => [{ uri: rootUri, name: 'bench' }]);
    connection.listen();

    const died = driver.exited.then(() => Promise.reject(new Error(`${spec.name} exited (code ${child.exitCode ?? 'none'}): ${driver.stderr.trim().split('\n')[0] ?? ''}`)));
    died.catch(() => undefined);
    const init: InitializeResult = await withTimeout(
      Promise.race([
        died,
        connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri,
          workspaceFolders: [{ uri: rootUri, name: 'bench' }],
          initializationOptions: spec.initializationOptions,
          capabilities: {
            workspace: { configuration: true, workspaceFolders: true },
            textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: false, dynamicRegistration: false } },
          },
        }),
      ]),
      30_000,
      `${spec.name}: initialize`,
    );
    driver.initializeMs = performance.now() - spawnedAt;
    const sync = init.capabilities.textDocumentSync;
    driver.incremental = (typeof sync === 'number' ? sync : sync?.change) === TextDocumentSyncKind.Incremental;
    await connection.sendNotification(InitializedNotification.type, {});
    return driver;
  }

  /** The newest diagnostics of each document. */
  readonly diagnostics = new Map<string, Diagnostic[]>();

  /** One code action request for one diagnostic (the light bulb on it): its time in ms and how many actions. */
  async codeActions(uri: string, diagnostic: Diagnostic, timeoutMs: number): Promise<{ ms: number; count: number }> {
    const start = performance.now();
    const actions = await withTimeout(
      this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] } }),
      timeoutMs,
      `${this.spec.name}: code actions`,
    );
    return { ms: performance.now() - start, count: actions?.length ?? 0 };
  }

  private published(params: PublishDiagnosticsParams): void {
    this.lastPublishAt = performance.now();
    this.diagnostics.set(params.uri, params.diagnostics);
    const w = this.waiter;
    if (w === undefined || params.uri !== w.uri || (params.version !== undefined && w.version !== undefined && params.version < w.version)) {
      this.unmatched++;
      return;
    }
    this.waiter = undefined;
    w.resolve({ at: this.lastPublishAt, count: params.diagnostics.length });
  }

  /** Resolves with the next publication for `uri` (at `version` or later, when the server says). */
  private next(uri: string, version: number, timeoutMs: number): Promise<Published> {
    const result = new Promise<Published>((resolve) => (this.waiter = { uri, version, resolve }));
    return withTimeout(result, timeoutMs, `${this.spec.name}: diagnostics for version ${version}`).finally(() => {
      if (this.waiter?.version === version) this.waiter = undefined;
    });
  }

  /** didOpen → the first diagnostics; the time in ms and how many diagnostics. */
  async open(uri: string, languageId: string, text: string, timeoutMs = 30_000): Promise<{ ms: number; count: number }> {
    const answer = this.next(uri, 1, timeoutMs);
    const start = performance.now();
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    const p = await answer;
    return { ms: p.at - start, count: p.count };
  }

  /**
   * One edit: inserts `insert` at `line`:`character` (given the full new text too, for servers that
   * sync whole documents), resolves with the time in ms to its diagnostics.
   */
  async change(uri: string, version: number, edit: { line: number; character: number; insert: string; text: string }, timeoutMs: number): Promise<number> {
    const answer = this.next(uri, version, timeoutMs);
    const start = performance.now();
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: this.incremental
        ? [{ range: { start: { line: edit.line, character: edit.character }, end: { line: edit.line, character: edit.character } }, text: edit.insert }]
        : [{ text: edit.text }],
    });
    return (await answer).at - start;
  }

  /** Waits until no diagnostics arrived for `quietMs` (at most `maxMs`): lets a server settle. */
  async settle(quietMs: number, maxMs: number): Promise<void> {
    const until = performance.now() + maxMs;
    this.lastPublishAt = Math.max(this.lastPublishAt, performance.now());
    while (performance.now() < until && performance.now() - this.lastPublishAt < quietMs) await sleep(Math.min(50, quietMs));
  }

  /** The server's peak resident memory so far (VmHWM), in KB; undefined where /proc is missing. */
  peakRssKb(): number | undefined {
    return peakRssKb(this.pid);
  }

  async stop(): Promise<void> {
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 3_000, 'shutdown');
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // A server that cannot shut down is killed below.
    }
    await Promise.race([this.exited, sleep(3_000)]);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    this.connection.dispose();
  }
}

export function peakRssKb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Timeout(`${what}: no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
