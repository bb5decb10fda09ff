import type { PipelineJob } from '../../dialects/gitlab-ci/model';
import { variableValue } from '../../dialects/gitlab-ci/model';
import { shellCommands } from '../../dialects/ci/shell';
import { deref, get, isMap, isScalar, isSeq, str, type DataNode } from '../../syntax/tree';
import type { JobUsage, SubjectScope } from '../federation/federation';
import { effectiveLines, entrySource, listSource, type JobGraph } from './graph';

/**
 * Which tokens of the project a trust may admit for a job, as GitLab's ID token can prove it.
 *
 * GitLab's `sub` claim is `project_path:GROUP/PROJECT:ref_type:branch|tag:ref:NAME` — the only
 * components a project may configure are `project_path`, `ref_type` and `ref` — and AWS and Azure
 * match trusts on `sub` alone. The job's `environment:` is a separate claim (`environment`, with
 * `environment_protected`), so it cannot scope an AWS or Azure trust: a GitLab job is scoped by
 * the one branch it runs on, read from `rules:` or `only:`, and is `unknown` otherwise (the plan
 * then writes no trust, and the rewrite falls back to CI/CD variables).
 */
export function subjectScope(graph: JobGraph, job: PipelineJob): SubjectScope {
  const branch = singleBranch(graph, job);
  return branch ? { kind: 'branch', name: branch } : { kind: 'unknown' };
}

/** The one literal branch a job runs on, when its `rules:` or `only:` say so. */
export function singleBranch(graph: JobGraph, job: PipelineJob): string | undefined {
  const rules = listSource(graph, job, 'rules');
  if (rules.kind === 'layer') return branchOfRules(rules.pair.value);
  if (rules.kind !== 'none') return undefined;
  const only = listSource(graph, job, 'only');
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

/** What the jobs run, for least privilege: every command of their effective scripts, words split. */
export function jobUsage(graph: JobGraph, jobs: readonly PipelineJob[]): JobUsage {
  const commands: string[][] = [];
  const seen = new Set<string>();
  for (const job of jobs) {
    for (const line of effectiveLines(graph, job)) {
      for (const command of shellCommands(line.value as string)) {
        const key = command.words.join('\u0000');
        if (seen.has(key)) continue;
        seen.add(key);
        commands.push(command.words);
      }
    }
  }
  return { commands, actions: [] };
}

/** A variable's value as a job sees it, when written literally in this file. */
export function literalVariable(graph: JobGraph, job: PipelineJob, name: string): string | undefined {
  const source = entrySource(graph, job, 'variables', name);
  if (source.kind !== 'layer' && source.kind !== 'global') return undefined;
  const value = variableValue(source.entry);
  return value !== undefined && value !== '' && !value.includes('$') ? value : undefined;
}

/** The AWS region a job sets literally (`AWS_REGION`, else `AWS_DEFAULT_REGION`). */
export function awsRegion(graph: JobGraph, job: PipelineJob): string | undefined {
  return literalVariable(graph, job, 'AWS_REGION') ?? literalVariable(graph, job, 'AWS_DEFAULT_REGION');
}
