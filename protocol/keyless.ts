/**
 * What the VS Code client and the language server say to each other beyond LSP itself: every
 * custom command and notification name, and the shape of what each carries. Both sides import
 * the names from here, so each is written once; `test/lsp/protocol.test.ts` holds the client, the
 * server and package.json's `contributes.commands` to this file. No imports: both bundles
 * (scripts/build.mjs) take it as it is.
 */

/**
 * "Keyless: Scan workspace". Run by the server (it lists it in `executeCommandProvider`), which
 * answers a `ScanWorkspaceResult`; the client adds the progress and the summary around it.
 */
export const SCAN_WORKSPACE_COMMAND = 'keyless.scanWorkspace';

/** "Keyless: Restart server": the client's alone. */
export const RESTART_SERVER_COMMAND = 'keyless.restartServer';

/** "Keyless: Open an example workflow", the walkthrough's first step: the client's alone. */
export const OPEN_EXAMPLE_COMMAND = 'keyless.openExample';

/**
 * The command a code action carries when its fix created files or left work for a person: the
 * editor runs it after the edit, and the server opens the files and shows what is left
 * (server/src/lsp/after-fix.ts). Never contributed: no one runs it by hand.
 */
export const FIX_APPLIED_COMMAND = 'keyless.fixApplied';

/**
 * Client → server, when the user grants Workspace Trust (taking it back reloads the window):
 * the server reads the `keyless.*` settings again, whose restricted part (package.json
 * `restrictedConfigurations`) the editor now answers with the workspace's own values.
 */
export const TRUST_CHANGED_NOTIFICATION = 'keyless/trustChanged';

export interface TrustChangedParams {
  trusted: boolean;
}

/** The client's `initializationOptions`: what only the editor knows when the server starts. */
export interface InitializationOptions {
  /** Workspace Trust at start; later changes come as `keyless/trustChanged`. */
  trusted?: boolean;
  /**
   * The editor shows a diagnostic's message in the hover box of its range (VS Code does; Neovim
   * and Helix do not): the server's hover then leaves out what that box already says.
   */
  hoverShowsDiagnostics?: boolean;
}

/** What `keyless.scanWorkspace` answers: the files the scan read and their findings. */
export interface ScanWorkspaceResult {
  files: number;
  findings: number;
}
