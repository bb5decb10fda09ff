import { githubIssuerHost, githubSubjectClaim } from '../dialects/github-actions/subject';
import { gitlabIssuerHost, gitlabSubjectClaim } from '../dialects/gitlab-ci/subject';
import type { CiJob, TokenSubject } from '../facts/model';
import type { RepositoryRef } from '../facts/repository';

/**
 * The OIDC tokens of the workspace's CI jobs, for either platform: who issues them, and the `sub`
 * claim a job's token carries — its `TokenSubject` (a fact of its file) with the repository the
 * adapters know. Each platform's rules are its dialect's (`dialects/<ci>/subject.ts`).
 */

export type CiIssuer = 'github' | 'gitlab';

export function issuerOf(platform: CiJob['platform']): CiIssuer {
  return platform === 'github-actions' ? 'github' : 'gitlab';
}

/** The issuer's host (and path), as IAM names it: `token.actions.githubusercontent.com`, `gitlab.com`. */
export function issuerHost(issuer: CiIssuer, repository: RepositoryRef): string | undefined {
  return issuer === 'github' ? githubIssuerHost(repository) : gitlabIssuerHost(repository);
}

/**
 * The subject claim of one repository and subject: GitHub's `repo:ORG/REPO:environment:ENV` or
 * `repo:ORG/REPO:ref:refs/heads/BRANCH` (the immutable form when asked for and the ids are
 * known), GitLab's `project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH`. Undefined when the
 * issuer cannot express the subject.
 */
export function subjectClaim(issuer: CiIssuer, repository: RepositoryRef, subject: TokenSubject, immutable: boolean): string | undefined {
  return issuer === 'github' ? githubSubjectClaim(repository, subject, immutable) : gitlabSubjectClaim(repository, subject);
}
