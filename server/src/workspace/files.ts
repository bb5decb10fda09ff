import ignore, { type Ignore } from 'ignore';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { syntaxOf } from '../dialects/detect';
import { CONFIG_FILE_NAME, DEFAULT_CONFIG, parseConfig, type ConfigProblem, type KeylessConfig } from '../engine/config';

/**
 * File-system access for the adapters (CLI and server): finding the files to analyze and reading
 * the workspace config. The engine itself never touches the disk.
 */

/** Folders never worth walking: dependencies, VCS data, Terraform's provider cache. */
export const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn']);

interface GitIgnoreScope {
  /** Folder the .gitignore lives in, relative to the walk root, with a trailing `/` (or ''). */
  base: string;
  rules: Ignore;
}

/**
 * Yields the absolute paths of analyzable files under `root` (a folder or a single file), honouring
 * every .gitignore on the way down. `isIgnored` gets paths relative to `relativeTo`, with `/`.
 */
export async function* walkFiles(root: string, options: { relativeTo?: string; isIgnored?: (relativePath: string) => boolean } = {}): AsyncGenerator<string> {
  const relativeTo = options.relativeTo ?? root;
  const isIgnored = options.isIgnored ?? (() => false);
  const stat = await fs.stat(root);
  if (stat.isFile()) {
    yield root;
    return;
  }
  const stack: { dir: string; scopes: GitIgnoreScope[] }[] = [{ dir: root, scopes: [] }];
  while (stack.length > 0) {
    const { dir, scopes: inherited } = stack.pop()!;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: skip it, as git would
    }
    const scopes = [...inherited];
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const base = toPosix(path.relative(root, dir));
        scopes.push({ base: base === '' ? '' : `${base}/`, rules: ignore().add(await fs.readFile(path.join(dir, '.gitignore'), 'utf8')) });
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
    const subdirectories: string[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      const fromRoot = toPosix(path.relative(root, full));
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name) || gitIgnored(scopes, `${fromRoot}/`) || isIgnored(toPosix(path.relative(relativeTo, full)))) continue;
        subdirectories.push(full);
      } else if (entry.isFile() && syntaxOf(entry.name) !== null) {
        if (gitIgnored(scopes, fromRoot) || isIgnored(toPosix(path.relative(relativeTo, full)))) continue;
        yield full;
      }
    }
    for (const sub of subdirectories.reverse()) stack.push({ dir: sub, scopes });
  }
}

function gitIgnored(scopes: readonly GitIgnoreScope[], fromRoot: string): boolean {
  for (const scope of scopes) {
    if (!fromRoot.startsWith(scope.base)) continue;
    const relative = fromRoot.slice(scope.base.length);
    if (relative !== '' && relative !== '/' && scope.rules.ignores(relative)) return true;
  }
  return false;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
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
  const folders = toPosix(path.relative(top, root)).split('/').filter((part) => part !== '');
  if (folders[0] === '..' || path.isAbsolute(path.relative(top, root))) return () => false;
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
  return (relativeToTop) => gitIgnored(scopes, relativeToTop);
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
