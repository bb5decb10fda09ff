/**
 * The repository a workspace is, from its git remote (and the GitHub ids `.keyless.yaml` gives):
 * not in any file Keyless reads, so the adapters hand it in. A CI job's token subject names it
 * (`dialects/<ci>/subject.ts`), and trusts written by fixes admit it.
 */
export interface RepositoryRef {
  /** `github.com`, `gitlab.com`, or a self-hosted host. */
  host: string;
  /** The owner (GitHub org or user) or the GitLab group path (`group/subgroup`). */
  owner: string;
  name: string;
  ownerId?: string;
  repoId?: string;
}
