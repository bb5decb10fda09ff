import { promises as fs } from 'node:fs';
import { MAX_FILE_BYTES, type Engine } from '../engine/analyze';
import type { OidcConfig } from '../engine/config';
import type { WorkspaceContext, WorkspaceFile } from '../facts/workspace';
import type { RepositoryRef } from '../facts/repository';
import { walkFiles } from './files';

/**
 * The workspace as fixes see it (`WorkspaceContext`), built and kept by an adapter: every file of
 * a folder that Keyless reads, with its dialect, facts and text, under the name the adapter gives
 * the engine for that file (`SourceFile.path`), plus the repository from the git remote. Fixers
 * look up roles, trusts, OIDC providers and where the IaC lives here, and position edits of other
 * files by their text; new files they create are named beside these paths, so the names must map
 * back to real locations.
 *
 * Facts come from `Engine.facts` (no syntax handles: they outlive the parse). Text is kept for
 * every file that has a dialect — fixes edit Terraform, templates and workflows of other files,
 * and check other manifests before deleting a Secret — and nothing is kept of files Keyless does
 * not analyze (a `package.json`, a compose file).
 */

/** How many files a build reads before it stops: the index's cost is bounded whatever the tree. */
export const MAX_INDEXED_FILES = 20_000;

export interface BuildOptions {
  /** The folder to walk. */
  root: string;
  /** The index key of a file: the path the adapter analyzes it under. */
  nameOf: (absolute: string) => string;
  /** Paths relative to `relativeTo` (default: `root`), with `/`: the config's ignore globs. */
  isIgnored?: (relativePath: string) => boolean;
  relativeTo?: string;
  /** The repository's top folder when `root` is below it: its .gitignore files apply (see `walkFiles`). */
  gitTop?: string;
  /** The text to index instead of the disk's, for a file an editor has open with unsaved edits. */
  textOf?: (absolute: string) => string | undefined;
  /** Editors do not count a byte-order mark as text; the CLI writes files back byte for byte. */
  stripByteOrderMark?: boolean;
  /** Awaited between files: the language server yields to its event loop here. */
  pause?: () => Promise<void>;
  /**
   * Files left out of the build, for the caller to add later (the language server: documents
   * open in the editor, read when a code action next needs the index, so a file the user has
   * just opened is not parsed a second time while they start typing).
   */
  defer?: (absolute: string) => boolean;
  /** Checked between files: true ends the build early (replaced by a newer one, shutting down). */
  cancelled?: () => boolean;
  log?: (message: string) => void;
}

export interface BuildStats {
  /** Files walked (by name, ones Keyless may read). */
  walked: number;
  /** Files with a dialect, now in the index. */
  indexed: number;
  /** UTF-16 code units of text kept. */
  textLength: number;
  /** The build stopped at MAX_INDEXED_FILES: files past it are unknown to fixes. */
  truncated: boolean;
  cancelled: boolean;
  milliseconds: number;
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, WorkspaceFile>();
  /** From the git remote; the adapter sets it (and refreshes it when `.git/config` changes). */
  repository: RepositoryRef | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly maxFiles = MAX_INDEXED_FILES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(path: string): WorkspaceFile | undefined {
    return this.entries.get(path);
  }

  /**
   * The context for one analysis. The map is the index's own (analysis is synchronous, so nothing
   * changes under it); the repository carries the GitHub ids the config gives.
   */
  context(oidc?: OidcConfig): WorkspaceContext {
    const repository = this.repository === undefined ? undefined : withIds(this.repository, oidc);
    return { files: this.entries, immutableSubjects: oidc?.immutableSubjects === true, ...(repository ? { repository } : {}) };
  }

  /**
   * A file's new text: its entry is replaced (or dropped, when the text has no dialect any more or
   * is over the size limit). An unchanged text keeps its entry, and with it what fixers cached.
   * A new file past the bound is not added. Returns whether the index changed: every change may
   * change other files' fixes, which position edits on the texts kept here.
   */
  update(path: string, text: string): boolean {
    const previous = this.entries.get(path);
    if (previous !== undefined && previous.text === text) return false;
    if (previous === undefined && this.entries.size >= this.maxFiles) return false;
    const read = this.factsOf(path, text);
    if (read === undefined) return this.entries.delete(path);
    this.entries.set(path, { dialect: read.dialect, facts: read.facts, text });
    return true;
  }

  /** Returns whether the file was in the index. */
  remove(path: string): boolean {
    return this.entries.delete(path);
  }

  /**
   * Reads every analyzable file under `root` into the index (honouring .gitignore and the ignore
   * globs, as a scan does), up to MAX_INDEXED_FILES files. Files over the engine's size limit are
   * skipped unread; an unreadable file is skipped as git would.
   */
  async build(options: BuildOptions): Promise<BuildStats> {
    const started = performance.now();
    const stats: BuildStats = { walked: 0, indexed: 0, textLength: 0, truncated: false, cancelled: false, milliseconds: 0 };
    const walk = walkFiles(options.root, {
      relativeTo: options.relativeTo ?? options.root,
      ...(options.isIgnored ? { isIgnored: options.isIgnored } : {}),
      ...(options.gitTop !== undefined ? { gitTop: options.gitTop } : {}),
    });
    for await (const absolute of walk) {
      if (options.cancelled?.()) {
        stats.cancelled = true;
        break;
      }
      if (stats.walked >= this.maxFiles) {
        stats.truncated = true;
        options.log?.(`Indexed the first ${this.maxFiles} files of ${options.root} and stopped: fixes do not see the files past them`);
        break;
      }
      stats.walked++;
      if (options.defer?.(absolute) === true) continue;
      const text = options.textOf?.(absolute) ?? (await readText(absolute, options.stripByteOrderMark === true));
      if (text !== undefined) {
        const name = options.nameOf(absolute);
        this.update(name, text);
        if (this.entries.has(name)) stats.indexed++;
      }
      await options.pause?.();
    }
    for (const file of this.entries.values()) stats.textLength += file.text.length;
    stats.milliseconds = performance.now() - started;
    return stats;
  }

  private factsOf(path: string, text: string): ReturnType<Engine['facts']> {
    try {
      return this.engine.facts({ path, text });
    } catch {
      // A file the extractors cannot read is one fixes cannot use; analysis reports it on its own.
      return undefined;
    }
  }
}

/** A file's text, or undefined when it is over the engine's size limit or cannot be read. */
export async function readText(absolute: string, stripByteOrderMark: boolean): Promise<string | undefined> {
  try {
    if ((await fs.stat(absolute)).size > MAX_FILE_BYTES) return undefined;
    const text = await fs.readFile(absolute, 'utf8');
    return stripByteOrderMark && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

/** The repository with the GitHub ids the config gives (a repository's own ids win over none). */
export function withIds(repository: RepositoryRef, oidc: OidcConfig | undefined): RepositoryRef {
  const ownerId = oidc?.githubOwnerId ?? repository.ownerId;
  const repoId = oidc?.githubRepositoryId ?? repository.repoId;
  return { ...repository, ...(ownerId !== undefined ? { ownerId } : {}), ...(repoId !== undefined ? { repoId } : {}) };
}
