import type { ClientCapabilities } from 'vscode-languageserver';
import type { InitializationOptions } from '../../../protocol/keyless';

/** What the client said it can do, reduced to the questions this server asks. */
export interface ClientSupport {
  /** Pull diagnostics (`textDocument/diagnostic`): answered instead of pushing. */
  pull: boolean;
  pullRefresh: boolean;
  configuration: boolean;
  configurationRegistration: boolean;
  watchedFilesRegistration: boolean;
  workspaceFolders: boolean;
  relatedInformation: boolean;
  documentChanges: boolean;
  /** Files created in a WorkspaceEdit: what fixes that write the cloud side need. */
  createFiles: boolean;
  /**
   * The editor shows a diagnostic's message in the hover box of its range (VS Code does; Neovim
   * and Helix do not): our hover then leaves out what that box already says. Only the client
   * knows, so its extension says so in `initializationOptions.hoverShowsDiagnostics`.
   */
  hoverShowsDiagnostics: boolean;
  /** `window/showDocument`: a file a fix created is opened for the user to see. */
  showDocument: boolean;
}

/** The client's capabilities and `initializationOptions` (protocol/keyless.ts), as the server asks about them. */
export function clientSupport(capabilities: ClientCapabilities, initializationOptions?: unknown): ClientSupport {
  const text = capabilities.textDocument;
  const workspace = capabilities.workspace;
  return {
    pull: text?.diagnostic !== undefined,
    pullRefresh: workspace?.diagnostics?.refreshSupport === true,
    configuration: workspace?.configuration === true,
    configurationRegistration: workspace?.didChangeConfiguration?.dynamicRegistration === true,
    watchedFilesRegistration: workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: workspace?.workspaceFolders === true,
    relatedInformation: text?.diagnostic?.relatedInformation === true || text?.publishDiagnostics?.relatedInformation === true,
    documentChanges: workspace?.workspaceEdit?.documentChanges === true,
    createFiles: workspace?.workspaceEdit?.documentChanges === true && (workspace.workspaceEdit.resourceOperations ?? []).includes('create'),
    hoverShowsDiagnostics: readInitializationOptions(initializationOptions).hoverShowsDiagnostics === true,
    showDocument: capabilities.window?.showDocument?.support === true,
  };
}

/**
 * Workspace Trust at start, as the client said it (`initializationOptions.trusted`); undefined
 * when it said nothing (an editor without Workspace Trust).
 */
export function initialTrust(initializationOptions: unknown): boolean | undefined {
  const trusted = readInitializationOptions(initializationOptions).trusted;
  return typeof trusted === 'boolean' ? trusted : undefined;
}

/** The options arrive as untyped JSON: each field is checked where it is read. */
function readInitializationOptions(options: unknown): { [K in keyof InitializationOptions]?: unknown } {
  return typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
}
