import type { TokenSubject } from '../../facts/model';
import type { RepositoryRef } from '../../facts/repository';
import { get, str } from '../../syntax/tree';
import { isClaimName } from '../ci-common/subject';
import { readTriggers, type Job, type Workflow } from './model';

/**
 * The OIDC token a GitHub Actions job gets: who issues it, and the `sub` claim it carries —
 * `repo:ORG/REPO:environment:ENV` for a job that deploys to an environment (whatever the branch),
 * else `repo:ORG/REPO:ref:refs/heads/BRANCH` for the branch it runs on.
 */

export const GITHUB_ISSUER_HOST = 'token.actions.githubusercontent.com';

const UNKNOWN: TokenSubject = { kind: 'unknown' };

/**
 * Which of the repository's tokens the job's runs carry: its environment, when it names one
 * literally; without one, the branch when the workflow runs only on `push` to one branch (no
 * pattern), else the branch the job's `if:` pins `github.ref` to. Anything else — an environment
 * chosen at run time, several branches or events, tags, a composite action (its callers decide)
 * — is unknown, and no trust can be written for it.
 */
export function tokenSubject(workflow: Workflow, job: Job): TokenSubject {
  if (workflow.kind !== 'workflow') return UNKNOWN;
  const environment = job.environment;
  if (environment !== undefined) return environment !== '' && !environment.includes('${{') ? { kind: 'environment', name: environment } : UNKNOWN;
  const branch = pushedBranch(workflow) ?? branchOfCondition(str(get(job.node, 'if')));
  return branch === undefined ? UNKNOWN : { kind: 'branch', name: branch };
}

/** `on: { push: { branches: [main] } }` and no other event, ref filter or pattern: every run is on `main`. */
function pushedBranch(workflow: Workflow): string | undefined {
  const triggers = readTriggers(workflow);
  const branches = triggers.push?.branches;
  if (triggers.events.length !== 1 || !triggers.push || triggers.push.otherRefs || branches?.length !== 1) return undefined;
  const branch = branches[0]!;
  return branch !== '' && !/[*?[\]!+]/.test(branch) && !branch.includes('${{') ? branch.replace(/^refs\/heads\//, '') : undefined;
}

/** `if: github.ref == 'refs/heads/main'` (with `&&` clauses): the job runs on that branch alone. */
function branchOfCondition(condition: string | undefined): string | undefined {
  if (!condition || /\|\||!=|=~|!~/.test(condition)) return undefined;
  const matches = [...condition.matchAll(/\bgithub\.ref\s*==\s*'refs\/heads\/([^'\s]+)'/g)].map((m) => m[1]!);
  const distinct = [...new Set(matches)];
  return distinct.length === 1 && isLiteralBranch(distinct[0]!) ? distinct[0] : undefined;
}

function isLiteralBranch(name: string): boolean {
  return name !== '' && !/[*?[\]!$\s{}]/.test(name) && !name.startsWith('/');
}

/**
 * The issuer's host as IAM names it: `token.actions.githubusercontent.com` for github.com, the
 * instance itself for GitHub Enterprise Server (`HOST/_services/token`); undefined for a
 * repository that looks like GitLab's.
 */
export function githubIssuerHost(repository: RepositoryRef): string | undefined {
  const host = repository.host.replace(/^www\./, '');
  if (host === 'github.com') return GITHUB_ISSUER_HOST;
  const looksGitLab = /(?:^|\.)gitlab\./.test(host) || host.startsWith('gitlab');
  return looksGitLab ? undefined : `${host}/_services/token`;
}

/**
 * The `sub` claim of the repository's tokens for a subject: `repo:ORG/REPO:environment:ENV` or
 * `repo:ORG/REPO:ref:refs/heads/BRANCH`, in the immutable form (`repo:ORG@ID/REPO@ID:…`) when asked
 * for and the ids are known. Undefined for an unknown subject or a name with a wildcard or a space.
 */
export function githubSubjectClaim(repository: RepositoryRef, subject: TokenSubject, immutable: boolean): string | undefined {
  if (subject.kind === 'unknown' || !isClaimName(subject.name)) return undefined;
  const repo = immutable && repository.ownerId && repository.repoId ? `${repository.owner}@${repository.ownerId}/${repository.name}@${repository.repoId}` : `${repository.owner}/${repository.name}`;
  return subject.kind === 'environment' ? `repo:${repo}:environment:${subject.name}` : `repo:${repo}:ref:refs/heads/${subject.name}`;
}
