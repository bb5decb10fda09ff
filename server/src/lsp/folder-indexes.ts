import * as path from 'node:path';
import { readsFile } from '../dialects/detect';
import { pathMatcher, type KeylessConfig } from '../engine/config';
import type { WorkspaceContext } from '../facts/workspace';
import { readText, WorkspaceIndex } from '../workspace/context';
import { ALWAYS_SKIPPED, gitIgnoredAbove, toPosix } from '../workspace/files';
import { gitRepositoryOf } from '../workspace/git';
import { yieldToEventLoop } from './background';
import type { Configuration } from './configuration';
import type { OpenDocuments } from './documents';
import { folderOf, samePath, type DocumentTarget, type WorkspaceFolder } from './paths';
import type { Session } from './session';

/** What the index watches: the files Keyless reads, and git configs for the repository's remote. */
export const INDEX_WATCH_PATTERNS = ['**/*.{tf,tfvars,json,yml,yaml,template}', '**/.git/config'];

/**
 * Files changed on disk (a checkout, a save elsewhere) reach the index once the changes have paused
 * this long, in the background. Edits in the editor wait until a code action needs the index:
 * typing never pays for it.
 */
export const INDEX_UPDATE_DELAY_MS = 400;

export interface FolderIndex {
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

/**
 * What fixes know beyond their file: a `WorkspaceIndex` per workspace folder, built in the
 * background and kept current from the file watcher (IaC files and `.git/config`, after a pause)
 * and from edits in the editor (when a code action next needs it). Diagnostics never wait for it.
 */
export class FolderIndexes {
  private readonly indexes = new Map<string, FolderIndex>();
  /** Per index, the files whose entries are out of date. */
  private readonly pendingUpdates = new Map<FolderIndex, Set<string>>();
  private updateTimer: NodeJS.Timeout | undefined;
  /** The update running or last run: updates run one after another, so an older read never lands after a newer one. */
  private updateChain: Promise<void> = Promise.resolve();
  private currentStamp = 0;

  constructor(
    private readonly session: Session,
    private readonly documents: OpenDocuments,
    private readonly configuration: Configuration,
    /** Between two files of a build: waits while the user types (lsp/background.ts). */
    private readonly pause: () => Promise<void>,
  ) {}

  /** Bumped whenever an index changes (or becomes ready): fixes read it, so cached ones are stale. */
  get stamp(): number {
    return this.currentStamp;
  }

  of(folder: WorkspaceFolder | undefined): FolderIndex | undefined {
    return folder === undefined ? undefined : this.indexes.get(folder.uri);
  }

  /** The workspace context for a document's fixes, once its folder is indexed. */
  workspaceInput(target: DocumentTarget, config: KeylessConfig): { workspace?: WorkspaceContext } {
    const state = this.of(target.folder);
    if (state === undefined || !state.ready) return {};
    return { workspace: state.index.context(config.oidc) };
  }

  /** `build`, in the background: a failure is logged. */
  rebuild(folder: WorkspaceFolder): void {
    void this.build(folder).catch((error: unknown) => this.session.logError(`Indexing ${folder.path} failed`, error));
  }

  /**
   * (Re)builds a folder's index in the background: one file per turn of the event loop, so open
   * documents' analyses and every request run in between. Diagnostics never wait for it: findings
   * do not depend on other files. Code actions asked for once it is built get the fixes that write
   * beyond their file.
   */
  async build(folder: WorkspaceFolder): Promise<void> {
    const engine = this.session.engine;
    if (engine === undefined || this.session.shutdownRequested) return;
    const previous = this.indexes.get(folder.uri);
    if (previous !== undefined) previous.cancelled = true;
    const effective = await this.configuration.effectiveConfigFor(folder);
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
    if (!this.session.folders.some((f) => f.uri === folder.uri) || this.indexes.get(folder.uri) !== previous) return;
    this.indexes.set(folder.uri, state);
    const git = await gitRepositoryOf(folder.path);
    state.index.repository = git?.repository;
    state.gitConfigFile = git?.configFile;
    const stats = await state.index.build({
      root: folder.path,
      nameOf: (absolute) => indexName(state, absolute),
      isIgnored: state.isIgnored,
      // An open document counts as the editor has it, unsaved edits included.
      textOf: (absolute) => this.documents.openAt(absolute)?.getText(),
      stripByteOrderMark: true,
      pause: this.pause,
      // An open document is indexed when a code action next needs it (as its edits are).
      defer: (absolute) => {
        if (this.documents.openAt(absolute) === undefined) return false;
        this.queueUpdate(absolute, 'on-request');
        return true;
      },
      cancelled: () => state.cancelled || this.session.shutdownRequested,
      log: (message) => this.session.channel.log.warn(message),
    });
    if (stats.cancelled) return;
    state.ready = true;
    this.currentStamp++;
    const repository = state.index.repository;
    this.session.channel.log.info(
      `Indexed ${folder.path} for fixes: ${stats.indexed} of ${stats.walked} files in ${Math.round(stats.milliseconds)} ms; ` +
        (repository ? `repository ${repository.host}/${repository.owner}/${repository.name}` : 'no git remote, so fixes write no trust'),
    );
  }

  /**
   * Marks a file's entry out of date (its text is the open document's, else the disk's): brought
   * up to date after a pause when `soon`, else when a code action next needs the index.
   */
  queueUpdate(file: string, when: 'soon' | 'on-request'): void {
    let queued = false;
    for (const state of this.indexes.values()) {
      // Nested folders each index the files under them.
      if (folderOf(file, [state.folder]) === undefined) continue;
      const files = this.pendingUpdates.get(state) ?? new Set<string>();
      files.add(file);
      this.pendingUpdates.set(state, files);
      queued = true;
    }
    if (!queued || when === 'on-request') return;
    if (this.updateTimer !== undefined) clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => {
      this.updateTimer = undefined;
      void this.update();
    }, INDEX_UPDATE_DELAY_MS);
  }

  /** Brings every out-of-date entry up to date, one file per turn of the event loop. */
  update(): Promise<void> {
    this.updateChain = this.updateChain.then(() => this.applyPendingUpdates()).catch((error: unknown) => this.session.logError('Updating the workspace index failed', error));
    return this.updateChain;
  }

  /** Whether a changed file is a git config an index read its remote from (or could now). */
  isGitConfig(file: string): boolean {
    return (path.basename(file) === 'config' && path.basename(path.dirname(file)) === '.git') || [...this.indexes.values()].some((state) => state.gitConfigFile !== undefined && samePath(state.gitConfigFile, file));
  }

  /** A git config changed: folders whose remote it was (or could now be) read it again. */
  async refreshRepositories(): Promise<void> {
    for (const state of this.indexes.values()) {
      if (state.cancelled) continue;
      const git = await gitRepositoryOf(state.folder.path);
      state.gitConfigFile = git?.configFile;
      state.index.repository = git?.repository;
      this.currentStamp++;
    }
  }

  /** A config change may change the ignore globs, which decide what an index holds. */
  async reindexIfIgnoreChanged(): Promise<void> {
    for (const folder of this.session.folders) {
      const state = this.indexes.get(folder.uri);
      if (state === undefined) continue;
      const effective = await this.configuration.effectiveConfigFor(folder);
      if (this.indexes.get(folder.uri) === state && JSON.stringify(effective.config.ignore) !== state.ignore) this.rebuild(folder);
    }
  }

  /** The folder left the workspace: its index stops and goes. */
  folderRemoved(folderUri: string): void {
    const state = this.indexes.get(folderUri);
    if (state === undefined) return;
    state.cancelled = true;
    this.indexes.delete(folderUri);
    this.pendingUpdates.delete(state);
  }

  private async applyPendingUpdates(): Promise<void> {
    const batch = [...this.pendingUpdates].flatMap(([state, files]) => [...files].map((file) => [file, state] as const));
    this.pendingUpdates.clear();
    for (const [file, state] of batch) {
      if (state.cancelled || this.session.shutdownRequested) continue;
      const name = indexName(state, file);
      const open = this.documents.openAt(file);
      let changed: boolean;
      if (!(await isIndexable(state, file))) changed = state.index.remove(name);
      else if (open !== undefined) changed = state.index.update(name, open.getText());
      else {
        // Closed, created, changed or deleted on disk: the disk says which.
        const text = await readText(file, true);
        changed = text === undefined ? state.index.remove(name) : state.index.update(name, text);
      }
      if (changed) this.currentStamp++;
      await yieldToEventLoop();
    }
  }
}

/** The text a folder's index holds for a file. */
export function indexedText(state: FolderIndex, file: string): string | undefined {
  return state.index.get(indexName(state, file))?.text;
}

function indexName(state: FolderIndex, file: string): string {
  return toPosix(path.relative(state.folder.path, file));
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
