import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type DocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type WorkspaceDiagnosticReport,
} from 'vscode-languageserver/node';
import { version as keylessVersion } from '../../package.json';
import { TRUST_CHANGED_NOTIFICATION } from '../../protocol/keyless';
import { createEngine } from './workspace/grammar';
import { backgroundPause, startBackgroundWork } from './lsp/background';
import { clientSupport, initialTrust } from './lsp/client-support';
import { CodeActionRequests } from './lsp/code-action-requests';
import { CODE_ACTION_KINDS } from './lsp/code-actions';
import { executeCommand, SERVER_COMMANDS } from './lsp/commands';
import { CONFIG_WATCH_PATTERN, Configuration } from './lsp/configuration';
import { DocumentAnalyses } from './lsp/document-analyses';
import { OpenDocuments } from './lsp/documents';
import { FolderIndexes, INDEX_UPDATE_DELAY_MS, INDEX_WATCH_PATTERNS } from './lsp/folder-indexes';
import { guarded as guardedWith, guardedRequest as guardedRequestWith } from './lsp/guards';
import { answerHover } from './lsp/hover';
import { configChanged, documentChanged, documentClosed, foldersChanged, trustChanged, watchedFilesChanged, type ServerParts } from './lsp/notifications';
import { toWorkspaceFolder } from './lsp/paths';
import { throwIfCancelled } from './lsp/results';
import { Session } from './lsp/session';
import { WorkspaceReports } from './lsp/workspace-report';

/**
 * The language server's wiring: the LSP connection, the capabilities, and one handler per message
 * that hands it to the part under lsp/ that does the work. All state lives in those parts, made
 * here and handed to each other; this is the only file that touches the connection.
 */

const connection = createConnection(ProposedFeatures.all);
const textDocuments = new TextDocuments(TextDocument);

const session = new Session({
  log: {
    error: (message) => connection.console.error(message),
    warn: (message) => connection.console.warn(message),
    info: (message) => connection.console.info(message),
    debug: (message) => connection.console.debug(message),
  },
  publishDiagnostics: (params) => void connection.sendDiagnostics(params),
  showMessage: (type, message) => void connection.sendNotification(ShowMessageNotification.type, { type, message }),
  showDocument: (params) => connection.window.showDocument(params),
  keylessSettings: (scopeUri) => connection.workspace.getConfiguration(scopeUri === undefined ? { section: 'keyless' } : { scopeUri, section: 'keyless' }),
  refreshDiagnostics: () => connection.languages.diagnostics.refresh(),
});
const guarded = <A extends unknown[]>(what: string, handler: (...args: A) => void | Promise<void>): ((...args: A) => void) => guardedWith(session.logError, what, handler);
const guardedRequest = <R>(what: string, fallback: R, handler: () => R | Promise<R>): Promise<R> => guardedRequestWith(session.logError, what, fallback, handler);

const documents = new OpenDocuments(textDocuments, () => session.folders);
const configuration = new Configuration(session, documents, () => configChanged(parts));
const analyses = new DocumentAnalyses(session, documents, configuration, (uri) => reports.entryOf(uri)?.diagnostics);
const pause = (): Promise<void> => backgroundPause(session, () => analyses.idle);
const indexes = new FolderIndexes(session, documents, configuration, pause);
/** Per workspace folder, the findings of its files as saved: workspace diagnostics (lsp/workspace-report.ts). */
const reports = new WorkspaceReports({
  engine: () => session.engine,
  folders: () => session.folders,
  folderSettings: async (folder) => {
    const [effective, settings] = await Promise.all([configuration.effectiveConfigFor(folder), configuration.settingsFor(folder)]);
    return { enable: effective.enable, scope: settings.scope, config: effective.config };
  },
  isOpen: (uri) => documents.get(uri) !== undefined,
  isOpenAt: (absolute) => documents.openAt(absolute) !== undefined,
  relatedInformation: () => session.client.relatedInformation,
  // Under pull the client asks (workspace/diagnostic); otherwise the closed files' are pushed.
  publish: (uri, diagnostics) => {
    if (!session.client.pull) session.channel.publishDiagnostics({ uri, diagnostics });
  },
  pause,
  stopped: () => session.shutdownRequested,
  log: (message) => session.channel.log.info(message),
  onError: session.logError,
  updateDelayMs: INDEX_UPDATE_DELAY_MS,
});
const codeActions = new CodeActionRequests(session, documents, configuration, analyses, indexes);
const parts: ServerParts = { session, documents, configuration, analyses, indexes, reports, codeActions };

// --- lifecycle -------------------------------------------------------------------------------

connection.onInitialize(async (params): Promise<InitializeResult> => {
  session.client = clientSupport(params.capabilities, params.initializationOptions);
  configuration.startTrust(initialTrust(params.initializationOptions));
  const initialFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
  session.folders = initialFolders.flatMap((folder) => toWorkspaceFolder(folder.uri) ?? []);
  session.engine = await createEngine();
  const result: InitializeResult = {
    serverInfo: { name: 'keyless', version: keylessVersion },
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
      hoverProvider: true,
      executeCommandProvider: { commands: SERVER_COMMANDS },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
  };
  if (session.client.pull) {
    // Workspace diagnostics: the findings of files that are not open, from lsp/workspace-report.ts.
    result.capabilities.diagnosticProvider = { identifier: 'keyless', interFileDependencies: false, workspaceDiagnostics: true };
  }
  return result;
});

connection.onInitialized(
  guarded('Finishing initialization', () => {
    const client = session.client;
    if (client.workspaceFolders) connection.workspace.onDidChangeWorkspaceFolders(guarded('Handling workspace folder changes', (event) => foldersChanged(parts, event)));
    // Read every folder's config now, so that a broken one is reported before any file is opened.
    for (const folder of session.folders) void configuration.folderConfigFor(folder);
    // Each registration on its own: a client that refuses one still gets the others.
    const registrations: Promise<unknown>[] = [];
    if (client.configurationRegistration) registrations.push(connection.client.register(DidChangeConfigurationNotification.type, { section: 'keyless' }));
    if (client.watchedFilesRegistration) {
      registrations.push(connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: CONFIG_WATCH_PATTERN }] }));
      registrations.push(connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: INDEX_WATCH_PATTERNS.map((globPattern) => ({ globPattern })) }));
    }
    for (const registration of registrations) registration.catch((error: unknown) => session.logError('A capability registration failed', error));
    void startBackgroundWork(session, { pause, index: (folder) => indexes.rebuild(folder), report: (folder) => reports.rebuild(folder) });
  }),
);

connection.onShutdown(() => {
  session.shutdownRequested = true;
  analyses.stop();
  reports.stop();
});

// The client starting us over node IPC may die without saying goodbye: its channel closing is the
// signal. (Over stdio, the end of stdin is, and vscode-languageserver handles that itself.)
if (process.argv.includes('--node-ipc')) {
  process.on('disconnect', () => process.exit(session.shutdownRequested ? 0 : 1));
}

process.on('uncaughtException', (error) => session.logError('Unexpected error (the server keeps running)', error));
process.on('unhandledRejection', (reason) => session.logError('Unhandled rejection (the server keeps running)', reason));

// --- notifications (lsp/notifications.ts) ----------------------------------------------------

textDocuments.onDidChangeContent(guarded('Handling a document change', (event) => documentChanged(parts, event.document)));
textDocuments.onDidClose(guarded('Handling a closed document', (event) => documentClosed(parts, event.document)));
connection.onDidChangeConfiguration(guarded('Handling a settings change', (params) => configuration.settingsNotified(params.settings)));
connection.onNotification(TRUST_CHANGED_NOTIFICATION, guarded('Handling a trust change', (params: unknown) => trustChanged(parts, params)));
connection.onDidChangeWatchedFiles(guarded('Handling changed files', (params) => watchedFilesChanged(parts, params)));

// --- requests --------------------------------------------------------------------------------

connection.languages.diagnostics.on((params, token) =>
  guardedRequest<DocumentDiagnosticReport>(`Diagnostics for ${params.textDocument.uri}`, { kind: DocumentDiagnosticReportKind.Full, items: [] }, () => analyses.diagnosticReport(params, token)),
);

connection.languages.diagnostics.onWorkspace((params, token) =>
  guardedRequest<WorkspaceDiagnosticReport>('Workspace diagnostics', { items: [] }, async () => {
    const report = await reports.pull(params.previousResultIds, token);
    throwIfCancelled(token);
    return report;
  }),
);

connection.onHover((params, token) =>
  guardedRequest<Hover | null>(`Hover in ${params.textDocument.uri}`, null, () => answerHover(documents, analyses, { diagnosticsShown: session.client.hoverShowsDiagnostics }, params, token)),
);

connection.onCodeAction((params, token) => guardedRequest<CodeAction[]>(`Code actions for ${params.textDocument.uri}`, [], () => codeActions.answer(params, token)));

connection.onExecuteCommand((params, token, progress) => executeCommand(session, reports, params, token, progress));

textDocuments.listen(connection);
connection.listen();
