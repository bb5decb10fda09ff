import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type WorkDoneProgressReporter,
  type WorkspaceDiagnosticReport,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { version as keylessVersion } from '../../package.json';
import { Engine } from './engine/analyze';
import { DEFAULT_CONFIG, mergeConfigs, parseConfig, pathMatcher, type ConfigProblem, type KeylessConfig } from './engine/config';
import type { Range } from './syntax/text';
import type { WorkspaceContext } from './engine/workspace';
import { analyzeDocument, isIgnored, type AnalysisOutput } from './lsp/analysis';
import { CODE_ACTION_KINDS, FIX_ALL_KIND, quickFixes, safeFixes, toWorkspaceEdit, wantsKind } from './lsp/code-actions';
import { configProblemDiagnostics, DIAGNOSTIC_SOURCE, isKeylessDiagnosticData, toDiagnosticFixes, type DiagnosticFix } from './lsp/diagnostics';
import { describeError } from './lsp/errors';
import { toHover } from './lsp/hover';
import { configFileOf, documentTarget, folderOf, pathToUri, samePath, toWorkspaceFolder, uriToPath, type DocumentTarget, type WorkspaceFolder } from './lsp/paths';
import { FIX_APPLIED_COMMAND, fixAppliedCommand, followUpMessage, readFixAppliedArguments } from './lsp/after-fix';
import { warmUp } from './lsp/warm-up';
import { WorkspaceReports } from './lsp/workspace-report';
import { DocumentResults, NoResult, staleAnswer, throwIfCancelled, type DocumentResult } from './lsp/results';
import { DocumentScheduler } from './lsp/scheduler';
import { DEFAULT_SETTINGS, readSettings, type EditorSettings } from './lsp/settings';
import { readsFile } from './dialects/detect';
import { YamlParseCache } from './syntax/yaml-incremental';
import { readText, WorkspaceIndex } from './workspace/context';
import { ALWAYS_SKIPPED, gitIgnoredAbove, loadConfig, toPosix } from './workspace/files';
import { gitRepositoryOf } from './workspace/git';

/**
 * The language server: the only module that talks to the LSP connection. It turns editor events
 * into engine calls and engine findings into diagnostics and code actions; what it computes lives
 * in `lsp/` and the engine.
 */

const SCAN_COMMAND = 'keyless.scanWorkspace';
const CONFIG_WATCH_PATTERN = '**/.keyless.yaml';

// --- connection and client ------------------------------------------------------------------

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** What the client said it can do, reduced to the questions this server asks. */
interface ClientSupport {
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

function clientSupport(capabilities: ClientCapabilities): ClientSupport {
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
    hoverShowsDiagnostics: false,
    showDocument: capabilities.window?.showDocument?.support === true,
  };
}

let engine: Engine | undefined;
let client: ClientSupport = clientSupport({});
let folders: WorkspaceFolder[] = [];
let shutdownRequested = false;

// --- logging: never document text, never credential values -----------------------------------

function logError(what: string, error: unknown): void {
  connection.console.error(`${what}\n${describeError(error)}`);
}

/** Every handler goes through one of these: a failure is logged, the server keeps serving. */
function guarded<A extends unknown[]>(what: string, handler: (...args: A) => void | Promise<void>): (...args: A) => void {
  return (...args) => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) result.catch((error: unknown) => logError(`${what} failed`, error));
    } catch (error) {
      logError(`${what} failed`, error);
    }
  };
}

async function guardedRequest<R>(what: string, fallback: R, handler: () => R | Promise<R>): Promise<R> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof ResponseError) throw error;
    logError(`${what} failed`, error);
    return fallback;
  }
}

// --- configuration: defaults < .keyless.yaml of the folder < editor settings -------------------

interface FolderConfig {
  config: KeylessConfig;
  problems: ConfigProblem[];
  /** The file's text, for drawing problem ranges to the end of their line. */
  text: string | undefined;
  /** Read from an open editor (unsaved text) rather than from disk. */
  fromEditor: boolean;
}

interface EffectiveConfig {
  enable: boolean;
  config: KeylessConfig;
}

const folderConfigs = new Map<string, Promise<FolderConfig>>();
const settingsByScope = new Map<string, Promise<EditorSettings>>();
/** Merged per folder ('' outside folders); cleared with every config change. */
const effectiveConfigs = new Map<string, Promise<EffectiveConfig>>();
/** `settings.keyless` of the last didChangeConfiguration, for clients without workspace/configuration. */
let notifiedSettings: unknown;
/** Bumped on every config change: a result computed under an older generation is stale. */
let configGeneration = 0;
/** Per folder: the problems already announced in a warning message, so it is shown once. */
const warnedConfigProblems = new Map<string, string>();
/** Per folder: the URI config problems were published on, to clear them when they are fixed. */
const configDiagnosticUris = new Map<string, string>();
const loggedSettingsProblems = new Set<string>();

function scopeKey(folder: WorkspaceFolder | undefined): string {
  return folder?.uri ?? '';
}

function openDocumentAt(file: string): TextDocument | undefined {
  return documents.all().find((document) => {
    const documentPath = uriToPath(document.uri);
    return documentPath !== undefined && samePath(documentPath, file);
  });
}

/** The folder whose `.keyless.yaml` this document is, if it is one. */
function configFolderOf(uri: string): WorkspaceFolder | undefined {
  const file = uriToPath(uri);
  if (file === undefined) return undefined;
  const folder = folderOf(file, folders);
  return folder !== undefined && samePath(file, configFileOf(folder)) ? folder : undefined;
}

function settingsFor(folder: WorkspaceFolder | undefined): Promise<EditorSettings> {
  const key = scopeKey(folder);
  let settings = settingsByScope.get(key);
  if (settings === undefined) {
    settings = client.configuration
      ? connection.workspace.getConfiguration(folder === undefined ? { section: 'keyless' } : { scopeUri: folder.uri, section: 'keyless' }).then(
          (raw: unknown) => readSettings(raw),
          (error: unknown) => {
            logError('Reading the keyless settings failed; using the defaults', error);
            return DEFAULT_SETTINGS;
          },
        )
      : Promise.resolve(readSettings(notifiedSettings));
    settings = settings.then((read) => {
      for (const problem of read.problems) {
        if (loggedSettingsProblems.has(problem)) continue;
        loggedSettingsProblems.add(problem);
        connection.console.warn(`Settings: ${problem} (ignored)`);
      }
      return read;
    });
    settingsByScope.set(key, settings);
  }
  return settings;
}

function folderConfigFor(folder: WorkspaceFolder): Promise<FolderConfig> {
  let loading = folderConfigs.get(folder.uri);
  if (loading === undefined) {
    const attempt: Promise<FolderConfig> = readFolderConfig(folder).catch((error: unknown) => {
      // Not cached: the next change of the file (or of anything) tries again.
      if (folderConfigs.get(folder.uri) === attempt) folderConfigs.delete(folder.uri);
      logError(`Reading ${configFileOf(folder)} failed; using the defaults`, error);
      return { config: DEFAULT_CONFIG, problems: [], text: undefined, fromEditor: false };
    });
    loading = attempt;
    folderConfigs.set(folder.uri, loading);
  }
  return loading;
}

async function readFolderConfig(folder: WorkspaceFolder): Promise<FolderConfig> {
  const file = configFileOf(folder);
  const open = openDocumentAt(file);
  let state: FolderConfig;
  if (open !== undefined) {
    const text = open.getText();
    state = { ...parseConfig(text), text, fromEditor: true };
  } else {
    const loaded = await loadConfig(folder.path);
    const text = loaded.problems.length > 0 && loaded.file !== undefined ? await fs.readFile(loaded.file, 'utf8').catch(() => undefined) : undefined;
    state = { config: loaded.config, problems: loaded.problems, text, fromEditor: false };
  }
  announceConfigProblems(folder, state, open?.uri ?? pathToUri(file));
  return state;
}

/** Config problems become diagnostics on `.keyless.yaml` (pushed in both modes: the file may be closed). */
function announceConfigProblems(folder: WorkspaceFolder, state: FolderConfig, uri: string): void {
  const previousUri = configDiagnosticUris.get(folder.uri);
  if (previousUri !== undefined && previousUri !== uri) void connection.sendDiagnostics({ uri: previousUri, diagnostics: [] });
  if (state.problems.length > 0 || previousUri !== undefined) {
    void connection.sendDiagnostics({ uri, diagnostics: configProblemDiagnostics(state.problems, state.text) });
  }
  if (state.problems.length > 0) configDiagnosticUris.set(folder.uri, uri);
  else configDiagnosticUris.delete(folder.uri);

  if (state.problems.length === 0) {
    warnedConfigProblems.delete(folder.uri);
    return;
  }
  // While the file is being edited its diagnostics are in front of the user; a message box on
  // every half-typed line would only get in the way.
  if (state.fromEditor) return;
  const signature = state.problems.map((p) => `${p.position.line}:${p.message}`).join('\n');
  if (warnedConfigProblems.get(folder.uri) === signature) return;
  warnedConfigProblems.set(folder.uri, signature);
  const first = state.problems[0]!;
  const more = state.problems.length > 1 ? ` (and ${state.problems.length - 1} more)` : '';
  // A notification, not showMessageRequest: there is nothing to answer, so nothing to wait for.
  void connection.sendNotification(ShowMessageNotification.type, {
    type: MessageType.Warning,
    message: `Keyless: ${path.basename(folder.path)}/.keyless.yaml line ${first.position.line + 1}: ${first.message}${more}. The valid entries apply; the rest keep their defaults.`,
  });
}

function effectiveConfigFor(folder: WorkspaceFolder | undefined): Promise<EffectiveConfig> {
  const key = scopeKey(folder);
  let effective = effectiveConfigs.get(key);
  if (effective === undefined) {
    effective = Promise.all([settingsFor(folder), folder === undefined ? undefined : folderConfigFor(folder)]).then(([settings, file]) => ({
      enable: settings.enable,
      config: mergeConfigs(DEFAULT_CONFIG, file?.config ?? DEFAULT_CONFIG, settings.config),
    }));
    effectiveConfigs.set(key, effective);
  }
  return effective;
}

/** Something the analysis depends on changed: every result is stale. */
function configChanged(): void {
  configGeneration++;
  effectiveConfigs.clear();
  void reindexIfIgnoreChanged().catch((error: unknown) => logError('Re-indexing the workspace failed', error));
  // Rules, severities, ignore globs or the scope may have changed: every folder's report is redone.
  for (const folder of folders) void reports.build(folder, false).catch((error: unknown) => logError(`Reporting ${folder.path} failed`, error));
  if (client.pull) {
    if (client.pullRefresh) connection.languages.diagnostics.refresh().catch((error: unknown) => logError('Asking the client to refresh diagnostics failed', error));
    return;
  }
  for (const document of documents.all()) if (isAnalyzable(document)) scheduler.schedule(document.uri);
}

async function reloadFolderConfig(folder: WorkspaceFolder): Promise<void> {
  const before = await folderConfigs.get(folder.uri)?.catch(() => undefined);
  folderConfigs.delete(folder.uri);
  const after = await folderConfigFor(folder);
  if (before === undefined || JSON.stringify(before.config) !== JSON.stringify(after.config)) configChanged();
}

// --- analysis of open documents --------------------------------------------------------------

/** Each version's one analysis, shared by diagnostics, hover and code actions (lsp/results.ts). */
const results = new DocumentResults({ schedule: (uri) => scheduler.schedule(uri), generation: () => configGeneration });
/** The document version whose notes were logged, so each note appears once per version. */
const loggedNotes = new Map<string, number>();
/** Per open document, its YAML pieces from the last analysis: a keystroke re-parses one piece. */
const yamlCaches = new Map<string, YamlParseCache>();
function yamlCacheFor(uri: string): YamlParseCache {
  let cache = yamlCaches.get(uri);
  if (!cache) {
    cache = new YamlParseCache();
    yamlCaches.set(uri, cache);
  }
  return cache;
}
let resultCounter = 0;

/**
 * Per open document, what it is to the engine, computed once per folder set and language id: every
 * change and request asks, and turning a URI into a path and its folder is not free at the pace
 * of a burst of edits.
 */
const targets = new Map<string, { folders: WorkspaceFolder[]; languageId: string; target: DocumentTarget | undefined; isConfig: boolean }>();

function targetEntry(document: TextDocument): { target: DocumentTarget | undefined; isConfig: boolean } {
  let entry = targets.get(document.uri);
  if (entry === undefined || entry.folders !== folders || entry.languageId !== document.languageId) {
    entry = { folders, languageId: document.languageId, target: documentTarget(document.uri, document.languageId, folders), isConfig: configFolderOf(document.uri) !== undefined };
    targets.set(document.uri, entry);
  }
  return entry;
}

function targetOf(document: TextDocument): DocumentTarget | undefined {
  return targetEntry(document).target;
}

function isAnalyzable(document: TextDocument): boolean {
  const entry = targetEntry(document);
  return !entry.isConfig && entry.target !== undefined;
}

const scheduler = new DocumentScheduler({
  versionOf: (uri) => documents.get(uri)?.version,
  run: runScheduled,
  onError: (uri, error) => {
    logError(`Analysis of ${uri} failed`, error);
    // Requests waiting for this version would otherwise wait for an analysis that never comes.
    const version = documents.get(uri)?.version;
    if (version !== undefined) results.failed(uri, version);
  },
});

async function runScheduled(uri: string): Promise<void> {
  const document = documents.get(uri);
  if (document === undefined) return;
  // An open `.keyless.yaml` counts as it is typed, before it is saved.
  const configFolder = configFolderOf(uri);
  if (configFolder !== undefined) return reloadFolderConfig(configFolder);
  const target = targetOf(document);
  if (target === undefined) return;
  // Under pull, an analysis is for the requests waiting on it: when the client cancelled them all
  // (the next edit of a burst does), nobody would read it.
  if (client.pull && !results.hasWaiters(uri)) return;
  const version = document.version;
  const generation = configGeneration;
  // A newer version or config that came in meanwhile is scheduled itself: this result is dropped,
  // and a pull request waiting on the document waits for that one.
  const superseded = (): boolean => {
    const current = documents.get(uri);
    if (current !== undefined && current.version === version && configGeneration === generation) return false;
    if (current !== undefined && results.hasWaiters(uri)) scheduler.schedule(uri);
    return true;
  };
  const effective = await effectiveConfigFor(target.folder);
  if (superseded()) return;
  let analysis: Pick<DocumentResult, 'diagnostics' | 'findings' | 'hoverAt'> = { diagnostics: [], findings: [], hoverAt: () => undefined };
  if (engine !== undefined && effective.enable && !isIgnored(effective.config, target)) {
    try {
      analysis = analyze(documents.get(uri)!, target, effective.config);
    } catch (error) {
      // Publishing nothing for this version keeps stale squiggles from lingering; other documents
      // are unaffected.
      logError(`Analysis of ${uri} (version ${version}) failed`, error);
    }
  }
  if (superseded()) return;
  settle(uri, { version, generation, resultId: String(++resultCounter), ...analysis });
}

/** Runs the engine on an open document and logs what is not a diagnostic. */
function analyze(document: TextDocument, target: DocumentTarget, config: KeylessConfig): Pick<DocumentResult, 'diagnostics' | 'findings' | 'hoverAt'> {
  const yamlCache = yamlCacheFor(document.uri);
  const output = analyzeDocument({
    engine: engine!,
    text: document.getText(),
    target,
    version: document.version,
    config,
    relatedInformation: client.relatedInformation,
    yamlCache,
    // Findings need no fixes and no workspace: code actions compute the fixes they are asked for.
    fixes: false,
  });
  for (const failure of output.ruleErrors) {
    logError(`Rule ${failure.rule} failed on ${document.uri}; the other rules still report`, failure.error);
  }
  if (output.parseErrors.length > 0) {
    const shown = output.parseErrors.slice(0, 5).map((e) => `line ${e.range.start.line + 1}: ${e.message}`);
    const more = output.parseErrors.length > shown.length ? `; ${output.parseErrors.length - shown.length} more` : '';
    connection.console.debug(`${document.uri} (version ${document.version}) has syntax errors, read around them: ${shown.join('; ')}${more}`);
  }
  if (output.notes.length > 0 && loggedNotes.get(document.uri) !== document.version) {
    loggedNotes.set(document.uri, document.version);
    for (const note of output.notes) connection.console.info(`${document.uri}: ${note}`);
  }
  return { diagnostics: output.diagnostics, findings: output.findings, hoverAt: output.hoverAt };
}

function settle(uri: string, result: DocumentResult): void {
  if (!client.pull) void connection.sendDiagnostics({ uri, version: result.version, diagnostics: result.diagnostics });
  results.settle(uri, result);
}

/**
 * The shared analysis of the version a request was asked about, or the protocol error that
 * answers it instead (cancelled; the document moved on or closed): never a second analysis.
 */
async function resultFor(document: TextDocument, token: CancellationToken, request: 'diagnostics' | 'other'): Promise<DocumentResult> {
  try {
    return await results.of(document.uri, document.version, token);
  } catch (error) {
    throw error instanceof NoResult ? staleAnswer(error, request) : error;
  }
}

documents.onDidChangeContent(
  guarded('Handling a document change', (event) => {
    const { uri } = event.document;
    // Requests about the previous version are answered now (ContentModified), not after the burst.
    results.moved(uri, event.document.version);
    lastEditAt = performance.now();
    if (configFolderOf(uri) !== undefined) {
      scheduler.schedule(uri);
      return;
    }
    if (!isAnalyzable(event.document)) return;
    const file = uriToPath(uri);
    if (file !== undefined) queueIndexUpdate(file, 'on-request');
    // With pull, the client asks when it wants diagnostics; analysis waits for that request.
    if (!client.pull) scheduler.schedule(uri);
  }),
);

documents.onDidClose(
  guarded('Handling a closed document', (event) => {
    const { uri } = event.document;
    scheduler.unschedule(uri);
    results.closed(uri);
    targets.delete(uri);
    yamlCaches.delete(uri);
    loggedNotes.delete(uri);
    fixCache.delete(uri);
    const configFolder = configFolderOf(uri);
    // Back to the disk's text in the index too: unsaved edits of a closed document are gone.
    const file = uriToPath(uri);
    if (file !== undefined && configFolder === undefined) queueIndexUpdate(file, 'soon');
    if (configFolder !== undefined) {
      // Back to what is on disk: unsaved edits of the config no longer count.
      void reloadFolderConfig(configFolder).catch((error: unknown) => logError('Reloading .keyless.yaml failed', error));
      return;
    }
    if (!client.pull && targetOf(event.document) !== undefined) void connection.sendDiagnostics({ uri, diagnostics: [] });
    targets.delete(uri);
    // The saved text counts again: its workspace entry is recomputed and sent anew (the client
    // dropped the document's diagnostics, and holds the old entry's id).
    if (file !== undefined) void reports.closed(file, uri).catch((error: unknown) => logError(`Reporting ${uri} failed`, error));
  }),
);

// --- workspace index: what fixes know beyond their file -----------------------------------------

/** What the index watches: the files Keyless reads, and git configs for the repository's remote. */
const INDEX_WATCH_PATTERNS = ['**/*.{tf,tfvars,json,yml,yaml,template}', '**/.git/config'];
/**
 * Files changed on disk (a checkout, a save elsewhere) reach the index once the changes have paused
 * this long, in the background. Edits in the editor wait until a code action needs the index:
 * typing never pays for it.
 */
const INDEX_UPDATE_DELAY_MS = 400;

interface FolderIndex {
  folder: WorkspaceFolder;
  index: WorkspaceIndex;
  /** Fixes get the context only once it is built: half an index could plan against half the IaC. */
  ready: boolean;
  /** The ignore globs it was built with (a change of them rebuilds it), and their matcher. */
  ignore: string;
  isIgnored: (relativePath: string) => boolean;
  /** The git config the remote came from. */
  gitConfigFile: string | undefined;
  /** Set when a rebuild or the folder's removal replaces it: its build stops. */
  cancelled: boolean;
}

const indexes = new Map<string, FolderIndex>();
/** Per index, the files whose entries are out of date. */
const pendingIndexUpdates = new Map<FolderIndex, Set<string>>();
let indexUpdateTimer: NodeJS.Timeout | undefined;
/** The update running or last run: updates run one after another, so an older read never lands after a newer one. */
let indexUpdate: Promise<void> = Promise.resolve();

function indexOf(folder: WorkspaceFolder | undefined): FolderIndex | undefined {
  return folder === undefined ? undefined : indexes.get(folder.uri);
}

/** The workspace context for a document's fixes, once its folder is indexed. */
function workspaceInput(target: DocumentTarget, config: KeylessConfig): { workspace?: WorkspaceContext } {
  const state = indexOf(target.folder);
  if (state === undefined || !state.ready) return {};
  return { workspace: state.index.context(config.oidc) };
}

function indexName(state: FolderIndex, file: string): string {
  return toPosix(path.relative(state.folder.path, file));
}

/**
 * (Re)builds a folder's index in the background: one file per turn of the event loop, so open
 * documents' analyses and every request run in between. Diagnostics never wait for it: findings do
 * not depend on other files. Code actions asked for once it is built get the fixes that write
 * beyond their file.
 */
async function indexFolder(folder: WorkspaceFolder): Promise<void> {
  if (engine === undefined || shutdownRequested) return;
  const previous = indexes.get(folder.uri);
  if (previous !== undefined) previous.cancelled = true;
  const effective = await effectiveConfigFor(folder);
  const state: FolderIndex = {
    folder,
    index: new WorkspaceIndex(engine),
    ready: false,
    ignore: JSON.stringify(effective.config.ignore),
    isIgnored: pathMatcher(effective.config.ignore),
    gitConfigFile: undefined,
    cancelled: false,
  };
  // The folder may have left the workspace (or been re-indexed) while the config was read.
  if (!folders.some((f) => f.uri === folder.uri) || indexes.get(folder.uri) !== previous) return;
  indexes.set(folder.uri, state);
  const git = await gitRepositoryOf(folder.path);
  state.index.repository = git?.repository;
  state.gitConfigFile = git?.configFile;
  const stats = await state.index.build({
    root: folder.path,
    nameOf: (absolute) => indexName(state, absolute),
    isIgnored: state.isIgnored,
    // An open document counts as the editor has it, unsaved edits included.
    textOf: (absolute) => openDocumentAt(absolute)?.getText(),
    stripByteOrderMark: true,
    pause: backgroundPause,
    // An open document is indexed when a code action next needs it (as its edits are).
    defer: (absolute) => {
      if (openDocumentAt(absolute) === undefined) return false;
      queueIndexUpdate(absolute, 'on-request');
      return true;
    },
    cancelled: () => state.cancelled || shutdownRequested,
    log: (message) => connection.console.warn(message),
  });
  if (stats.cancelled) return;
  state.ready = true;
  indexStamp++;
  const repository = state.index.repository;
  connection.console.info(
    `Indexed ${folder.path} for fixes: ${stats.indexed} of ${stats.walked} files in ${Math.round(stats.milliseconds)} ms; ` +
      (repository ? `repository ${repository.host}/${repository.owner}/${repository.name}` : 'no git remote, so fixes write no trust'),
  );
}

/**
 * Marks a file's entry out of date (its text is the open document's, else the disk's): brought up
 * to date after a pause when `soon`, else when a code action next needs the index.
 */
function queueIndexUpdate(file: string, when: 'soon' | 'on-request'): void {
  let queued = false;
  for (const state of indexes.values()) {
    // Nested folders each index the files under them.
    if (folderOf(file, [state.folder]) === undefined) continue;
    const files = pendingIndexUpdates.get(state) ?? new Set<string>();
    files.add(file);
    pendingIndexUpdates.set(state, files);
    queued = true;
  }
  if (!queued || when === 'on-request') return;
  if (indexUpdateTimer !== undefined) clearTimeout(indexUpdateTimer);
  indexUpdateTimer = setTimeout(() => {
    indexUpdateTimer = undefined;
    void updateIndexes();
  }, INDEX_UPDATE_DELAY_MS);
}

/** Brings every out-of-date entry up to date, one file per turn of the event loop. */
function updateIndexes(): Promise<void> {
  indexUpdate = indexUpdate.then(applyPendingIndexUpdates).catch((error: unknown) => logError('Updating the workspace index failed', error));
  return indexUpdate;
}

async function applyPendingIndexUpdates(): Promise<void> {
  const batch = [...pendingIndexUpdates].flatMap(([state, files]) => [...files].map((file) => [file, state] as const));
  pendingIndexUpdates.clear();
  for (const [file, state] of batch) {
    if (state.cancelled || shutdownRequested) continue;
    const name = indexName(state, file);
    const open = openDocumentAt(file);
    let changed: boolean;
    if (!(await isIndexable(state, file))) changed = state.index.remove(name);
    else if (open !== undefined) changed = state.index.update(name, open.getText());
    else {
      // Closed, created, changed or deleted on disk: the disk says which.
      const text = await readText(file, true);
      changed = text === undefined ? state.index.remove(name) : state.index.update(name, text);
    }
    if (changed) indexStamp++;
    await yieldToEventLoop();
  }
}

/** Whether a walk of the folder would index the file: as walkFiles decides, and the ignore globs. */
async function isIndexable(state: FolderIndex, file: string): Promise<boolean> {
  const relative = indexName(state, file);
  if (relative.startsWith('../') || path.isAbsolute(relative) || !readsFile(file)) return false;
  if (relative.split('/').some((part) => ALWAYS_SKIPPED.has(part))) return false;
  if (state.isIgnored(relative)) return false;
  const gitIgnored = await gitIgnoredAbove(state.folder.path, file);
  return !gitIgnored(relative);
}

function isGitConfig(file: string): boolean {
  return (path.basename(file) === 'config' && path.basename(path.dirname(file)) === '.git') || [...indexes.values()].some((state) => state.gitConfigFile !== undefined && samePath(state.gitConfigFile, file));
}

/** A git config changed: folders whose remote it was (or could now be) read it again. */
async function refreshRepositories(): Promise<void> {
  for (const state of indexes.values()) {
    if (state.cancelled) continue;
    const git = await gitRepositoryOf(state.folder.path);
    state.gitConfigFile = git?.configFile;
    state.index.repository = git?.repository;
    indexStamp++;
  }
}

/** A config change may change the ignore globs, which decide what an index holds. */
async function reindexIfIgnoreChanged(): Promise<void> {
  for (const folder of folders) {
    const state = indexes.get(folder.uri);
    if (state === undefined) continue;
    const effective = await effectiveConfigFor(folder);
    if (indexes.get(folder.uri) === state && JSON.stringify(effective.config.ignore) !== state.ignore) {
      void indexFolder(folder).catch((error: unknown) => logError(`Indexing ${folder.path} failed`, error));
    }
  }
}

// --- lifecycle -------------------------------------------------------------------------------

connection.onInitialize(async (params): Promise<InitializeResult> => {
  client = clientSupport(params.capabilities);
  const options: unknown = params.initializationOptions;
  client.hoverShowsDiagnostics = typeof options === 'object' && options !== null && 'hoverShowsDiagnostics' in options && options.hoverShowsDiagnostics === true;
  const initialFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
  folders = initialFolders.flatMap((folder) => toWorkspaceFolder(folder.uri) ?? []);
  engine = await Engine.create();
  const result: InitializeResult = {
    serverInfo: { name: 'keyless', version: keylessVersion },
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
      hoverProvider: true,
      executeCommandProvider: { commands: [SCAN_COMMAND, FIX_APPLIED_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
  };
  if (client.pull) {
    // Workspace diagnostics: the findings of files that are not open, from lsp/workspace-report.ts.
    result.capabilities.diagnosticProvider = { identifier: 'keyless', interFileDependencies: false, workspaceDiagnostics: true };
  }
  return result;
});

connection.onInitialized(
  guarded('Finishing initialization', () => {
    if (client.workspaceFolders) connection.workspace.onDidChangeWorkspaceFolders(guarded('Handling workspace folder changes', changeFolders));
    // Read every folder's config now, so that a broken one is reported before any file is opened.
    for (const folder of folders) void folderConfigFor(folder);
    // Each registration on its own: a client that refuses one still gets the others.
    const registrations: Promise<unknown>[] = [];
    if (client.configurationRegistration) registrations.push(connection.client.register(DidChangeConfigurationNotification.type, { section: 'keyless' }));
    if (client.watchedFilesRegistration) {
      registrations.push(connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: CONFIG_WATCH_PATTERN }] }));
      registrations.push(connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: INDEX_WATCH_PATTERNS.map((globPattern) => ({ globPattern })) }));
    }
    for (const registration of registrations) registration.catch((error: unknown) => logError('A capability registration failed', error));
    void startBackgroundWork();
  }),
);

/**
 * After initialization: the engine is warmed first (lsp/warm-up.ts: every dialect's path once, in
 * small slices, so the first document's analysis and edit do not pay for it), then each folder's
 * index and report are built in the background. Diagnostics never wait for any of it.
 */
const BACKGROUND_START_DELAY_MS = 1_000;

async function startBackgroundWork(): Promise<void> {
  if (engine !== undefined) {
    try {
      const warm = await warmUp(engine, { pause: yieldToEventLoop, stopped: () => shutdownRequested });
      connection.console.info(`Warmed the engine up: ${warm.steps} steps in ${Math.round(warm.milliseconds)} ms`);
    } catch (error) {
      logError('Warming the engine up failed (the first analyses are slower)', error);
    }
  }
  // The documents an editor restores at start arrive in the first moments: they go first, and the
  // builds below leave them to their own analyses.
  await new Promise((resolve) => setTimeout(resolve, BACKGROUND_START_DELAY_MS));
  await backgroundPause();
  for (const folder of folders) void indexFolder(folder).catch((error: unknown) => logError(`Indexing ${folder.path} failed`, error));
  // The workspace's findings, in the background too (one file per turn).
  for (const folder of folders) void reports.build(folder, false).catch((error: unknown) => logError(`Reporting ${folder.path} failed`, error));
}

function changeFolders(event: WorkspaceFoldersChangeEvent): void {
  const removed = new Set(event.removed.map((folder) => folder.uri));
  for (const uri of removed) {
    folderConfigs.delete(uri);
    settingsByScope.delete(uri);
    const state = indexes.get(uri);
    if (state !== undefined) {
      state.cancelled = true;
      indexes.delete(uri);
      pendingIndexUpdates.delete(state);
    }
    const configUri = configDiagnosticUris.get(uri);
    if (configUri !== undefined) void connection.sendDiagnostics({ uri: configUri, diagnostics: [] });
    configDiagnosticUris.delete(uri);
  }
  const added = event.added.flatMap((folder) => toWorkspaceFolder(folder.uri) ?? []);
  const gone = folders.filter((folder) => removed.has(folder.uri));
  folders = [...folders.filter((folder) => !removed.has(folder.uri)), ...added];
  // A folder that left the workspace reports nothing any more.
  for (const folder of gone) reports.drop(folder);
  for (const folder of added) void folderConfigFor(folder);
  configChanged();
  for (const folder of added) void indexFolder(folder).catch((error: unknown) => logError(`Indexing ${folder.path} failed`, error));
}

connection.onShutdown(() => {
  shutdownRequested = true;
  scheduler.stop();
  reports.stop();
});

// The client starting us over node IPC may die without saying goodbye: its channel closing is the
// signal. (Over stdio, the end of stdin is, and vscode-languageserver handles that itself.)
if (process.argv.includes('--node-ipc')) {
  process.on('disconnect', () => process.exit(shutdownRequested ? 0 : 1));
}

process.on('uncaughtException', (error) => logError('Unexpected error (the server keeps running)', error));
process.on('unhandledRejection', (reason) => logError('Unhandled rejection (the server keeps running)', reason));

// --- configuration events --------------------------------------------------------------------

connection.onDidChangeConfiguration(
  guarded('Handling a settings change', (params) => {
    const settings: unknown = params.settings;
    notifiedSettings = typeof settings === 'object' && settings !== null && 'keyless' in settings ? settings.keyless : undefined;
    settingsByScope.clear();
    loggedSettingsProblems.clear();
    configChanged();
  }),
);

connection.onDidChangeWatchedFiles(
  guarded('Handling changed files', async (params) => {
    const touched = new Map<string, WorkspaceFolder>();
    let gitConfigChanged = false;
    for (const change of params.changes) {
      const folder = configFolderOf(change.uri);
      // An open config is read from the editor, which is ahead of the disk.
      if (folder !== undefined && documents.get(change.uri) === undefined && openDocumentAt(configFileOf(folder)) === undefined) touched.set(folder.uri, folder);
      const file = uriToPath(change.uri);
      if (file === undefined || folder !== undefined) continue;
      if (isGitConfig(file)) gitConfigChanged = true;
      else if (readsFile(file)) {
        queueIndexUpdate(file, 'soon');
        reports.queueUpdate(file);
      }
    }
    for (const folder of touched.values()) await reloadFolderConfig(folder);
    if (gitConfigChanged) await refreshRepositories();
  }),
);

// --- pull diagnostics ------------------------------------------------------------------------

connection.languages.diagnostics.on((params, token) =>
  guardedRequest<DocumentDiagnosticReport>(`Diagnostics for ${params.textDocument.uri}`, { kind: DocumentDiagnosticReportKind.Full, items: [] }, async () => {
    const document = documents.get(params.textDocument.uri);
    if (document === undefined) {
      // A closed file (the client pulls once more as a document closes): its saved text's findings.
      const entry = reports.entryOf(params.textDocument.uri);
      return { kind: DocumentDiagnosticReportKind.Full, items: entry?.diagnostics ?? [] };
    }
    if (!isAnalyzable(document)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const result = await resultFor(document, token, 'diagnostics');
    if (params.previousResultId === result.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: result.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: result.resultId, items: result.diagnostics };
  }),
);

// --- hover -----------------------------------------------------------------------------------

connection.onHover((params, token) =>
  guardedRequest<Hover | null>(`Hover in ${params.textDocument.uri}`, null, async () => {
    const document = documents.get(params.textDocument.uri);
    if (document === undefined || !isAnalyzable(document)) return null;
    // The version's shared analysis (a disabled or ignored document's says nothing).
    const result = await resultFor(document, token, 'other');
    const info = result.hoverAt(params.position);
    return info ? toHover(info, { diagnosticsShown: client.hoverShowsDiagnostics }) : null;
  }),
);

// --- code actions ----------------------------------------------------------------------------

connection.onCodeAction((params, token) =>
  guardedRequest<CodeAction[]>(`Code actions for ${params.textDocument.uri}`, [], async () => {
    const uri = params.textDocument.uri;
    const only = params.context.only;
    const actions: CodeAction[] = [];
    let requested = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && isKeylessDiagnosticData(d.data));
    const document = documents.get(uri);
    if (document !== undefined && requested.length > 0 && wantsKind(only, CodeActionKind.QuickFix)) {
      if (!isAnalyzable(document)) return [];
      // Matched first against the version's shared analysis: a diagnostic of an older text names
      // no finding of this one, and then no fixer runs at all.
      const result = await resultFor(document, token, 'other');
      requested = requested.filter((d) => result.findings.some((f) => isDiagnosticOf(d, f)));
    }
    if (wantsKind(only, CodeActionKind.QuickFix) && requested.length > 0) {
      // Only the findings the request names get their fixes computed: the light bulb asks for the
      // cursor's, and that costs a fixer or two, not the file's every rewrite.
      const analysis = await analyzeWithFixes(uri, requested, token);
      if (analysis !== undefined) {
        const withFixes = requested.flatMap((diagnostic) => {
          // A diagnostic of an older text matches no finding of this one, and gets no fixes.
          const finding = analysis.output.findings.find((f) => isDiagnosticOf(diagnostic, f));
          return finding === undefined ? [] : [{ diagnostic, fixes: toDiagnosticFixes(finding, analysis.target), version: analysis.version }];
        });
        const otherVersions = await otherFileVersions(uri, analysis.target, withFixes.flatMap((d) => d.fixes));
        actions.push(...quickFixes(uri, withFixes, { documentChanges: client.documentChanges, createFiles: client.createFiles, otherVersion: (other) => otherVersions.get(other), afterFix: true }));
      }
    }
    // Only on request: "fix all" is for codeActionsOnSave and the Source Action menu, not the light bulb.
    if (only !== undefined && wantsKind(only, FIX_ALL_KIND)) {
      const fixAll = await fixAllAction(uri, token);
      if (fixAll !== undefined) actions.push(fixAll);
    }
    return actions;
  }),
);

/** Whether a diagnostic the client sends back is this finding's: same rule, same range. */
function isDiagnosticOf(diagnostic: Diagnostic, finding: { rule: string; range: Range }): boolean {
  const a = diagnostic.range;
  const b = finding.range;
  return diagnostic.code === finding.rule && a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

interface FixAnalysis {
  version: number | null;
  target: DocumentTarget;
  output: AnalysisOutput;
}

/**
 * Per open document, the last analysis with fixes and what it was computed for (version, config,
 * index state, the findings asked about): the light bulb asks again for the same cursor on every
 * move and re-render, and gets the same answer without a second analysis.
 */
const fixCache = new Map<string, { key: string; analysis: FixAnalysis }>();
/** Bumped whenever an index changes (or becomes ready): fixes read it, so cached ones are stale. */
let indexStamp = 0;

/**
 * Analyzes a document with the fixes of the findings `wanted` names (all with `true`), positioned
 * on its current text (the editor's when open, else the disk's: a closed file the workspace
 * diagnostics reported), and with its folder's index as the workspace once built. Undefined when
 * Keyless does not analyze the document; a protocol error when the request was cancelled or the
 * document changed meanwhile.
 */
async function analyzeWithFixes(uri: string, wanted: true | readonly Diagnostic[], token: CancellationToken): Promise<FixAnalysis | undefined> {
  if (engine === undefined) return undefined;
  const document = documents.get(uri);
  let text: string | undefined;
  let version: number | null;
  let target: DocumentTarget | undefined;
  if (document !== undefined) {
    if (!isAnalyzable(document)) return undefined;
    target = targetOf(document);
    text = document.getText();
    version = document.version;
  } else {
    const file = uriToPath(uri);
    target = documentTarget(uri, '', folders);
    // Read as the workspace diagnostics read it (without a byte-order mark, which editors do not count).
    text = file === undefined ? undefined : await readText(file, true);
    version = null;
  }
  if (target === undefined || text === undefined) return undefined;
  const effective = await effectiveConfigFor(target.folder);
  if (!effective.enable || isIgnored(effective.config, target)) return undefined;
  // Edits made in the editor since the last request reach the index now (after any update under
  // way), before fixes read it.
  await updateIndexes();
  throwIfCancelled(token);
  if (document !== undefined && documents.get(uri)?.version !== version) throw staleAnswer(new NoResult('moved'), 'other');
  const wantedKey = wanted === true ? 'all' : wanted.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort().join(',');
  const key = `${version}|${configGeneration}|${indexStamp}|${wantedKey}`;
  const cached = document !== undefined ? fixCache.get(uri) : undefined;
  if (cached !== undefined && cached.key === key) return cached.analysis;
  const fixes = wanted === true ? true : (finding: { rule: string; range: Range }) => wanted.some((d) => isDiagnosticOf(d, finding));
  const output = analyzeDocument({
    engine,
    text,
    target,
    version,
    config: effective.config,
    relatedInformation: client.relatedInformation,
    ...(document !== undefined ? { yamlCache: yamlCacheFor(uri) } : {}),
    ...workspaceInput(target, effective.config),
    fixes,
  });
  // A fixer that throws counts as its rule failing; the other fixes are still offered.
  for (const failure of output.ruleErrors) logError(`A fix of rule ${failure.rule} failed on ${uri}`, failure.error);
  const analysis = { version, target, output };
  if (document !== undefined) fixCache.set(uri, { key, analysis });
  return analysis;
}

/** Every safe fix of an open document, computed now. */
async function fixAllAction(uri: string, token: CancellationToken): Promise<CodeAction | undefined> {
  if (documents.get(uri) === undefined) return undefined;
  const analysis = await analyzeWithFixes(uri, true, token);
  if (analysis === undefined) return undefined;
  const fixes = analysis.output.findings.flatMap((finding) => toDiagnosticFixes(finding, analysis.target));
  const otherVersions = await otherFileVersions(uri, analysis.target, fixes);
  const version = analysis.version;
  if (documents.get(uri)?.version !== version) return undefined;
  // A fix that edits another file whose text moved on since the index read it waits for the next request.
  const applicable = (fix: DiagnosticFix): boolean => fix.edits.every((edit) => edit.uri === uri || (fix.creates ?? []).includes(edit.uri) || otherVersions.get(edit.uri) !== undefined);
  const accepted = safeFixes(fixes.filter(applicable), { createFiles: client.documentChanges && client.createFiles });
  if (accepted.length === 0) return undefined;
  const command = fixAppliedCommand(accepted);
  return {
    title: 'Fix all safely fixable Keyless problems',
    kind: FIX_ALL_KIND,
    edit: toWorkspaceEdit(
      accepted.flatMap((fix) => fix.edits),
      { documentChanges: client.documentChanges, versionOf: (editUri) => (editUri === uri ? version : (otherVersions.get(editUri) ?? null)) },
      accepted.flatMap((fix) => fix.creates ?? []),
    ),
    ...(command !== undefined ? { command } : {}),
  };
}

/**
 * The version to send with each edit fixes make in another file, checked against the index those
 * edits were positioned on (it follows edits with a delay): the open document's version while it
 * still has the indexed text, null for a closed file whose disk text is still the indexed one, and
 * no entry (not offered) otherwise.
 */
async function otherFileVersions(documentUri: string, target: DocumentTarget, fixes: readonly DiagnosticFix[]): Promise<Map<string, number | null>> {
  const versions = new Map<string, number | null>();
  const state = indexOf(target.folder);
  if (state === undefined || !state.ready) return versions;
  for (const fix of fixes) {
    for (const edit of fix.edits) {
      if (edit.uri === documentUri || versions.has(edit.uri) || (fix.creates ?? []).includes(edit.uri)) continue;
      const file = uriToPath(edit.uri);
      const indexed = file === undefined ? undefined : state.index.get(indexName(state, file))?.text;
      if (file === undefined || indexed === undefined) continue;
      const open = documents.get(edit.uri) ?? openDocumentAt(file);
      if (open !== undefined) {
        if (open.getText() === indexed) versions.set(edit.uri, open.version);
      } else if ((await readText(file, true)) === indexed) {
        versions.set(edit.uri, null);
      }
    }
  }
  return versions;
}

// --- workspace diagnostics and the workspace scan ----------------------------------------------

interface ScanCounts {
  files: number;
  findings: number;
}

connection.onExecuteCommand((params, token, progress) => {
  if (params.command === FIX_APPLIED_COMMAND) return guardedRequest<null>('Showing what a fix left', null, () => afterFixApplied(params.arguments?.[0]));
  if (params.command !== SCAN_COMMAND) {
    throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command: ${params.command}`);
  }
  return guardedRequest<ScanCounts>('The workspace scan', { files: 0, findings: 0 }, () => scanWorkspace(token, progress));
});

/**
 * After a fix's edit is applied: the files it created are opened (the first, the trust the user
 * will want to read, last and focused), and what is left to do is shown as a message. Neither is
 * awaited beyond its sending: a message box stays open until dismissed.
 */
async function afterFixApplied(argument: unknown): Promise<null> {
  const args = readFixAppliedArguments(argument);
  if (args === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `${FIX_APPLIED_COMMAND} takes { created, followUps }`);
  if (client.showDocument && args.created.length > 0) {
    const [first, ...others] = args.created;
    for (const uri of others) await connection.window.showDocument({ uri, takeFocus: false });
    await connection.window.showDocument({ uri: first!, takeFocus: true });
  }
  const message = followUpMessage(args.followUps);
  // A notification (window/showMessage), not the library's showInformationMessage (a request that
  // waits for the box to be dismissed): there is nothing to answer.
  if (message !== undefined) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message });
  return null;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** How long the editor must be quiet (no open, no edit) before background work goes on. */
const TYPING_PAUSE_MS = 300;
/** When the last document was opened or edited. */
let lastEditAt = -Infinity;

/**
 * Between two files of a background build: a turn of the event loop, then, while the user opens
 * or types, until they pause and the documents' analyses are done, so a keystroke's analysis
 * never queues behind more than the one workspace file being read when it came.
 */
async function backgroundPause(): Promise<void> {
  await yieldToEventLoop();
  while (!shutdownRequested && (performance.now() - lastEditAt < TYPING_PAUSE_MS || !scheduler.idle)) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(10, TYPING_PAUSE_MS - (performance.now() - lastEditAt))));
  }
}

/** Per workspace folder, the findings of its files as saved: workspace diagnostics (lsp/workspace-report.ts). */
const reports = new WorkspaceReports({
  engine: () => engine,
  folders: () => folders,
  folderSettings: async (folder) => {
    const [effective, settings] = await Promise.all([effectiveConfigFor(folder), settingsFor(folder)]);
    return { enable: effective.enable, scope: settings.scope, config: effective.config };
  },
  isOpen: (uri) => documents.get(uri) !== undefined,
  isOpenAt: (absolute) => openDocumentAt(absolute) !== undefined,
  relatedInformation: () => client.relatedInformation,
  // Under pull the client asks (workspace/diagnostic); otherwise the closed files' are pushed.
  publish: (uri, diagnostics) => {
    if (!client.pull) void connection.sendDiagnostics({ uri, diagnostics });
  },
  pause: backgroundPause,
  stopped: () => shutdownRequested,
  log: (message) => connection.console.info(message),
  onError: (what, error) => logError(what, error),
  updateDelayMs: INDEX_UPDATE_DELAY_MS,
});

connection.languages.diagnostics.onWorkspace((params, token) =>
  guardedRequest<WorkspaceDiagnosticReport>('Workspace diagnostics', { items: [] }, async () => {
    const report = await reports.pull(params.previousResultIds, token);
    throwIfCancelled(token);
    return report;
  }),
);

/**
 * "Keyless: Scan workspace": every folder's report, rebuilt now (also where the scope is open
 * files), and its counts: the files `keyless scan` run in the folder selects and their findings,
 * as saved. The results reach the Problems panel as workspace diagnostics (pushed to clients
 * without pull).
 */
async function scanWorkspace(token: CancellationToken, progress: WorkDoneProgressReporter): Promise<ScanCounts> {
  const counts: ScanCounts = { files: 0, findings: 0 };
  if (engine === undefined) return counts;
  progress.begin('Keyless: scanning the workspace', undefined, undefined, false);
  try {
    for (const folder of folders) {
      progress.report(path.basename(folder.path));
      const report = await reports.build(folder, true);
      if (token.isCancellationRequested || shutdownRequested) return counts;
      if (report === undefined) continue;
      counts.files += report.entries.size;
      for (const entry of report.entries.values()) counts.findings += entry.findings;
    }
    return counts;
  } finally {
    progress.done();
  }
}

documents.listen(connection);
connection.listen();
