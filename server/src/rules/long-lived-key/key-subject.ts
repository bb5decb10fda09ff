import type { WorkspaceContext } from '../../facts/workspace';
import type { Cloud, SecretKind, TokenSubject } from '../../facts/model';
import type { RepositoryRef } from '../../facts/repository';
import { sharedSubject, workspaceGraph } from '../../graph/graph';
import { issuerHost, subjectClaim, type CiIssuer } from '../../graph/tokens';
import { describeScope } from '../../fixes/federation/claims';
import { attribute, GITLAB_VARIABLE_TYPES, type Located } from './terraform-module';

/**
 * Who a minted key serves, when the workspace shows it, so that federation can be scoped to them:
 * the repository and environment of the GitHub secrets that carry the key (the GitHub provider's
 * `github_actions_environment_secret`, `github_actions_secret`), or the project of the GitLab
 * provider's `gitlab_project_variable`s that do (with the branch its pipeline's jobs share), else the one environment or
 * branch of this repository's CI jobs that log in to the cloud with stored keys — when the key is
 * the only one of its kind in the workspace, so that it must be theirs.
 */
export interface KeyUser {
  issuer: CiIssuer;
  repository: RepositoryRef;
  scope: Exclude<TokenSubject, { kind: 'unknown' }>;
  issuerHost: string;
  subject: string;
  /** `acme/app environment "production"`, for titles and comments. */
  described: string;
}

export function keyUser(workspace: WorkspaceContext, cloud: Cloud, carriers: readonly Located[], onlyKeyOfItsKind: boolean): KeyUser | undefined {
  const repository = workspace.repository;
  if (!repository) return undefined;
  const graph = workspaceGraph(workspace);
  const ciScope = (): { issuer: CiIssuer; subject: Exclude<TokenSubject, { kind: 'unknown' }> } | undefined =>
    sharedSubject(graph.jobAuthentications((auth) => auth.target === cloud && auth.method === 'static'));

  let issuer: CiIssuer;
  let target: RepositoryRef = repository;
  let scope: Exclude<TokenSubject, { kind: 'unknown' }>;
  const gitlabCarriers = carriers.filter((c) => GITLAB_VARIABLE_TYPES.includes(c.declaration.type));
  if (gitlabCarriers.length > 0) {
    // GitLab project variables: the project must be this repository (a numeric id cannot be told),
    // and GitLab's subject names a branch, not an environment: the one the pipeline's jobs share.
    if (gitlabCarriers.length !== carriers.length) return undefined;
    const projects = new Set(carriers.map((c) => attribute(c.declaration, 'project')?.literal));
    const project = [...projects][0];
    if (projects.size !== 1 || !project || project.toLowerCase() !== `${repository.owner}/${repository.name}`.toLowerCase()) return undefined;
    const shared = ciScope();
    if (!shared || shared.issuer !== 'gitlab') return undefined;
    issuer = 'gitlab';
    scope = shared.subject;
  } else if (carriers.length > 0) {
    const names = new Set(carriers.map((c) => attribute(c.declaration, 'repository')?.literal));
    const environments = new Set(carriers.map((c) => (c.declaration.type === 'github_actions_environment_secret' ? attribute(c.declaration, 'environment')?.literal ?? '' : undefined)));
    const name = [...names][0];
    const environment = [...environments][0];
    if (names.size !== 1 || !name || environments.size !== 1 || environment === '') return undefined;
    issuer = 'github';
    // The GitHub provider manages repositories of one owner: the workspace's, when it names another repository.
    if (name.toLowerCase() !== repository.name.toLowerCase()) target = { host: repository.host, owner: repository.owner, name };
    if (environment !== undefined) scope = { kind: 'environment', name: environment };
    else {
      if (target !== repository) return undefined;
      const shared = ciScope();
      if (!shared || shared.issuer !== 'github') return undefined;
      scope = shared.subject;
    }
  } else {
    if (!onlyKeyOfItsKind) return undefined;
    const shared = ciScope();
    if (!shared) return undefined;
    issuer = shared.issuer;
    scope = shared.subject;
  }
  const host = issuerHost(issuer, target);
  if (!host) return undefined;
  const subject = subjectClaim(issuer, target, scope, target === repository && graph.immutableSubjects);
  if (!subject) return undefined;
  return { issuer, repository: target, scope, issuerHost: host, subject, described: `${target.owner}/${target.name} ${describeScope(scope)}` };
}

/**
 * Whether the workspace (with the file being fixed) mints exactly one long-lived credential of
 * this kind, in any dialect: then the CI jobs that log in with stored keys of that cloud can only
 * be using that one (as far as the workspace shows).
 */
export function onlyOneOfKind(workspace: WorkspaceContext, path: string, kind: SecretKind, inThisFile: number): boolean {
  return inThisFile + workspaceGraph(workspace).mintedCount(kind, path) === 1;
}

/** What the access-key replacement leaves to do: the job that used the key now assumes the role. */
export function roleFollowUp(roleName: string, described: string): string {
  return `Role ${roleName} is assumable only by ${described}: make that job assume it through OIDC instead of using the key.`;
}
