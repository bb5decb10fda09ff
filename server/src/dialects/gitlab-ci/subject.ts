import type { TokenSubject } from '../../facts/model';
import type { RepositoryRef } from '../../facts/repository';
import { deref, get, isMap, isScalar, isSeq, str, type DataNode } from '../../syntax/tree';
import { isClaimName } from '../ci-common/subject';
import { listSource } from './assembly';
import type { Pipeline, PipelineJob } from './model';

/**
 * The ID token a GitLab CI job gets: who issues it, and which of the project's tokens a trust can
 * tell it by.
 *
 * GitLab's `sub` claim is `project_path:GROUP/PROJECT:ref_type:branch|tag:ref:NAME` — the only
 * components a project may configure are `project_path`, `ref_type` and `ref` — and AWS and Azure
 * match trusts on `sub` alone. The job's `environment:` is a separate claim (`environment`, with
 * `environment_protected`), so it cannot scope an AWS or Azure trust: a GitLab job is scoped by
 * the one branch it runs on, read from its assembled `rules:` or `only:`, and is `unknown`
 * otherwise (and always for a hidden job, which never runs).
 */
export function tokenSubject(pipeline: Pipeline, job: PipelineJob): TokenSubject {
  const branch = job.hidden ? undefined : singleBranch(pipeline, job);
  return branch ? { kind: 'branch', name: branch } : { kind: 'unknown' };
}

/** The one literal branch a job runs on, when its `rules:` or `only:` say so. */
function singleBranch(pipeline: Pipeline, job: PipelineJob): string | undefined {
  const rules = listSource(pipeline, job, 'rules');
  if (rules.kind === 'layer') return branchOfRules(rules.pair.value);
  if (rules.kind !== 'none') return undefined;
  const only = listSource(pipeline, job, 'only');
  return only.kind === 'layer' ? branchOfOnly(only.pair.value) : undefined;
}

/**
 * `rules:` run a job when the first rule whose conditions hold is not `when: never`. The job runs on
 * one branch only when every rule that can run it requires that branch in its `if:`.
 */
function branchOfRules(node: DataNode | null): string | undefined {
  const rules = deref(node);
  if (!isSeq(rules) || rules.tag) return undefined;
  const branches = new Set<string>();
  for (const item of rules.items) {
    const rule = deref(item);
    if (!isMap(rule) || rule.tag) return undefined;
    if (str(get(rule, 'when')) === 'never') continue;
    const condition = str(get(rule, 'if'));
    if (condition === undefined) return undefined;
    const branch = branchOfCondition(condition);
    if (!branch) return undefined;
    branches.add(branch);
  }
  return branches.size === 1 ? [...branches][0] : undefined;
}

const BRANCH_VARIABLE = '\\$(?:CI_COMMIT_BRANCH|CI_COMMIT_REF_NAME|\\{CI_COMMIT_BRANCH\\}|\\{CI_COMMIT_REF_NAME\\})';
const BRANCH_CLAUSE = new RegExp(`^${BRANCH_VARIABLE}\\s*==\\s*(["'])([^"'$*]+)\\1$`);
const BRANCH_CLAUSE_REVERSED = new RegExp(`^(["'])([^"'$*]+)\\1\\s*==\\s*${BRANCH_VARIABLE}$`);

/** `$CI_COMMIT_BRANCH == "main" && …`: a conjunction with one literal branch clause. */
function branchOfCondition(condition: string): string | undefined {
  if (/\|\||[()]/.test(condition)) return undefined;
  const found = new Set<string>();
  for (const clause of condition.split('&&').map((c) => c.trim())) {
    const match = BRANCH_CLAUSE.exec(clause) ?? BRANCH_CLAUSE_REVERSED.exec(clause);
    if (match) found.add(match[2]!);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Keywords `only:` accepts besides ref names. */
const ONLY_KEYWORDS = new Set(['api', 'branches', 'chat', 'external', 'external_pull_requests', 'merge_requests', 'pipelines', 'pushes', 'schedules', 'tags', 'triggers', 'web']);

/** `only: [main]`, `only: main`, `only: { refs: [main] }`: one literal ref, neither a keyword nor a pattern. */
function branchOfOnly(node: DataNode | null): string | undefined {
  const value = deref(node);
  const refs = isMap(value) ? deref(get(value, 'refs')) : value;
  const names = isScalar(refs) ? [str(refs)] : isSeq(refs) && !refs.tag ? refs.items.map((i) => str(i)) : [];
  if (names.length !== 1) return undefined;
  const name = names[0];
  if (!name || ONLY_KEYWORDS.has(name) || name.startsWith('/') || /[*$\s]/.test(name)) return undefined;
  return name;
}

/** The issuer's host as IAM names it: the GitLab instance's own (`gitlab.com`); undefined for github.com. */
export function gitlabIssuerHost(repository: RepositoryRef): string | undefined {
  const host = repository.host.replace(/^www\./, '');
  return host === 'github.com' ? undefined : host;
}

/**
 * The `sub` claim of the project's tokens for a subject:
 * `project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH`. GitLab's subject never names an
 * environment, so an environment (or an unknown subject) has no claim.
 */
export function gitlabSubjectClaim(repository: RepositoryRef, subject: TokenSubject): string | undefined {
  if (subject.kind !== 'branch' || !isClaimName(subject.name)) return undefined;
  return `project_path:${repository.owner}/${repository.name}:ref_type:branch:ref:${subject.name}`;
}
