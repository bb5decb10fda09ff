/**
 * Just enough of the `vscode` module for `dist/client.js` and the real `vscode-languageclient` to
 * activate, start the real server over IPC and finish the initialize handshake, outside VS Code.
 * Events never fire, there are no open documents or folders, settings are empty. Namespaces answer
 * any function they do not define with a no-op returning a disposable (registering a provider, a
 * listener, a command), so the language client's feature set can change without this breaking.
 * `errors` collects what the client would have shown the user as an error.
 */

type Listener = (value: unknown) => unknown;

class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  constructor(private readonly onDispose: () => unknown = () => undefined) {}
  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter {
  private readonly listeners = new Set<Listener>();
  readonly event = (listener: Listener): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: unknown): void {
    for (const l of this.listeners) l(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class CancellationTokenSource {
  private readonly emitter = new EventEmitter();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire(undefined);
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(value: string): Uri {
    const match = /^([a-z][\w+.-]*):(?:\/\/[^/]*)?(.*)$/i.exec(value);
    return match ? new Uri(match[1]!, decodeURIComponent(match[2]!)) : new Uri('file', value);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${encodeURI(this.path)}`;
  }
  with(change: { scheme?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
}

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

class CancellationError extends Error {}

/** A namespace object whose missing functions are no-ops returning a disposable. */
function namespace(defined: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(defined, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) return (target as Record<string | symbol, unknown>)[key];
      return () => new Disposable();
    },
  });
}

const outputChannel = (): unknown =>
  namespace({ name: 'stub', logLevel: 2, onDidChangeLogLevel: new EventEmitter().event, dispose: () => undefined });

const configuration = {
  get: (_key: string, fallback?: unknown) => fallback,
  has: () => false,
  inspect: () => undefined,
  update: () => Promise.resolve(),
};

export const errors: string[] = [];

/**
 * A value that can be extended, constructed, called and read at any depth, each member again such
 * a value, kept per path so that `X.A === X.A`; never a thenable, so awaiting one is harmless.
 */
function anything(name: string): unknown {
  const members = new Map<string | symbol, unknown>();
  const stub = class {
    constructor(..._args: unknown[]) {}
  };
  Object.defineProperty(stub, 'name', { value: name });
  return new Proxy(stub, {
    get(target, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === 'prototype' || key === 'name' || key === 'length') return (target as unknown as Record<string | symbol, unknown>)[key];
      if (!members.has(key)) members.set(key, anything(`${name}.${String(key)}`));
      return members.get(key);
    },
    apply: () => anything(`${name}()`),
  });
}

export function createVscodeStub(): Record<string, unknown> {
  const never = new EventEmitter().event;
  const exports: Record<string, unknown> = {
    version: '1.100.0',
    Disposable,
    EventEmitter,
    CancellationTokenSource,
    CancellationError,
    Uri,
    Position,
    Range,
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    env: { language: 'en', appName: 'Keyless bench', machineId: 'bench', openExternal: () => Promise.resolve(false) },
    workspace: namespace({
      workspaceFolders: undefined,
      textDocuments: [],
      notebookDocuments: [],
      isTrusted: true,
      getConfiguration: () => configuration,
      getWorkspaceFolder: () => undefined,
      createFileSystemWatcher: () => namespace({ onDidCreate: never, onDidChange: never, onDidDelete: never, dispose: () => undefined }),
      onDidChangeConfiguration: never,
      onDidOpenTextDocument: never,
      onDidCloseTextDocument: never,
      onDidChangeTextDocument: never,
      onDidSaveTextDocument: never,
      onWillSaveTextDocument: never,
      onDidChangeWorkspaceFolders: never,
      onDidGrantWorkspaceTrust: never,
    }),
    window: namespace({
      activeTextEditor: undefined,
      visibleTextEditors: [],
      tabGroups: { all: [], onDidChangeTabs: never, onDidChangeTabGroups: never },
      createOutputChannel: outputChannel,
      onDidChangeActiveTextEditor: never,
      onDidChangeVisibleTextEditors: never,
      showErrorMessage: (message: string) => {
        errors.push(message);
        return Promise.resolve(undefined);
      },
      showWarningMessage: () => Promise.resolve(undefined),
      showInformationMessage: () => Promise.resolve(undefined),
      withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => unknown) => task({ report: () => undefined }, new CancellationTokenSource().token),
    }),
    languages: namespace({
      match: () => 0,
      createDiagnosticCollection: () =>
        namespace({ set: () => undefined, delete: () => undefined, clear: () => undefined, forEach: () => undefined, get: () => undefined, has: () => false, dispose: () => undefined }),
    }),
    commands: namespace({ executeCommand: () => Promise.resolve(undefined) }),
    notebooks: namespace({}),
  };
  return new Proxy(exports, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) return target[key as string];
      // A class or enum the client names (CodeActionKind.QuickFix, a class it extends, classes its
      // converters build): constructible, with any member, and stable per name.
      return (target[key] = anything(key));
    },
  });
}
