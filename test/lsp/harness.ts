import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DiagnosticRefreshRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
  type ShowDocumentParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';

/**
 * A real LSP client, on the protocol library under vscode-languageclient, driving the bundled
 * server over stdio. It records what the server sends and lets tests wait for conditions on it:
 * every wait is a condition re-checked on each message, bounded by a generous timeout, never a
 * fixed sleep, so the suite holds on a loaded machine.
 */

export const ROOT = path.join(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const FIXTURES = path.join(__dirname, 'fixtures');
export const WORKSPACE = path.join(FIXTURES, 'workspace');

/** Long enough for a cold start on a busy 2-core machine; a passing wait returns as soon as it can. */
export const WAIT_MS = 15_000;

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface StartOptions {
  /** Declare pull diagnostics (`textDocument.diagnostic`) and diagnostic refresh support. */
  pull?: boolean;
  /** Replaces the default capabilities, VS Code-like, entirely. */
  capabilities?: ClientCapabilities;
  /** A folder path, sent as workspaceFolders and rootUri. */
  workspaceFolder?: string;
  /** The `keyless` section answered to workspace/configuration. */
  settings?: Record<string, unknown>;
  /** Sent as `initializationOptions` (the VS Code extension sends `hoverShowsDiagnostics`). */
  initializationOptions?: unknown;
}

/** Roughly what vscode-languageclient declares, trimmed to what the server looks at. */
export function defaultCapabilities(pull: boolean): ClientCapabilities {
  const capabilities: ClientCapabilities = {
    textDocument: {
      synchronization: { dynamicRegistration: true, didSave: true },
      publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      codeAction: {
        dynamicRegistration: true,
        isPreferredSupport: true,
        dataSupport: true,
        codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
      },
    },
    workspace: {
      configuration: true,
      workspaceFolders: true,
      applyEdit: true,
      workspaceEdit: { documentChanges: true },
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      executeCommand: { dynamicRegistration: true },
    },
    window: { workDoneProgress: true },
  };
  if (pull) {
    capabilities.textDocument!.diagnostic = { dynamicRegistration: true, relatedDocumentSupport: false, relatedInformation: true };
    capabilities.workspace!.diagnostics = { refreshSupport: true };
  }
  return capabilities;
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

/** A scratch copy of a fixture folder (or an empty folder), removed by the returned function. */
export function scratchFolder(copyOf?: string): { folder: string; remove: () => void } {
  // realpath: the server sees the resolved path (macOS puts tmpdir behind a symlink).
  const folder = realpathSync(mkdtempSync(path.join(tmpdir(), 'keyless-lsp-')));
  if (copyOf !== undefined) cpSync(copyOf, folder, { recursive: true });
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly shownMessages: ShowMessageParams[] = [];
  /** window/showDocument requests, answered with success. */
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly registrations: Registration[] = [];
  readonly progress: { token: string | number; value: ProgressValue }[] = [];
  readonly configurationRequests: { scopeUri?: string; section?: string }[] = [];
  refreshRequests = 0;
  /** The `keyless` settings section; tests change it, then send didChangeConfiguration. */
  settings: Record<string, unknown>;
  initializeResult!: InitializeResult;
  exitCode: number | null | undefined;
  stderr = '';

  private readonly documents = new Map<string, TextDocument>();
  /** Per document, how many publishes had arrived when its newest text was sent. */
  private readonly sentAt = new Map<string, number>();
  private readonly checks = new Set<() => void>();
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code) => {
        this.exitCode = code;
        this.notify();
        resolve(code);
      });
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (this.stderr += chunk));
    // Writes after the server is gone (exit tests) must not crash the test process.
    child.stdin!.on('error', () => undefined);

    connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.record(this.published, params));
    connection.onNotification(LogMessageNotification.type, (params) => this.record(this.logs, params));
    connection.onNotification(ShowMessageNotification.type, (params) => this.record(this.shownMessages, params));
    connection.onProgress(WorkDoneProgress.type, 'scan-progress', (value) => this.record(this.progress, { token: 'scan-progress', value }));
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        this.configurationRequests.push({ ...(item.scopeUri ? { scopeUri: item.scopeUri } : {}), ...(item.section ? { section: item.section } : {}) });
        return item.section === 'keyless' ? this.settings : null;
      }),
    );
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.record(this.registrations, ...params.registrations);
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.record(this.shownDocuments, params);
      return { success: true };
    });
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshRequests++;
      this.notify();
    });
    connection.onError(() => undefined);
    connection.listen();
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, options.settings ?? {});
    const folder = options.workspaceFolder;
    client.initializeResult = await client.withTimeout(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        clientInfo: { name: 'keyless-lsp-tests' },
        rootUri: folder === undefined ? null : fileUri(folder),
        workspaceFolders: folder === undefined ? null : [{ uri: fileUri(folder), name: path.basename(folder) }],
        capabilities: options.capabilities ?? defaultCapabilities(options.pull ?? false),
        ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
      }),
      'the initialize response',
    );
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private record<T>(into: T[], ...items: T[]): void {
    into.push(...items);
    this.notify();
  }

  private notify(): void {
    for (const check of [...this.checks]) check();
  }

  /** Bounds a promise by the timeout, and by the server's life unless exiting is what is awaited. */
  private withTimeout<T>(promise: Promise<T>, description: string, options: { timeoutMs?: number; exitExpected?: boolean } = {}): Promise<T> {
    let listening = false;
    return this.watch<T>(description, options.timeoutMs ?? WAIT_MS, (settle) => {
      if (!listening) {
        listening = true;
        promise.then(settle.resolve, (error: unknown) => settle.reject(error instanceof Error ? error : new Error(String(error))));
      }
      if (this.exitCode !== undefined && !options.exitExpected) settle.reject(this.exitedWhile(description));
    });
  }

  /**
   * Runs `evaluate` now and after every server message until it settles the promise, which is
   * rejected after `timeoutMs`: what every wait of this client is made of.
   */
  private watch<T>(description: string, timeoutMs: number, evaluate: (settle: { resolve: (value: T) => void; reject: (error: Error) => void }) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => evaluate(settle);
      const timer = setTimeout(() => settle.reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.${this.debugTail()}`)), timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.checks.delete(check);
      };
      const settle = {
        resolve: (value: T): void => {
          finish();
          resolve(value);
        },
        reject: (error: Error): void => {
          finish();
          reject(error);
        },
      };
      this.checks.add(check);
      check();
    });
  }

  private exitedWhile(description: string): Error {
    return new Error(`The server exited (code ${this.exitCode}) while waiting for ${description}.${this.debugTail()}`);
  }

  private debugTail(): string {
    const logs = this.logs.slice(-5).map((l) => `  log: ${l.message.split('\n')[0]}`);
    const stderr = this.stderr.trim() === '' ? [] : [`  stderr: ${this.stderr.trim().slice(-500)}`];
    return logs.length + stderr.length === 0 ? '' : `\n${[...logs, ...stderr].join('\n')}`;
  }

  /** Resolves with the first truthy value of `check`, evaluated now and after every server message. */
  waitFor<T>(description: string, check: () => T | undefined | false | null, timeoutMs = WAIT_MS): Promise<T> {
    return this.watch<T>(description, timeoutMs, (settle) => {
      const value = check();
      if (value !== undefined && value !== false && value !== null) settle.resolve(value);
      else if (this.exitCode !== undefined) settle.reject(this.exitedWhile(description));
    });
  }


  /**
   * The code actions the server offers for `diagnostics` (quick fixes by default): fixes are
   * computed when asked for, so this is how a test sees them.
   */
  async codeActions(uri: string, diagnostics: Diagnostic[], only: string[] = [CodeActionKind.QuickFix]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await this.request(() => this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } }), 'textDocument/codeAction');
    return (actions ?? []).filter((action): action is CodeAction => 'kind' in action || 'edit' in action);
  }

  /** Every publish for a document, oldest first. */
  publishedFor(uri: string): PublishDiagnosticsParams[] {
    return this.published.filter((p) => p.uri === uri);
  }

  latest(uri: string): PublishDiagnosticsParams | undefined {
    return this.publishedFor(uri).at(-1);
  }

  /** The first publish for `uri` after `since` publishes in total that satisfies `accept`. */
  waitForDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean, description: string, since = 0): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics for ${path.basename(uri)}: ${description}`, () => this.published.slice(since).find((p) => p.uri === uri && accept(p)));
  }

  /** Diagnostics of the document's current version (push mode), published since it was last sent. */
  waitForCurrent(uri: string, description = 'the current version'): Promise<PublishDiagnosticsParams> {
    const version = this.version(uri);
    return this.waitForDiagnostics(uri, (p) => p.version === version, `${description} (version ${version})`, this.sentAt.get(uri) ?? 0);
  }

  text(uri: string): string {
    return this.document(uri).getText();
  }

  version(uri: string): number {
    return this.document(uri).version;
  }

  private document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (document === undefined) throw new Error(`${uri} is not open`);
    return document;
  }

  async open(uri: string, text: string, languageId = languageOf(uri)): Promise<void> {
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    this.sentAt.set(uri, this.published.length);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends incremental changes (ranges in the current text) and applies them to the local copy. */
  async change(uri: string, ...changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const document = this.document(uri);
    const version = document.version + 1;
    const updated = TextDocument.update(document, changes, version);
    this.documents.set(uri, updated);
    this.sentAt.set(uri, this.published.length);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Replaces the first occurrence of `search` with `replacement`, as an incremental change. */
  replace(uri: string, search: string, replacement: string): Promise<number> {
    const document = this.document(uri);
    const offset = document.getText().indexOf(search);
    if (offset < 0) throw new Error(`"${search}" is not in ${uri}`);
    const range = { start: document.positionAt(offset), end: document.positionAt(offset + search.length) };
    return this.change(uri, { range, text: replacement });
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** A request with a timeout, so a hung server fails the test instead of the suite. */
  request<R>(send: () => Promise<R>, description: string): Promise<R> {
    return this.withTimeout(send(), description);
  }

  /** shutdown, then exit; resolves with the exit code. */
  async shutdown(): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    await this.withTimeout(this.connection.sendRequest(ShutdownRequest.type), 'the shutdown response');
    await this.connection.sendNotification(ExitNotification.type);
    return this.withTimeout(this.exited, 'the server to exit', { exitExpected: true });
  }

  /** For after hooks: ends the server however it is, without failing a test twice. */
  async dispose(): Promise<void> {
    if (this.exitCode === undefined) {
      try {
        await this.shutdown();
      } catch {
        this.child.kill();
      }
    }
    this.connection.dispose();
  }

  /** Resolves when the process has exited, with its code. */
  waitForExit(): Promise<number | null> {
    return this.withTimeout(this.exited, 'the server to exit', { exitExpected: true });
  }
}

function languageOf(uri: string): string {
  if (/\.tf$|\.tfvars$/.test(uri)) return 'terraform';
  if (/\.json$/.test(uri)) return 'json';
  if (/\.ya?ml$/.test(uri)) return 'yaml';
  return 'plaintext';
}

/** Applies LSP text edits to a text, as the editor would. */
export function applyEdits(text: string, edits: Parameters<typeof TextDocument.applyEdits>[1]): string {
  return TextDocument.applyEdits(TextDocument.create('untitled:edit', 'plaintext', 0, text), edits);
}

/** Percentile of a sample (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
