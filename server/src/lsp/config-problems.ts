import * as path from 'node:path';
import { MessageType } from 'vscode-languageserver';
import type { ConfigProblem } from '../engine/config';
import { configProblemDiagnostics } from './diagnostics';
import type { WorkspaceFolder } from './paths';
import type { ClientChannel } from './session';

/** A folder's `.keyless.yaml` problems as read, with what is needed to show them. */
export interface ConfigProblemsState {
  problems: ConfigProblem[];
  /** The file's text, for drawing problem ranges to the end of their line. */
  text: string | undefined;
  /** Read from an open editor (unsaved text) rather than from disk. */
  fromEditor: boolean;
}

/**
 * Config problems become diagnostics on `.keyless.yaml` (pushed in both modes: the file may be
 * closed), and, for a file read from disk, one warning message per set of problems.
 */
export class ConfigProblemNotices {
  /** Per folder: the problems already announced in a warning message, so it is shown once. */
  private readonly warned = new Map<string, string>();
  /** Per folder: the URI config problems were published on, to clear them when they are fixed. */
  private readonly diagnosticUris = new Map<string, string>();

  constructor(private readonly channel: ClientChannel) {}

  announce(folder: WorkspaceFolder, state: ConfigProblemsState, uri: string): void {
    const previousUri = this.diagnosticUris.get(folder.uri);
    if (previousUri !== undefined && previousUri !== uri) this.channel.publishDiagnostics({ uri: previousUri, diagnostics: [] });
    if (state.problems.length > 0 || previousUri !== undefined) {
      this.channel.publishDiagnostics({ uri, diagnostics: configProblemDiagnostics(state.problems, state.text) });
    }
    if (state.problems.length > 0) this.diagnosticUris.set(folder.uri, uri);
    else this.diagnosticUris.delete(folder.uri);

    if (state.problems.length === 0) {
      this.warned.delete(folder.uri);
      return;
    }
    // While the file is being edited its diagnostics are in front of the user; a message box on
    // every half-typed line would only get in the way.
    if (state.fromEditor) return;
    const signature = state.problems.map((p) => `${p.position.line}:${p.message}`).join('\n');
    if (this.warned.get(folder.uri) === signature) return;
    this.warned.set(folder.uri, signature);
    const first = state.problems[0]!;
    const more = state.problems.length > 1 ? ` (and ${state.problems.length - 1} more)` : '';
    this.channel.showMessage(
      MessageType.Warning,
      `Keyless: ${path.basename(folder.path)}/.keyless.yaml line ${first.position.line + 1}: ${first.message}${more}. The valid entries apply; the rest keep their defaults.`,
    );
  }

  /** The folder left the workspace: its problems' diagnostics are cleared. */
  folderRemoved(folderUri: string): void {
    const configUri = this.diagnosticUris.get(folderUri);
    if (configUri !== undefined) this.channel.publishDiagnostics({ uri: configUri, diagnostics: [] });
    this.diagnosticUris.delete(folderUri);
  }
}
