import { readWorkflow, type Job, type Workflow } from '../../dialects/github-actions/model';
import { readPipeline, type PipelineJob } from '../../dialects/gitlab-ci/model';
import type { RepositoryRef, WorkspaceContext, WorkspaceFile } from '../../engine/workspace';
import type { Authentication } from '../../facts/model';
import { deref, get, getPair, isMap, isScalar, isSeq, itemsOf, str, type DataNode } from '../../syntax/tree';
import { parseYaml } from '../../syntax/yaml';
import type { CiIssuer, FederatedCloud, SubjectScope } from './federation';

/**
 * Who a trust admits: the OIDC issuer of a CI platform, the audience its tokens carry for each
 * cloud, the subject claim of one repository and one environment or branch, and which of those a
 * job of the workspace would present.
 */

export const GITHUB_ISSUER_HOST = 'token.actions.githubusercontent.com';
/** The audience Microsoft Entra expects from every external issuer. */
export const AZURE_AUDIENCE = 'api://AzureADTokenExchange';

/** The issuer's host (and path), as IAM names it: `token.actions.githubusercontent.com`, `gitlab.com`. */
export function issuerHost(issuer: CiIssuer, repository: RepositoryRef): string | undefined {
  const host = repository.host.replace(/^www\./, '');
  const onGitHub = host === 'github.com';
  const looksGitLab = /(?:^|\.)gitlab\./.test(host) || host.startsWith('gitlab');
  if (issuer === 'github') {
    if (onGitHub) return GITHUB_ISSUER_HOST;
    // GitHub Enterprise Server issues tokens from the instance itself.
    return looksGitLab ? undefined : `${host}/_services/token`;
  }
  return onGitHub ? undefined : host;
}

/** The issuer URL: `https://token.actions.githubusercontent.com`, `https://gitlab.com`. */
export function issuerUrl(host: string): string {
  return `https://${host}`;
}

/**
 * The audience the job's token carries, which the trust checks. GitHub's AWS login asks for
 * `sts.amazonaws.com`; GitLab jobs name their audience in `id_tokens`, and Keyless writes (and
 * the GitLab rewrite requests) the instance URL, as GitLab's own AWS guide does; Azure expects
 * `api://AzureADTokenExchange` from every issuer. GCP checks the provider's own resource name by
 * default, which needs nothing here.
 */
export function defaultAudience(cloud: FederatedCloud, issuer: CiIssuer, host: string): string | undefined {
  if (cloud === 'azure') return AZURE_AUDIENCE;
  if (cloud === 'gcp') return undefined;
  return issuer === 'github' ? 'sts.amazonaws.com' : issuerUrl(host);
}

/**
 * The subject claim of one repository and scope. GitHub: `repo:ORG/REPO:environment:ENV` or
 * `repo:ORG/REPO:ref:refs/heads/BRANCH` (the immutable `repo:ORG@ID/REPO@ID:…` when asked for
 * and the ids are known). GitLab: `project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH`;
 * GitLab's subject never names an environment, so an environment scope has no claim there.
 */
export function subjectClaim(issuer: CiIssuer, repository: RepositoryRef, scope: SubjectScope, immutable: boolean): string | undefined {
  if (scope.kind === 'unknown' || scope.name === '' || /[\s*?]/.test(scope.name)) return undefined;
  if (issuer === 'gitlab') return scope.kind === 'branch' ? `project_path:${repository.owner}/${repository.name}:ref_type:branch:ref:${scope.name}` : undefined;
  const repo = immutable && repository.ownerId && repository.repoId ? `${repository.owner}@${repository.ownerId}/${repository.name}@${repository.repoId}` : `${repository.owner}/${repository.name}`;
  return scope.kind === 'environment' ? `repo:${repo}:environment:${scope.name}` : `repo:${repo}:ref:refs/heads/${scope.name}`;
}

/** Whether tokens carry the immutable subject form for this repository. */
export function usesImmutableSubjects(workspace: WorkspaceContext): boolean {
  return workspace.immutableSubjects && workspace.repository?.ownerId !== undefined && workspace.repository.repoId !== undefined;
}

/** `environment production`, `branch main`: for titles, comments and names. */
export function describeScope(scope: SubjectScope): string {
  return scope.kind === 'unknown' ? 'any ref' : `${scope.kind} "${scope.name}"`;
}

/**
 * Whether an IAM `StringLike` pattern (`*` any run, `?` one character) matches a value: a
 * narrowed subject must be one the old trust already admitted.
 */
export function likeMatches(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

// ---------------------------------------------------------------------------------------------
// The scope a job's token carries

/**
 * A GitHub job's scope: its environment when it names one literally (the token's subject then
 * says `environment:…`), else the one branch its triggers or its `if:` allow, else unknown.
 */
export function githubJobScope(workflow: Workflow, job: Job): SubjectScope {
  if (job.environment && !job.environment.includes('${{')) return { kind: 'environment', name: job.environment };
  const branch = branchOfTriggers(workflow) ?? branchOfCondition(str(get(job.node, 'if')), /\bgithub\.ref\s*==\s*'refs\/heads\/([^'\s]+)'/);
  return branch ? { kind: 'branch', name: branch } : { kind: 'unknown' };
}

/** `on: push: branches: [main]` and nothing else: every run is on `main`. */
function branchOfTriggers(workflow: Workflow): string | undefined {
  const on = deref(workflow.on?.value);
  if (!isMap(on) || on.pairs.length !== 1 || on.pairs[0]!.key !== 'push') return undefined;
  const push = deref(on.pairs[0]!.value);
  if (!isMap(push) || getPair(push, 'tags') || getPair(push, 'branches-ignore') || getPair(push, 'tags-ignore')) return undefined;
  const branches = listOfStrings(get(push, 'branches'));
  return branches.length === 1 && isLiteralBranch(branches[0]!) ? branches[0] : undefined;
}

/** A branch pinned by a job condition (`github.ref == 'refs/heads/main'`, `$CI_COMMIT_BRANCH == "main"`), when nothing else is allowed. */
function branchOfCondition(condition: string | undefined, pattern: RegExp): string | undefined {
  if (!condition || /\|\||!=|=~|!~/.test(condition)) return undefined;
  const matches = [...condition.matchAll(new RegExp(pattern.source, 'g'))].map((m) => m[1]!);
  const distinct = [...new Set(matches)];
  return distinct.length === 1 && isLiteralBranch(distinct[0]!) ? distinct[0] : undefined;
}

/**
 * A GitLab job's scope: the one branch its `rules:` or `only:` allow (GitLab's subject names the
 * ref), else its environment, which GitLab's subject cannot express, else unknown.
 */
export function gitlabJobScope(job: PipelineJob): SubjectScope {
  const branch = gitlabBranch(job.node);
  if (branch) return { kind: 'branch', name: branch };
  if (job.environment && !job.environment.includes('$')) return { kind: 'environment', name: job.environment };
  return { kind: 'unknown' };
}

function gitlabBranch(node: DataNode): string | undefined {
  const rules = get(node, 'rules');
  if (isSeq(rules)) {
    const live = rules.items.filter((rule) => str(get(rule, 'when')) !== 'never');
    if (live.length !== 1) return undefined;
    return branchOfCondition(str(get(live[0], 'if')), /\$CI_COMMIT_BRANCH\s*==\s*["']([^"'\s]+)["']/);
  }
  const only = get(node, 'only');
  const refs = isMap(only) ? listOfStrings(get(only, 'refs')) : listOfStrings(only);
  return refs.length === 1 && isLiteralBranch(refs[0]!) && !ONLY_KEYWORDS.has(refs[0]!) ? refs[0] : undefined;
}

/** Words `only:` reads as kinds of pipelines, not branch names. */
const ONLY_KEYWORDS = new Set(['branches', 'tags', 'merge_requests', 'pushes', 'schedules', 'web', 'api', 'triggers', 'pipelines', 'external', 'chat', 'external_pull_requests']);

function listOfStrings(node: DataNode | null): string[] {
  const value = deref(node);
  if (isScalar(value)) return typeof value.value === 'string' ? [value.value] : [];
  return itemsOf(value).flatMap((item) => {
    const text = str(item);
    return text === undefined ? [] : [text];
  });
}

function isLiteralBranch(name: string): boolean {
  return name !== '' && !/[*?[\]!$\s{}]/.test(name) && !name.startsWith('/');
}

// ---------------------------------------------------------------------------------------------
// Jobs of the workspace

/** A CI job of the workspace whose authentication matched, with the scope its token carries. */
export interface WorkspaceJob {
  file: string;
  issuer: CiIssuer;
  job: string;
  scope: SubjectScope;
  auth: Authentication;
}

/**
 * The jobs of the workspace's workflows and pipelines with an authentication that `matches`, and
 * the scope of each (read from the file's text: facts say who authenticates, not when).
 */
export function workspaceJobs(workspace: WorkspaceContext, matches: (auth: Authentication) => boolean): WorkspaceJob[] {
  const jobs: WorkspaceJob[] = [];
  for (const [path, file] of workspace.files) {
    if (file.dialect !== 'github-actions' && file.dialect !== 'gitlab-ci') continue;
    const found = file.facts.authentications.filter((auth) => auth.principal.kind === 'ci-job' && matches(auth));
    if (found.length === 0) continue;
    const roots = yamlRoots(file);
    for (const auth of found) {
      if (auth.principal.kind !== 'ci-job') continue;
      const jobName = auth.principal.job;
      let scope: SubjectScope = { kind: 'unknown' };
      for (const root of roots) {
        if (file.dialect === 'github-actions') {
          const workflow = readWorkflow(root);
          const job = workflow?.kind === 'workflow' ? workflow.jobs.find((j) => j.id === jobName) : undefined;
          if (workflow && job) scope = githubJobScope(workflow, job);
        } else {
          const job = readPipeline(root)?.jobs.find((j) => j.name === jobName && !j.hidden);
          if (job) scope = gitlabJobScope(job);
        }
      }
      jobs.push({ file: path, issuer: file.dialect === 'github-actions' ? 'github' : 'gitlab', job: jobName, scope, auth });
    }
  }
  return jobs;
}

/** A workspace file's YAML documents, parsed once per version of the file (fixers ask on every analysis). */
const PARSED = new WeakMap<WorkspaceFile, (DataNode | null)[]>();

export function yamlRoots(file: WorkspaceFile): (DataNode | null)[] {
  let roots = PARSED.get(file);
  if (!roots) {
    roots = parseYaml(file.text).documents.map((d) => d.root);
    PARSED.set(file, roots);
  }
  return roots;
}

/** The one scope all the jobs share, or undefined when they disagree or one is unknown. */
export function sharedScope(jobs: readonly WorkspaceJob[]): { issuer: CiIssuer; scope: Exclude<SubjectScope, { kind: 'unknown' }> } | undefined {
  const first = jobs[0];
  if (!first || first.scope.kind === 'unknown') return undefined;
  for (const job of jobs) {
    if (job.issuer !== first.issuer || job.scope.kind !== first.scope.kind || job.scope.name !== first.scope.name) return undefined;
  }
  return { issuer: first.issuer, scope: first.scope };
}
