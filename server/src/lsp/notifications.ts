import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DidChangeWatchedFilesParams, WorkspaceFoldersChangeEvent } from 'vscode-languageserver';
import { TRUST_CHANGED_NOTIFICATION, type TrustChangedParams } from '../../../protocol/keyless';
import { readsFile } from '../dialects/detect';
import type { CodeActionRequests } from './code-action-requests';
import type { Configuration } from './configuration';
import type { DocumentAnalyses } from './document-analyses';
import type { OpenDocuments } from './documents';
import type { FolderIndexes } from './folder-indexes';
import { configFileOf, toWorkspaceFolder, uriToPath, type WorkspaceFolder } from './paths';
import type { Session } from './session';
import type { WorkspaceReports } from './workspace-report';

/**
 * What each notification from the client does to the server's state: documents changing and
 * closing, settings, Workspace Trust, files changed on disk, workspace folders coming and going.
 * Each fans out to the parts it touches; a config change (`configChanged`) is what several of them
 * come to.
 */

/** The server's parts, made and wired in server.ts. */
export interface ServerParts {
  session: Session;
  documents: OpenDocuments;
  configuration: Configuration;
  analyses: DocumentAnalyses;
  indexes: FolderIndexes;
  reports: WorkspaceReports;
  codeActions: CodeActionRequests;
}

/** Something the analysis depends on changed: every result is stale. */
export function configChanged({ session, documents, configuration, analyses, indexes, reports }: ServerParts): void {
  configuration.invalidate();
  void indexes.reindexIfIgnoreChanged().catch((error: unknown) => session.logError('Re-indexing the workspace failed', error));
  // Rules, severities, ignore globs or the scope may have changed: every folder's report is redone.
  for (const folder of session.folders) reports.rebuild(folder);
  const client = session.client;
  if (client.pull) {
    if (client.pullRefresh) session.channel.refreshDiagnostics().catch((error: unknown) => session.logError('Asking the client to refresh diagnostics failed', error));
    return;
  }
  for (const document of documents.all()) if (documents.isAnalyzable(document)) analyses.schedule(document.uri);
}

/** didOpen and didChange: the document's new version is analyzed (pushed), or waits for the client's pull. */
export function documentChanged({ session, documents, analyses, indexes }: ServerParts, document: TextDocument): void {
  const { uri } = document;
  // Requests about the previous version are answered now (ContentModified), not after the burst.
  analyses.moved(uri, document.version);
  session.lastEditAt = performance.now();
  if (documents.configFolderOf(uri) !== undefined) {
    analyses.schedule(uri);
    return;
  }
  if (!documents.isAnalyzable(document)) return;
  const file = uriToPath(uri);
  if (file !== undefined) indexes.queueUpdate(file, 'on-request');
  // With pull, the client asks when it wants diagnostics; analysis waits for that request.
  if (!session.client.pull) analyses.schedule(uri);
}

/** didClose: the file's saved text counts again, in the index, the config and the workspace report. */
export function documentClosed({ session, documents, configuration, analyses, indexes, reports, codeActions }: ServerParts, document: TextDocument): void {
  const { uri } = document;
  analyses.closed(uri);
  codeActions.forget(uri);
  const configFolder = documents.configFolderOf(uri);
  // Back to the disk's text in the index too: unsaved edits of a closed document are gone.
  const file = uriToPath(uri);
  if (file !== undefined && configFolder === undefined) indexes.queueUpdate(file, 'soon');
  if (configFolder !== undefined) {
    documents.forget(uri);
    // Back to what is on disk: unsaved edits of the config no longer count.
    void configuration.reloadFolderConfig(configFolder).catch((error: unknown) => session.logError('Reloading .keyless.yaml failed', error));
    return;
  }
  const analyzed = documents.targetOf(document) !== undefined;
  documents.forget(uri);
  if (!session.client.pull && analyzed) session.channel.publishDiagnostics({ uri, diagnostics: [] });
  // The saved text counts again: its workspace entry is recomputed and sent anew (the client
  // dropped the document's diagnostics, and holds the old entry's id).
  if (file !== undefined) void reports.closed(file, uri).catch((error: unknown) => session.logError(`Reporting ${uri} failed`, error));
}

/** `keyless/trustChanged` (protocol/keyless.ts): the restricted settings are read again. */
export function trustChanged({ session, configuration }: ServerParts, params: unknown): void {
  const trusted = typeof params === 'object' && params !== null ? (params as Partial<TrustChangedParams>).trusted : undefined;
  if (typeof trusted !== 'boolean') {
    session.channel.log.warn(`${TRUST_CHANGED_NOTIFICATION} without a boolean "trusted": ignored`);
    return;
  }
  configuration.trustChanged(trusted);
}

/**
 * didChangeWatchedFiles: a `.keyless.yaml` that is not open is read again; a file Keyless reads
 * reaches the index and the workspace report after a pause; a git config, the repositories.
 */
export async function watchedFilesChanged({ documents, configuration, indexes, reports }: ServerParts, params: DidChangeWatchedFilesParams): Promise<void> {
  const touched = new Map<string, WorkspaceFolder>();
  let gitConfigChanged = false;
  for (const change of params.changes) {
    const folder = documents.configFolderOf(change.uri);
    // An open config is read from the editor, which is ahead of the disk.
    if (folder !== undefined && documents.get(change.uri) === undefined && documents.openAt(configFileOf(folder)) === undefined) touched.set(folder.uri, folder);
    const file = uriToPath(change.uri);
    if (file === undefined || folder !== undefined) continue;
    if (indexes.isGitConfig(file)) gitConfigChanged = true;
    else if (readsFile(file)) {
      indexes.queueUpdate(file, 'soon');
      reports.queueUpdate(file);
    }
  }
  for (const folder of touched.values()) await configuration.reloadFolderConfig(folder);
  if (gitConfigChanged) await indexes.refreshRepositories();
}

/** didChangeWorkspaceFolders: a folder that left reports nothing any more; one that came is read and indexed. */
export function foldersChanged(parts: ServerParts, event: WorkspaceFoldersChangeEvent): void {
  const { session, configuration, indexes, reports } = parts;
  const removed = new Set(event.removed.map((folder) => folder.uri));
  for (const uri of removed) {
    configuration.folderRemoved(uri);
    indexes.folderRemoved(uri);
  }
  const added = event.added.flatMap((folder) => toWorkspaceFolder(folder.uri) ?? []);
  const gone = session.folders.filter((folder) => removed.has(folder.uri));
  session.folders = [...session.folders.filter((folder) => !removed.has(folder.uri)), ...added];
  for (const folder of gone) reports.drop(folder);
  for (const folder of added) void configuration.folderConfigFor(folder);
  configChanged(parts);
  for (const folder of added) indexes.rebuild(folder);
}
