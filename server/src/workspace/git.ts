import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RepositoryRef } from '../facts/repository';

/**
 * Which repository a folder belongs to, read from git's own files: the trusts a fix writes name
 * the repository, and the remote is the only offline source for it. No `git` binary (it may be
 * missing, and running it from an editor is a process per question) and no network.
 */

export interface GitRepository {
  /** The folder holding `.git` (the work tree's top). */
  root: string;
  /** The config file the remote was read from: what to watch for a changed remote. */
  configFile: string;
  /** Undefined when the config names no remote, or one whose URL is not a repository's. */
  repository: RepositoryRef | undefined;
}

/**
 * The repository of `folder`: `.git` is looked for in the folder and each one above it. A `.git`
 * folder holds `config`; a `.git` file (a linked work tree, a submodule) says `gitdir: PATH`, and
 * a work tree's gitdir points on to the shared folder through `commondir`, where the remotes are.
 * The remote is `origin`, else the first one the config lists. Undefined outside a repository.
 */
export async function gitRepositoryOf(folder: string): Promise<GitRepository | undefined> {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    const stat = await fs.stat(dotGit).catch(() => undefined);
    if (stat !== undefined) {
      const gitDir = stat.isDirectory() ? dotGit : stat.isFile() ? await linkedGitDir(dotGit) : undefined;
      if (gitDir === undefined) return undefined;
      const configFile = await configFileOf(gitDir);
      const text = await fs.readFile(configFile, 'utf8').catch(() => undefined);
      const url = text === undefined ? undefined : remoteUrlFromGitConfig(text);
      return { root: dir, configFile, repository: url === undefined ? undefined : repositoryFromRemote(url) };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The folder a `.git` file points to (`gitdir: ../.git/modules/x`, relative to the file's folder). */
async function linkedGitDir(dotGitFile: string): Promise<string | undefined> {
  const text = await fs.readFile(dotGitFile, 'utf8').catch(() => undefined);
  const target = text === undefined ? undefined : /^gitdir:\s*(.+?)\s*$/m.exec(text)?.[1];
  return target === undefined ? undefined : path.resolve(path.dirname(dotGitFile), target);
}

/** `config` of the shared git folder when this one is a linked work tree's, else its own. */
async function configFileOf(gitDir: string): Promise<string> {
  const common = await fs.readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => undefined);
  return path.join(common === undefined ? gitDir : path.resolve(gitDir, common.trim()), 'config');
}

/**
 * A repository from a git remote URL: `https://github.com/acme/app.git`,
 * `git@github.com:acme/app.git`, `ssh://git@gitlab.example.com:2222/group/sub/app.git`.
 */
export function repositoryFromRemote(url: string): RepositoryRef | undefined {
  const trimmed = url.trim();
  let host: string | undefined;
  let pathname: string | undefined;
  const scp = /^[^@/\s]+@([^:/\s]+):(?!\/)(.+)$/.exec(trimmed);
  if (scp) {
    host = scp[1];
    pathname = scp[2];
  } else {
    try {
      const parsed = new URL(trimmed);
      host = parsed.hostname;
      pathname = parsed.pathname;
    } catch {
      return undefined;
    }
  }
  const parts = (pathname ?? '').replace(/^\/+/, '').replace(/\.git\/?$/, '').replace(/\/+$/, '').split('/').filter(Boolean);
  if (!host || parts.length < 2) return undefined;
  return { host: host.toLowerCase(), owner: parts.slice(0, -1).join('/'), name: parts[parts.length - 1]! };
}

/** The `origin` remote's URL in a `.git/config` text (else the first remote's). */
export function remoteUrlFromGitConfig(config: string): string | undefined {
  let current: string | undefined;
  const urls = new Map<string, string>();
  for (const line of config.split(/\r?\n/)) {
    const section = /^\s*\[remote\s+"([^"]+)"\]\s*$/.exec(line);
    if (section) {
      current = section[1];
      continue;
    }
    if (/^\s*\[/.test(line)) {
      current = undefined;
      continue;
    }
    const url = /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
    if (current && url && !urls.has(current)) urls.set(current, url[1]!);
  }
  return urls.get('origin') ?? urls.values().next().value;
}
