import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { ignoreGlobsMatcher, selectFiles } from '../cli/inputs';
import { scanFile, type Candidate } from '../cli/scan-file';
import { syntaxOf } from '../dialects/detect';
import type { Engine } from '../engine/analyze';
import type { KeylessConfig } from '../engine/config';
import { ALWAYS_SKIPPED, gitIgnoredAbove, gitRootOf, toPosix } from '../workspace/files';
import { toDiagnostic } from './diagnostics';
import { documentTarget, pathToUri, type WorkspaceFolder } from './paths';

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
  private readonly configFile: string;

  private readonly isIgnored: (relative: string) => boolean;

  constructor(private readonly options: ReportOptions) {
    this.configFile = path.join(options.folder.path, '.keyless.yaml');
    this.isIgnored = ignoreGlobsMatcher(options.config);
    for (const [uri, entry] of options.previous?.entries ?? []) this.entries.set(uri, entry);
  }

  /** Walks the folder as `keyless scan` does and analyzes every file it selects. */
  async build(): Promise<void> {
    const root = this.options.folder.path;
    const selection = selectFiles([{ kind: 'folder', given: '.', absolute: root }], root, { config: this.options.config, configFile: '.keyless.yaml' }, 'scanned');
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
    if (relative === '' || relative.startsWith('../') || path.isAbsolute(relative) || syntaxOf(file) === null) return false;
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
