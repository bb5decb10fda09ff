import * as path from 'node:path';
import { DocumentDiagnosticReportKind, type CancellationToken, type Diagnostic, type PreviousResultId, type WorkspaceDiagnosticReport, type WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver';
import { ignoreGlobsMatcher, selectFiles } from '../cli/inputs';
import { scanFile, type Candidate } from '../cli/scan-file';
import { readsFile } from '../dialects/detect';
import type { Engine } from '../engine/analyze';
import type { KeylessConfig } from '../engine/config';
import type { DiagnosticsScope } from './settings';
import { ALWAYS_SKIPPED, gitIgnoredAbove, gitRootOf, toPosix } from '../workspace/files';
import { toDiagnostic } from './diagnostics';
import { documentTarget, folderOf, pathToUri, type WorkspaceFolder } from './paths';

/**
 * The findings of every file of a workspace folder, as saved on disk: what the Problems panel
 * shows beyond the open documents (LSP workspace diagnostics), and what "Scan workspace" counts.
 * The files are the ones `keyless scan` run in the folder selects (cli/inputs.ts selectFiles:
 * .gitignore, the config's ignore globs) and each is read and analyzed by the CLI's own scanFile,
 * so the panel, the command and the CLI agree file for file and finding for finding.
 *
 * Built in the background, one file per turn of the event loop; kept current one file at a time
 * as files change on disk. Each file's result carries a resultId that changes whenever the result
 * is recomputed, so a client's `previousResultIds` tell which it already has. No connection here.
 */

export interface ReportEntry {
  uri: string;
  /** Unique per computed result (see `WorkspaceReport.nextResultId`). */
  resultId: string;
  diagnostics: Diagnostic[];
  findings: number;
}

export interface ReportOptions {
  engine: Engine;
  folder: WorkspaceFolder;
  config: KeylessConfig;
  relatedInformation: boolean;
  /** All workspace folders, for naming a file's target as the open documents' are named. */
  folders: () => readonly WorkspaceFolder[];
  /** Awaited between files: the server yields to its event loop. */
  pause: () => Promise<void>;
  /** Called whenever an entry is set or removed (the server wakes a waiting workspace pull). */
  changed: (uri: string) => void;
  nextResultId: () => string;
  /**
   * Files the build leaves for later (open in the editor, where the document's own analysis
   * reports them): analyzed when they close (`update`). The scan command skips none.
   */
  defer?: (absolute: string) => boolean;
  /** The report this one replaces: its entries stand until the walk reaches their files, so a rebuild does not blank the panel. */
  previous?: FolderReport;
}

export class FolderReport {
  /** By URI: every file of the selection, with or without findings. */
  readonly entries = new Map<string, ReportEntry>();
  /** Set once the first build has walked every file. */
  ready = false;
  /** Set when a newer report replaces this one (config change, folder removed): its work stops. */
  cancelled = false;
  /** The walk under way (set by `WorkspaceReports.build`), so a later build can wait for it. */
  running: Promise<void> | undefined;
  private readonly configFile: string;

  private readonly isIgnored: (relative: string) => boolean;

  /** The scan command's walk: every file read, open or not. */
  readonly forced: boolean;

  constructor(private readonly options: ReportOptions) {
    this.forced = options.defer === undefined;
    this.configFile = path.join(options.folder.path, '.keyless.yaml');
    this.isIgnored = ignoreGlobsMatcher(options.config);
    for (const [uri, entry] of options.previous?.entries ?? []) this.entries.set(uri, entry);
  }

  /** Walks the folder as `keyless scan` does and analyzes every file it selects. */
  async build(): Promise<void> {
    const root = this.options.folder.path;
    // The folder as a `keyless scan` workspace: its own root, its config (merged with the editor's).
    const workspace = { root, targets: [{ kind: 'folder' as const, given: '.', absolute: root }], settings: { config: this.options.config, configFile: '.keyless.yaml', messages: [] } };
    const selection = selectFiles(workspace, 'scanned');
    const seen = new Set<string>();
    for await (const candidate of selection.candidates) {
      if (this.cancelled) return;
      if (this.options.defer?.(candidate.absolute) === true) {
        seen.add(pathToUri(candidate.absolute));
        continue;
      }
      seen.add(this.analyze(candidate));
      await this.options.pause();
    }
    if (this.cancelled) return;
    // What the replaced report had and the walk did not meet is gone (deleted, now ignored).
    for (const uri of [...this.entries.keys()]) {
      if (seen.has(uri)) continue;
      this.entries.delete(uri);
      this.options.changed(uri);
    }
    this.ready = true;
  }

  /**
   * A file changed, was created or deleted on disk, or was closed in the editor (its saved text
   * counts again): its entry is recomputed, or removed when the selection no longer holds it.
   */
  async update(file: string): Promise<void> {
    const uri = pathToUri(file);
    if (this.cancelled) return;
    if (!(await this.selects(file))) {
      if (this.entries.delete(uri)) this.options.changed(uri);
      return;
    }
    const relative = toPosix(path.relative(this.options.folder.path, file));
    this.analyze({ absolute: file, file: relative, enginePath: relative });
  }

  /** Whether `keyless scan` in the folder would read the file: its walk's rules, for one path. */
  private async selects(file: string): Promise<boolean> {
    const relative = toPosix(path.relative(this.options.folder.path, file));
    if (relative === '' || relative.startsWith('../') || path.isAbsolute(relative) || !readsFile(file)) return false;
    if (relative.split('/').some((part) => ALWAYS_SKIPPED.has(part))) return false;
    if (path.resolve(file) === this.configFile) return false;
    if (this.isIgnored(relative)) return false;
    const top = (await gitRootOf(this.options.folder.path)) ?? this.options.folder.path;
    const gitIgnored = await gitIgnoredAbove(top, file);
    return !gitIgnored(toPosix(path.relative(top, file)));
  }

  /** Analyzes one file into its entry; returns its URI. */
  private analyze(candidate: Candidate): string {
    const uri = pathToUri(candidate.absolute);
    const outcome = scanFile(candidate, this.options.engine, { config: this.options.config });
    const target = documentTarget(uri, '', this.options.folders());
    const diagnostics = target === undefined ? [] : outcome.scanned.findings.map((finding) => toDiagnostic(finding, { target, version: null, relatedInformation: this.options.relatedInformation }));
    const previous = this.entries.get(uri);
    // An unchanged result keeps its id: a client holding it is told "unchanged", not sent it again.
    if (previous !== undefined && JSON.stringify(previous.diagnostics) === JSON.stringify(diagnostics)) return uri;
    this.entries.set(uri, { uri, resultId: this.options.nextResultId(), diagnostics, findings: outcome.scanned.findings.length });
    this.options.changed(uri);
    return uri;
  }

  /** Forgets a file's result id, so that the next workspace pull sends it in full (see the server). */
  renew(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry === undefined) return;
    this.entries.set(uri, { ...entry, resultId: this.options.nextResultId() });
    this.options.changed(uri);
  }
}

export interface WorkspaceReportsOptions {
  engine: () => Engine | undefined;
  folders: () => readonly WorkspaceFolder[];
  /** What applies to a folder: whether Keyless is on, the scope setting, the merged config. */
  folderSettings: (folder: WorkspaceFolder) => Promise<{ enable: boolean; scope: DiagnosticsScope; config: KeylessConfig }>;
  /** Whether a document is open in the editor (by URI, and by path). */
  isOpen: (uri: string) => boolean;
  isOpenAt: (absolute: string) => boolean;
  relatedInformation: () => boolean;
  /** Shows a closed file's diagnostics ([] to clear) to a client that does not pull them. */
  publish: (uri: string, diagnostics: Diagnostic[]) => void;
  /** Between files of a build (the server waits while the user types). */
  pause: () => Promise<void>;
  stopped: () => boolean;
  log: (message: string) => void;
  onError: (what: string, error: unknown) => void;
  /** Files changed on disk are reported again once changes pause this long. */
  updateDelayMs: number;
}

/** The resultId of an "empty now" answer for a file no report holds: never held against a report's. */
const GONE_RESULT = 'gone';

/**
 * Every workspace folder's report, and the protocol around them: the long-polled
 * workspace/diagnostic answer, the pushes for clients without pull, and the updates from the
 * file watcher and from documents closing. The server passes in what it knows (state, settings,
 * the connection's pushes) as functions.
 */
export class WorkspaceReports {
  private readonly reports = new Map<string, FolderReport>();
  private resultCounter = 0;
  /** Workspace pulls waiting for a change (long poll): each is woken when an entry changes. */
  private readonly waiters = new Set<() => void>();
  /** Files whose diagnostics were pushed (clients without pull): cleared when they go. */
  private readonly pushed = new Set<string>();
  private readonly pendingUpdates = new Set<string>();
  private updateTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WorkspaceReportsOptions) {}

  entryOf(uri: string): ReportEntry | undefined {
    for (const report of this.reports.values()) {
      const entry = report.entries.get(uri);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  /**
   * (Re)builds a folder's report in the background, when the folder's scope is the workspace or
   * `force` (the scan command) asks. The entries of the report it replaces stand until the walk
   * reaches their files. Resolves with the report once built (undefined when there is none).
   */
  async build(folder: WorkspaceFolder, force: boolean): Promise<FolderReport | undefined> {
    const engine = this.options.engine();
    if (engine === undefined || this.options.stopped()) return undefined;
    const settings = await this.options.folderSettings(folder);
    if (!this.options.folders().some((f) => f.uri === folder.uri)) return undefined;
    if (!settings.enable || (settings.scope === 'openFiles' && !force)) {
      this.drop(folder);
      return undefined;
    }
    const previous = this.reports.get(folder.uri);
    // A background build joins a scan command's walk still under way instead of cancelling it: the
    // command would otherwise answer from the half-built report that replaced its own.
    if (!force && previous?.forced === true && !previous.ready && !previous.cancelled && previous.running !== undefined) {
      await previous.running;
      return this.settled(folder);
    }
    if (previous !== undefined) previous.cancelled = true;
    const report = new FolderReport({
      engine,
      folder,
      config: settings.config,
      relatedInformation: this.options.relatedInformation(),
      folders: this.options.folders,
      pause: this.options.pause,
      changed: (uri) => this.changed(uri),
      // An open document reports itself; its saved text is read when it closes. The scan reads all.
      ...(force ? {} : { defer: this.options.isOpenAt }),
      nextResultId: () => `w${++this.resultCounter}`,
      ...(previous !== undefined ? { previous } : {}),
    });
    this.reports.set(folder.uri, report);
    const started = performance.now();
    report.running = report.build();
    await report.running;
    // Replaced by a newer build (settings changed, another scan): answer with that one, once built.
    if (report.cancelled) return this.settled(folder);
    const findings = [...report.entries.values()].reduce((sum, entry) => sum + entry.findings, 0);
    this.options.log(`Reported ${folder.path}: ${findings} findings in ${report.entries.size} files (${Math.round(performance.now() - started)} ms)`);
    return report;
  }

  /** `build` in the background, where the folder's scope asks for it: a failure is logged. */
  rebuild(folder: WorkspaceFolder): void {
    void this.build(folder, false).catch((error: unknown) => this.options.onError(`Reporting ${folder.path} failed`, error));
  }

  /** The folder's current report once its walk is over; undefined when it was dropped or cancelled. */
  private async settled(folder: WorkspaceFolder): Promise<FolderReport | undefined> {
    for (let current = this.reports.get(folder.uri); current !== undefined && !current.cancelled; current = this.reports.get(folder.uri)) {
      await current.running;
      if (this.reports.get(folder.uri) === current) return current.cancelled ? undefined : current;
    }
    return undefined;
  }

  /** The folder reports nothing any more (left the workspace, disabled, scope of open files). */
  drop(folder: WorkspaceFolder): void {
    const report = this.reports.get(folder.uri);
    if (report === undefined) return;
    report.cancelled = true;
    this.reports.delete(folder.uri);
    for (const uri of report.entries.keys()) this.changed(uri);
  }

  /** A file changed on disk: reported again once changes pause. */
  queueUpdate(file: string): void {
    this.pendingUpdates.add(file);
    if (this.updateTimer !== undefined) clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => {
      this.updateTimer = undefined;
      void this.applyUpdates().catch((error: unknown) => this.options.onError('Updating the workspace diagnostics failed', error));
    }, this.options.updateDelayMs);
  }

  /**
   * A document closed: its saved text counts again, and its entry is sent anew (the client
   * dropped the document's diagnostics, and may hold the entry's old id).
   */
  async closed(file: string, uri: string): Promise<void> {
    const report = this.reportOf(file);
    if (report === undefined) return;
    await report.update(file);
    report.renew(uri);
  }

  /**
   * workspace/diagnostic: every file of the reports that is not open (an open one has its document
   * diagnostics), in full when the client does not hold its current result, "unchanged" when it
   * does; a file the client holds a result for that no report has any more, empty. When nothing
   * changed since the client's last answer the request is held until something does (or it is
   * cancelled), so an idle workspace costs no work: vscode-languageclient asks again 2 s after
   * each answer.
   */
  async pull(previousResultIds: readonly PreviousResultId[], token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    const previous = new Map(previousResultIds.map((entry) => [entry.uri, entry.value]));
    for (;;) {
      if (token.isCancellationRequested || this.options.stopped()) return { items: [] };
      const items = this.items(previous);
      if (items.some((item) => item.kind === DocumentDiagnosticReportKind.Full)) return { items };
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          cancelled.dispose();
          resolve();
        };
        this.waiters.add(wake);
        const cancelled = token.onCancellationRequested(wake);
      });
    }
  }

  /** Wakes a held pull at shutdown, so the connection can close. */
  stop(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private items(previous: ReadonlyMap<string, string>): WorkspaceDocumentDiagnosticReport[] {
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const seen = new Set<string>();
    for (const report of this.reports.values()) {
      for (const entry of report.entries.values()) {
        if (seen.has(entry.uri) || this.options.isOpen(entry.uri)) continue;
        seen.add(entry.uri);
        const known = previous.get(entry.uri);
        if (known === entry.resultId) items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri: entry.uri, resultId: entry.resultId, version: null });
        else if (entry.diagnostics.length > 0 || known !== undefined) items.push({ kind: DocumentDiagnosticReportKind.Full, uri: entry.uri, resultId: entry.resultId, version: null, items: entry.diagnostics });
      }
    }
    for (const [uri, known] of previous) {
      if (seen.has(uri) || known === GONE_RESULT || this.options.isOpen(uri)) continue;
      items.push({ kind: DocumentDiagnosticReportKind.Full, uri, resultId: GONE_RESULT, version: null, items: [] });
    }
    return items;
  }

  /** An entry was set or removed: waiting pulls answer; a client without pull gets it pushed. */
  private changed(uri: string): void {
    for (const wake of [...this.waiters]) wake();
    if (this.options.isOpen(uri)) return;
    const entry = this.entryOf(uri);
    if (entry !== undefined && entry.diagnostics.length > 0) {
      this.pushed.add(uri);
      this.options.publish(uri, entry.diagnostics);
    } else if (this.pushed.delete(uri)) {
      this.options.publish(uri, []);
    }
  }

  private reportOf(file: string): FolderReport | undefined {
    const folder = folderOf(file, this.options.folders());
    return folder === undefined ? undefined : this.reports.get(folder.uri);
  }

  private async applyUpdates(): Promise<void> {
    const files = [...this.pendingUpdates];
    this.pendingUpdates.clear();
    for (const file of files) {
      const report = this.reportOf(file);
      if (report === undefined) continue;
      await report.update(file);
      await this.options.pause();
    }
  }
}
