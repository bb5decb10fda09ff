import type { Span } from '../../core/text';
import { environmentName } from '../ci-common/environment';
import { deref, get, getPair, isMap, isScalar, itemsOf, pairsOf, str, type DataNode, type MapNode, type Pair, type ScalarNode } from '../../syntax/tree';

/**
 * A GitHub Actions workflow (or composite action) as the rules see it: jobs, steps, `with:` inputs
 * and `env:` at the three levels where GitHub reads it (workflow, job, step).
 */
export interface Workflow {
  kind: 'workflow' | 'composite-action';
  root: MapNode;
  on: Pair | undefined;
  permissions: Pair | undefined;
  env: Pair[];
  jobs: Job[];
}

export interface Job {
  id: string;
  idSpan: Span;
  node: MapNode;
  /** `runs-on` labels, lower-cased; empty for reusable-workflow calls. */
  runsOn: string[];
  /** The environment name, when the job deploys to one. */
  environment: string | undefined;
  permissions: Pair | undefined;
  env: Pair[];
  steps: Step[];
  /** A reusable-workflow call (`jobs.<id>.uses`). */
  uses: Pair | undefined;
}

export interface Step {
  node: MapNode;
  index: number;
  name: string | undefined;
  /** `id:`, which other steps' `steps.<id>.outputs` name. */
  id: string | undefined;
  uses: StepUses | undefined;
  with: Pair[];
  env: Pair[];
  run: { pair: Pair; script: string; node: ScalarNode } | undefined;
}

export interface StepUses {
  pair: Pair;
  /** `owner/repo` (or `owner/repo/path`), lower-cased; `docker://…` and `./local` as written. */
  action: string;
  ref: string | undefined;
}

/** Where a fact of a workflow was read: what the fixers of GitHub Actions edit. */
export interface WorkflowSite {
  kind: 'github-actions';
  workflow: Workflow;
  job?: Job;
  step?: Step;
  /** The `env:` entries the fact's keys sit in (workflow, job or step level). */
  env?: Pair[];
}

export function isWorkflowSite(value: unknown): value is WorkflowSite {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'github-actions';
}

export function readWorkflow(root: DataNode | null): Workflow | null {
  const map = deref(root);
  if (!isMap(map)) return null;
  const runs = get(map, 'runs');
  if (isMap(runs) && !getPair(map, 'jobs')) {
    // A composite action: one implicit job whose steps are `runs.steps`.
    const steps = itemsOf(get(runs, 'steps')).map(readStep).filter((s): s is Step => s !== null);
    const job: Job = {
      id: 'composite', idSpan: getPair(map, 'runs')!.keySpan, node: runs, runsOn: [], environment: undefined,
      permissions: undefined, env: [], steps, uses: undefined,
    };
    return { kind: 'composite-action', root: map, on: undefined, permissions: undefined, env: [], jobs: [job] };
  }
  const jobs: Job[] = [];
  for (const pair of pairsOf(get(map, 'jobs'))) {
    const node = deref(pair.value);
    if (!isMap(node)) continue;
    jobs.push({
      id: pair.key,
      idSpan: pair.keySpan,
      node,
      runsOn: runsOnLabels(get(node, 'runs-on')),
      environment: environmentName(get(node, 'environment')),
      permissions: getPair(node, 'permissions'),
      env: envPairs(get(node, 'env')),
      steps: itemsOf(get(node, 'steps')).map(readStep).filter((s): s is Step => s !== null),
      uses: getPair(node, 'uses'),
    });
  }
  return {
    kind: 'workflow',
    root: map,
    on: getPair(map, 'on') ?? getPair(map, 'true'),
    permissions: getPair(map, 'permissions'),
    env: envPairs(get(map, 'env')),
    jobs,
  };
}

function readStep(node: DataNode, index: number): Step | null {
  const map = deref(node);
  if (!isMap(map)) return null;
  const usesPair = getPair(map, 'uses');
  const runPair = getPair(map, 'run');
  const runNode = deref(runPair?.value);
  return {
    node: map,
    index,
    name: str(get(map, 'name')),
    id: str(get(map, 'id')),
    uses: usesPair ? parseUses(usesPair) : undefined,
    with: pairsOf(get(map, 'with')),
    env: envPairs(get(map, 'env')),
    run: runPair && isScalar(runNode) && typeof runNode.value === 'string' ? { pair: runPair, script: runNode.value, node: runNode } : undefined,
  };
}

function parseUses(pair: Pair): StepUses | undefined {
  const value = str(pair.value);
  if (!value) return undefined;
  if (value.startsWith('docker://') || value.startsWith('./')) return { pair, action: value, ref: undefined };
  const at = value.indexOf('@');
  return { pair, action: (at === -1 ? value : value.slice(0, at)).toLowerCase(), ref: at === -1 ? undefined : value.slice(at + 1) };
}

/** `env:` entries; an expression (`env: ${{ fromJSON(...) }}`) has none that can be read. */
function envPairs(node: DataNode | null): Pair[] {
  return pairsOf(node).filter((p) => p.key !== '');
}

function runsOnLabels(node: DataNode | null): string[] {
  const value = deref(node);
  if (isScalar(value)) return [String(value.value ?? '').toLowerCase()];
  if (isMap(value)) return [...itemsOf(get(value, 'labels')), ...(get(value, 'group') ? [get(value, 'group')!] : [])].map((n) => (str(n) ?? '').toLowerCase());
  return itemsOf(value).map((n) => (str(n) ?? '').toLowerCase());
}

/** The value of a step input, e.g. `with: { aws-access-key-id: … }`. */
export function input(step: Step, name: string): Pair | undefined {
  return step.with.find((p) => p.key === name);
}

/** Step `uses:` matches an action (`owner/repo`), case-insensitively, whatever the ref. */
export function usesAction(step: Step, ...actions: string[]): boolean {
  return step.uses !== undefined && actions.includes(step.uses.action);
}

/** What starts a workflow: its events, and for `push` the branch filters. */
export interface Triggers {
  /** Event names (`push`, `pull_request`, `workflow_dispatch`, …), as written. */
  events: string[];
  /** `on.push`, when the workflow runs on push. */
  push?: {
    /** `branches:` as written; undefined when absent (every branch). */
    branches: string[] | undefined;
    /** Whether `tags`, `tags-ignore` or `branches-ignore` widen or invert the filter. */
    otherRefs: boolean;
  };
}

/** Reads `on:` in its three forms: `on: push`, `on: [push, pull_request]`, `on: { push: {…} }`. */
export function readTriggers(workflow: Workflow): Triggers {
  const on = deref(workflow.on?.value);
  if (isScalar(on)) return { events: typeof on.value === 'string' ? [on.value] : [], ...(on.value === 'push' ? { push: { branches: undefined, otherRefs: false } } : {}) };
  if (!isMap(on)) {
    const events = itemsOf(on).map((n) => str(n)).filter((e): e is string => e !== undefined);
    return { events, ...(events.includes('push') ? { push: { branches: undefined, otherRefs: false } } : {}) };
  }
  const events = on.pairs.map((p) => p.key).filter((k) => k !== '');
  const pushPair = getPair(on, 'push');
  if (!pushPair) return { events };
  const push = deref(pushPair.value);
  const branchesNode = get(push, 'branches');
  const branches = branchesNode === null ? undefined : isScalar(branchesNode) ? [str(branchesNode) ?? ''] : itemsOf(branchesNode).map((n) => str(n) ?? '');
  const otherRefs = ['tags', 'tags-ignore', 'branches-ignore'].some((key) => getPair(push, key) !== undefined);
  return { events, push: { branches, otherRefs } };
}
