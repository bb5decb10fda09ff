import type { Dialect } from '../core/dialect';
import type { Facts } from './model';
import type { RepositoryRef } from './repository';

/**
 * What fixes may know beyond the file they fix: which repository this workspace is (from its git
 * remote), and every analyzed file of the workspace with its dialect, facts and text. Adapters
 * build it — the server from the open folder, `keyless fix` from the files it walks (both through
 * `workspace/context.ts`) — and hand it to the engine, which stays free of I/O. Fixers read the
 * relations between those files (roles, trusts, jobs, modules) from the graph built over it
 * (`graph/`), and the texts from here, to position edits of other files.
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

export const EMPTY_WORKSPACE: WorkspaceContext = { files: new Map(), immutableSubjects: false };
