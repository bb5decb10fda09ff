import type { Dialect } from '../dialects/detect';
import type { Facts } from '../facts/model';

/**
 * What fixes may know beyond the file they fix: which repository this workspace is (from its git
 * remote), and the facts of the workspace's other files (roles, trusts, OIDC providers, where the
 * IaC lives). Adapters build it — the server from the open folder, `keyless fix` from the files it
 * walks — and hand it to the engine, which stays free of I/O.
 */
export interface WorkspaceContext {
  repository?: RepositoryRef;
  /** Other files' facts and text, by the path the caller uses for them. */
  files: ReadonlyMap<string, WorkspaceFile>;
  /**
   * GitHub's immutable subject form (`repo:ORG@ID/REPO@ID:…`): trusts written by fixes use it when
   * the repository's numeric ids are known.
   */
  immutableSubjects: boolean;
}

export interface WorkspaceFile {
  dialect: Dialect;
  text: string;
  facts: Facts;
}

export interface RepositoryRef {
  /** `github.com`, `gitlab.com`, or a self-hosted host. */
  host: string;
  /** The owner (GitHub org or user) or the GitLab group path (`group/subgroup`). */
  owner: string;
  name: string;
  ownerId?: string;
  repoId?: string;
}

export const EMPTY_WORKSPACE: WorkspaceContext = { files: new Map(), immutableSubjects: false };

/**
 * A repository from a git remote URL: `https://github.com/acme/app.git`,
 * `git@github.com:acme/app.git`, `ssh://git@gitlab.example.com:2222/group/sub/app.git`.
 */
export function repositoryFromRemote(url: string): RepositoryRef | undefined {
  const trimmed = url.trim();
  let host: string | undefined;
  let path: string | undefined;
  const scp = /^[^@/\s]+@([^:/\s]+):(?!\/)(.+)$/.exec(trimmed);
  if (scp) {
    host = scp[1];
    path = scp[2];
  } else {
    try {
      const parsed = new URL(trimmed);
      host = parsed.hostname;
      path = parsed.pathname;
    } catch {
      return undefined;
    }
  }
  const parts = (path ?? '').replace(/^\/+/, '').replace(/\.git\/?$/, '').replace(/\/+$/, '').split('/').filter(Boolean);
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
