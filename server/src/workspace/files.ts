import ignore, { type Ignore } from 'ignore';
import { promises as fs, readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { readsFile } from '../dialects/detect';
import { CONFIG_FILE_NAME, DEFAULT_CONFIG, parseConfig, type ConfigProblem, type KeylessConfig } from '../engine/config';

/**
 * File-system access for the adapters (CLI and server): finding the files to analyze and reading
 * the workspace config. The engine itself never touches the disk.
 */

/** Folders never worth walking: dependencies, VCS data, Terraform's provider cache. */
export const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn']);

interface GitIgnoreScope {
  /** Folder the .gitignore lives in, relative to the walk's top, with a trailing `/` (or ''). */
  base: string;
  rules: Ignore;
}

export interface WalkOptions {
  /** `isIgnored` gets paths relative to this folder (default: the walk's root), with `/`. */
  relativeTo?: string;
  /** The config's ignore globs, or any other test on top of git's. */
  isIgnored?: (relativePath: string) => boolean;
  /**
   * The repository's top folder, when the walk starts below it: the .gitignore files between the two
   * apply as git applies them, before and beneath the walk's own (so a `!` in a folder the walk
   * reads re-includes what the repository's root .gitignore excludes). Unless git ignores the root
   * itself: a folder the user names is read even when git ignores it, as a named file is.
   */
  gitTop?: string;
}

/**
 * Yields the absolute paths of the files Keyless reads under `root` (a folder or a single file),
 * honouring every .gitignore on the way down as git does (see `gitDecides`).
 */
export async function* walkFiles(root: string, options: WalkOptions = {}): AsyncGenerator<string> {
  for await (const file of walkFileEntries(root, options)) yield file.absolute;
}

/** A file a walk found: its absolute path, and its path below the walk's root with `/`. */
export interface WalkedFile {
  absolute: string;
  fromRoot: string;
}

/**
 * `walkFiles` with each file's path below the root too. Folders are read synchronously: they are
 * nearly always in the page cache, where a promise-based read (a round trip through the thread
 * pool for every folder) cost the CLI's main thread more than the read itself; the walk is a
 * generator all the same, and the caller decides when to read on. Relative paths are built by
 * joining names onto the folder's, not by `path.relative` for every file.
 */
export async function* walkFileEntries(folder: string, options: WalkOptions = {}): AsyncGenerator<WalkedFile> {
  // Normalized as `path.join` would leave it, so that names can be appended.
  const root = path.normalize(folder);
  const relativeTo = options.relativeTo ?? root;
  const isIgnored = options.isIgnored ?? (() => false);
  const stat = await fs.stat(root);
  if (stat.isFile()) {
    yield { absolute: root, fromRoot: toPosix(path.basename(root)) };
    return;
  }
  let top = root;
  let above: GitIgnoreScope[] = [];
  if (options.gitTop !== undefined) {
    const scopes = await scopesAbove(options.gitTop, root);
    if (scopes !== undefined && !pathIgnored(scopes, `${toPosix(path.relative(options.gitTop, root))}/`)) {
      top = options.gitTop;
      above = scopes;
    }
  }
  // Where the root lies below `top` and `relativeTo`, as prefixes every path below it extends
  // (undefined when `relativeTo` is not above the root: then `path.relative` answers per file).
  const prefixOf = (base: string): string | undefined => {
    const relative = toPosix(path.relative(base, root));
    if (relative === '') return '';
    return isOutside(relative) ? undefined : `${relative}/`;
  };
  const topPrefix = prefixOf(top) ?? '';
  const relativePrefix = prefixOf(relativeTo);
  const stack: { dir: string; fromRoot: string; scopes: GitIgnoreScope[] }[] = [{ dir: root, fromRoot: '', scopes: above }];
  while (stack.length > 0) {
    const { dir, fromRoot: dirFromRoot, scopes: inherited } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: skip it, as git would
    }
    const scopes = [...inherited];
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        scopes.push({ base: baseOf(top, dir), rules: ignore().add(await fs.readFile(path.join(dir, '.gitignore'), 'utf8')) });
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
    const subdirectories: { dir: string; fromRoot: string }[] = [];
    const separator = dir.endsWith(path.sep) ? '' : path.sep;
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const isDirectory = entry.isDirectory();
      if (!isDirectory && !(entry.isFile() && readsFile(entry.name))) continue;
      const full = dir + separator + entry.name;
      const fromRoot = dirFromRoot + entry.name;
      const fromTop = topPrefix + fromRoot;
      const relative = relativePrefix === undefined ? toPosix(path.relative(relativeTo, full)) : relativePrefix + fromRoot;
      // A folder git ignores is never entered: nothing below it can be re-included (git's rule).
      if (isDirectory) {
        if (ALWAYS_SKIPPED.has(entry.name) || gitDecides(scopes, `${fromTop}/`) || isIgnored(relative)) continue;
        subdirectories.push({ dir: full, fromRoot: `${fromRoot}/` });
      } else {
        if (gitDecides(scopes, fromTop) || isIgnored(relative)) continue;
        yield { absolute: full, fromRoot };
      }
    }
    for (const sub of subdirectories.reverse()) stack.push({ ...sub, scopes });
  }
}

/** A relative path (with `/`) that leaves its base. */
export function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith('../') || path.isAbsolute(relative);
}

function baseOf(top: string, dir: string): string {
  const base = toPosix(path.relative(top, dir));
  return base === '' ? '' : `${base}/`;
}

/**
 * Whether git ignores one path (relative to the scopes' top; a folder ends with `/`), its parent
 * folders aside. As gitignore(5) says: patterns of a deeper .gitignore override those of the
 * folders above it, and within a file the last matching pattern decides — so the deepest
 * .gitignore with a pattern matching the path decides, ignoring it or (with `!`) including it.
 * Scopes are ordered from the top down.
 */
function gitDecides(scopes: readonly GitIgnoreScope[], fromTop: string): boolean {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i]!;
    if (!fromTop.startsWith(scope.base)) continue;
    const relative = fromTop.slice(scope.base.length);
    if (relative === '' || relative === '/') continue;
    const { ignored, unignored } = scope.rules.test(relative);
    if (ignored) return true;
    if (unignored) return false;
  }
  return false;
}

/**
 * Whether git ignores a path, its parent folders included: "It is not possible to re-include a
 * file if a parent directory of that file is excluded" (gitignore(5)), whatever a deeper
 * .gitignore says.
 */
function pathIgnored(scopes: readonly GitIgnoreScope[], fromTop: string): boolean {
  for (let slash = fromTop.indexOf('/'); slash !== -1 && slash < fromTop.length - 1; slash = fromTop.indexOf('/', slash + 1)) {
    if (gitDecides(scopes, fromTop.slice(0, slash + 1))) return true;
  }
  return gitDecides(scopes, fromTop);
}

/** The .gitignore files of `top` and the folders below it down to the parent of `root`; undefined when `root` is not inside `top`. */
async function scopesAbove(top: string, root: string): Promise<GitIgnoreScope[] | undefined> {
  const relative = path.relative(top, root);
  const folders = toPosix(relative).split('/').filter((part) => part !== '');
  if (folders[0] === '..' || path.isAbsolute(relative)) return undefined;
  const scopes: GitIgnoreScope[] = [];
  for (let depth = 0; depth < folders.length; depth++) {
    const base = folders.slice(0, depth).join('/');
    try {
      const text = await fs.readFile(path.join(top, ...folders.slice(0, depth), '.gitignore'), 'utf8');
      scopes.push({ base: base === '' ? '' : `${base}/`, rules: ignore().add(text) });
    } catch {
      // no .gitignore in that folder
    }
  }
  return scopes;
}

export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

/**
 * The workspace a path belongs to, as git would see it: the nearest folder at or above `start`
 * (a folder) that holds `.git` — a folder, or a file saying `gitdir:` (a linked work tree, a
 * submodule) —, else the nearest that holds `.keyless.yaml`, else `start` itself. `keyless scan`
 * and `keyless fix` run from anywhere take it, never the current folder, as the root: the config
 * and the git remote live there, fixes write relative to it, and nothing outside it is walked.
 */
export async function workspaceRootOf(start: string): Promise<{ root: string; by: 'git' | 'config' | 'path' }> {
  const from = path.resolve(start);
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (await isGitTop(dir)) return { root: dir, by: 'git' };
    if (path.dirname(dir) === dir) break;
  }
  for (let dir = from; ; dir = path.dirname(dir)) {
    const config = await fs.stat(path.join(dir, CONFIG_FILE_NAME)).catch(() => undefined);
    if (config?.isFile() === true) return { root: dir, by: 'config' };
    if (path.dirname(dir) === dir) return { root: from, by: 'path' };
  }
}

/** Whether `dir` holds `.git`: a folder, or a file that points to one (`gitdir: …`). */
async function isGitTop(dir: string): Promise<boolean> {
  const dotGit = path.join(dir, '.git');
  const stat = await fs.stat(dotGit).catch(() => undefined);
  if (stat === undefined) return false;
  if (stat.isDirectory()) return true;
  if (!stat.isFile()) return false;
  // Only the head of the file is needed; a stray `.git` file that is not a pointer is not a repository.
  const text = await fs.readFile(dotGit, 'utf8').catch(() => '');
  return /^gitdir:/.test(text);
}

/** The nearest folder at or above `folder` that holds `.git` (a folder, or a file in a worktree). */
export async function gitRootOf(folder: string): Promise<string | undefined> {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    try {
      await fs.stat(path.join(dir, '.git'));
      return dir;
    } catch {
      if (path.dirname(dir) === dir) return undefined;
    }
  }
}

/**
 * The .gitignore files of the folders from `top` down to the parent of `root`, which a walk that
 * starts at `root` never reads but git applies all the same (`keyless scan infra` in a repository
 * whose root .gitignore lists `generated/`). The test takes a path relative to `top`, with `/`.
 */
export async function gitIgnoredAbove(top: string, root: string): Promise<(relativeToTop: string) => boolean> {
  const scopes = await scopesAbove(top, root);
  if (scopes === undefined) return () => false;
  return (relativeToTop) => pathIgnored(scopes, relativeToTop);
}

export interface LoadedConfig {
  config: KeylessConfig;
  /** The config file's path, when there is one. */
  file: string | undefined;
  problems: ConfigProblem[];
}

/** Reads `.keyless.yaml` from a workspace root; a missing file is the default config, not an error. */
export async function loadConfig(workspaceRoot: string): Promise<LoadedConfig> {
  const file = path.join(workspaceRoot, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: DEFAULT_CONFIG, file: undefined, problems: [] };
    return { config: DEFAULT_CONFIG, file, problems: [{ message: `cannot read the config: ${(error as Error).message}`, position: { line: 0, character: 0 } }] };
  }
  const { config, problems } = parseConfig(text);
  return { config, file, problems };
}
