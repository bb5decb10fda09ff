import { ACTION_TOKEN_NEEDS, COMMAND_TOKEN_NEEDS, JOB_TOKEN, TOKENLESS_PROGRAMS, type ActionTokenNeed, type CommandTokenNeed, type InputCondition, type ScopeLevels, type TokenLevel } from '../../iam/github-token';
import { str, type Pair } from '../../syntax/tree';
import { githubActionsAuthentications, workflowShellCommands } from './facts';
import { input, usesAction, type Job, type Step, type Workflow } from './model';

/**
 * What a job's GITHUB_TOKEN must allow, read from its steps against the tables of
 * `iam/github-token.ts`: the scopes the actions and commands it runs need, and what it runs that
 * no table covers. `id-token: write` comes from the job's OIDC logins as the dialect reads them
 * (`githubActionsAuthentications`), the facts `oidc-missing-id-token-permission` judges, so a
 * block written from this never makes that rule fire.
 */
export interface TokenNeeds {
  scopes: Map<string, TokenLevel>;
  /** What could not be read, by name (`actions/github-script`, `gh api`, `curl`, a called workflow's path), each once. */
  unknown: string[];
  /** The steps (or the reusable-workflow call) accounted for: 0 means nothing could be inferred. */
  known: number;
}

/** The needs of every job of a workflow, by job id. */
export function workflowTokenNeeds(workflow: Workflow, text: string): Map<string, TokenNeeds> {
  const federated = new Set<string>();
  for (const auth of githubActionsAuthentications(workflow, text)) {
    if (auth.method !== 'static' && auth.principal.kind === 'ci-job') federated.add(auth.principal.job);
  }
  return new Map(workflow.jobs.map((job) => [job.id, jobTokenNeeds(workflow, job, federated.has(job.id))]));
}

/** The needs of one job; `federated`: whether it logs in by OIDC (it needs `id-token: write`). */
export function jobTokenNeeds(workflow: Workflow, job: Job, federated: boolean): TokenNeeds {
  const needs: TokenNeeds = { scopes: new Map(), unknown: [], known: 0 };
  if (job.uses) {
    needs.unknown.push(str(job.uses.value) ?? 'the called workflow');
    return needs;
  }
  if (federated) raise(needs.scopes, { 'id-token': 'write' });
  for (const step of job.steps) {
    const before = needs.unknown.length;
    if (step.uses) readAction(step, needs);
    else if (step.run) readScript(workflow, job, step, needs);
    else continue;
    if (needs.unknown.length === before) needs.known++;
  }
  needs.unknown = [...new Set(needs.unknown)];
  return needs;
}

function raise(scopes: Map<string, TokenLevel>, levels: ScopeLevels): void {
  for (const [scope, level] of Object.entries(levels)) {
    if (scopes.get(scope) !== 'write') scopes.set(scope, level);
  }
}

/** Rows of the action table, by action: built once. */
let actionRows: Map<string, ActionTokenNeed[]> | undefined;

function rowsFor(action: string): ActionTokenNeed[] | undefined {
  if (!actionRows) {
    actionRows = new Map();
    for (const row of ACTION_TOKEN_NEEDS) actionRows.set(row.action, [...(actionRows.get(row.action) ?? []), row]);
  }
  return actionRows.get(action);
}

function readAction(step: Step, needs: TokenNeeds): void {
  const action = step.uses!.action;
  const rows = rowsFor(action);
  if (!rows) {
    needs.unknown.push(action);
    return;
  }
  for (const row of rows) {
    if (row.when && !holds(step, row.when)) continue;
    if (row.tokenInputs && takesOtherCredential(step, row.tokenInputs)) continue;
    if (row.opaque) needs.unknown.push(action);
    else raise(needs.scopes, row.scopes);
  }
}

/** Values that leave an optional input off. */
const OFF = new Set(['', 'false', 'never']);

function holds(step: Step, condition: InputCondition): boolean {
  const value = str(input(step, condition.input)?.value);
  if (value === undefined || OFF.has(value.trim().toLowerCase())) return false;
  return condition.matches ? condition.matches.test(value.trim()) : true;
}

/** Whether one of these inputs hands the step a credential other than the job's token. */
function takesOtherCredential(step: Step, inputs: readonly string[]): boolean {
  return inputs.some((name) => {
    const value = str(input(step, name)?.value)?.trim();
    return value !== undefined && value !== '' && !JOB_TOKEN.test(value);
  });
}

/** Package runners, named with what they run (`npx semantic-release`). */
const RUNNERS = new Set(['npx', 'bunx', 'pnpx', 'uvx']);

/** `gh` reads its token from these variables, the first set one winning (GitHub CLI manual, "gh help environment"). */
const GH_TOKEN_VARIABLES = ['GH_TOKEN', 'GITHUB_TOKEN'];

function readScript(workflow: Workflow, job: Job, step: Step, needs: TokenNeeds): void {
  const script = step.run!.script;
  const envs = [step.env, job.env, workflow.env];
  // The job's token reaches a script only when the workflow hands it over (env or `${{ }}`).
  const handed = JOB_TOKEN.test(script) || envs.some((env) => env.some((pair) => JOB_TOKEN.test(str(pair.value) ?? '')));
  const ghToken = innermost(envs, GH_TOKEN_VARIABLES);
  const ghOwnToken = ghToken !== undefined && !JOB_TOKEN.test(str(ghToken.value) ?? '');
  for (const { words } of workflowShellCommands(script)) {
    const program = words[0] ?? '';
    const row = commandRow(words);
    if (row) {
      if (program === 'gh' && ghOwnToken) continue;
      if (program === 'git' && checkoutTakesOtherCredential(job, step)) continue;
      raise(needs.scopes, row.scopes);
    } else if (program === 'gh') {
      if (!ghOwnToken) needs.unknown.push(['gh', ...operands(words, 1).slice(0, 2)].join(' '));
    } else if (handed && program !== 'git' && program !== 'docker' && !TOKENLESS_PROGRAMS.has(program)) {
      needs.unknown.push(RUNNERS.has(program) && words[1] ? `${program} ${words[1]}` : program);
    }
  }
}

/** The entry of the innermost `env:` (step, job, workflow) that sets one of these variables. */
function innermost(envs: readonly Pair[][], names: readonly string[]): Pair | undefined {
  for (const env of envs) {
    for (const name of names) {
      const pair = env.find((p) => p.key === name);
      if (pair) return pair;
    }
  }
  return undefined;
}

/** Git's options that take the next word as their value (`git -C dir push`). */
const GIT_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']);

/** The words after the program that are not options (nor option values). */
function operands(words: readonly string[], from: number): string[] {
  const result: string[] = [];
  for (let i = from; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('-')) {
      if (GIT_VALUE_OPTIONS.has(word)) i++;
      continue;
    }
    result.push(word);
  }
  return result;
}

function commandRow(words: readonly string[]): CommandTokenNeed | undefined {
  const program = words[0];
  for (const row of COMMAND_TOKEN_NEEDS) {
    if (row.words[0] !== program) continue;
    const rest = operands(words, 1);
    const group = row.words.slice(1);
    if (!group.every((word, i) => rest[i] === word)) continue;
    const verb = rest[group.length];
    if (verb === undefined || !row.verbs.includes(verb)) continue;
    if (row.argument && !rest.slice(group.length + 1).some((word) => row.argument!.test(word))) continue;
    return row;
  }
  return undefined;
}

/**
 * Whether the checkout before this step fetched with another credential (a token or an SSH key):
 * actions/checkout leaves that one in the git config, and a `git push` writes with it.
 */
function checkoutTakesOtherCredential(job: Job, step: Step): boolean {
  let other = false;
  for (const earlier of job.steps) {
    if (earlier.index >= step.index) break;
    if (usesAction(earlier, 'actions/checkout')) other = takesOtherCredential(earlier, ['token', 'ssh-key']);
  }
  return other;
}
