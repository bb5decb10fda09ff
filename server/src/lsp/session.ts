import type { MessageType, PublishDiagnosticsParams, ShowDocumentParams } from 'vscode-languageserver';
import type { Engine } from '../engine/analyze';
import { clientSupport, type ClientSupport } from './client-support';
import { describeError } from './errors';
import type { WorkspaceFolder } from './paths';

/**
 * What the server's modules send to the client, as functions: server.ts makes them from the LSP
 * connection, so no module under lsp/ holds the connection itself.
 */
export interface ClientChannel {
  /** `window/logMessage`: never document text, never credential values (errors go through `logError`). */
  log: { error(message: string): void; warn(message: string): void; info(message: string): void; debug(message: string): void };
  /** `textDocument/publishDiagnostics`, not awaited. */
  publishDiagnostics(params: PublishDiagnosticsParams): void;
  /** `window/showMessage`: a notification, not a request, since there is nothing to answer. */
  showMessage(type: MessageType, message: string): void;
  showDocument(params: ShowDocumentParams): Promise<unknown>;
  /** `workspace/configuration` for the `keyless` section, of a folder's scope or of none. */
  keylessSettings(scopeUri: string | undefined): Promise<unknown>;
  /** `workspace/diagnostic/refresh`. */
  refreshDiagnostics(): Promise<void>;
}

/**
 * What every part of the server shares, in one object handed to each: the engine (once
 * `initialize` built it), what the client supports, the workspace folders, whether shutdown began,
 * when the user last typed, and the channel to the client.
 */
export class Session {
  engine: Engine | undefined;
  client: ClientSupport = clientSupport({});
  /** Replaced, never mutated: caches keyed on the folder set compare it by identity. */
  folders: WorkspaceFolder[] = [];
  shutdownRequested = false;
  /** When the last document was opened or edited: background work waits for the user to pause. */
  lastEditAt = -Infinity;

  constructor(readonly channel: ClientChannel) {}

  /** Logs a failure with error text that never quotes content (lsp/errors.ts). */
  readonly logError = (what: string, error: unknown): void => {
    this.channel.log.error(`${what}\n${describeError(error)}`);
  };
}
