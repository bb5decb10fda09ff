import type { Authentication, TokenSubject } from '../../facts/model';
import type { Pipeline, PipelineJob, PipelineSite, ScriptLine } from '../../dialects/gitlab-ci/model';
import { CI_KEY_VARIABLES } from '../../dialects/ci-common/credentials';
import type { WorkspaceContext } from '../../facts/workspace';
import { shellCommands, type ShellCommand } from '../../syntax/shell';
import { deref, isMap, type MapNode, type Pair, type ScalarNode } from '../../syntax/tree';
import type { FederatedCloud, FederationPlan, PlanFederation } from '../federation/federation';
import type { FixContext, FixProposal, ProposedEdit } from '../fixer';
import { sentence } from '../follow-ups';
import { deletePair } from '../yaml-edit';
import { EditSet, indentStep, replacePairWithLines, yamlScalar, zeroIndentedSequences } from './edits';
import { concreteJobs, configMaps, effectiveLines, entrySource, jobsRunning } from '../../dialects/gitlab-ci/assembly';
import { tokenSubject } from '../../dialects/gitlab-ci/subject';
import type { Carrier, RewriteContext } from './placement';
import { awsRegion, jobUsage } from './usage';

/** What every GitLab rewrite starts from. */
export interface GitlabFix {
  fix: FixContext<Authentication>;
  auth: Authentication;
  site: PipelineSite;
  ctx: RewriteContext;
}

export function gitlabFix(fix: FixContext<Authentication>): GitlabFix | undefined {
  const auth = fix.about;
  const site = auth.syntax as PipelineSite | undefined;
  if (site?.kind !== 'gitlab-ci' || auth.principal.kind !== 'ci-job' || auth.principal.platform !== 'gitlab-ci') return undefined;
  const text = fix.text;
  const pipeline = site.pipeline;
  return {
    fix,
    auth,
    site,
    ctx: { text, pipeline, step: indentStep(text, pipeline.jobs), zeroIndent: zeroIndentedSequences(text, configMaps(pipeline)), edits: new EditSet() },
  };
}

/** A rewrite's title (short: a menu shows about 80 characters) and what it leaves for a person. */
export interface Titled {
  title: string;
  followUps: string[];
}

export function proposal(
  titled: string | Titled,
  ctx: RewriteContext,
  extra: { creates: FederationPlan['creates']; edits: ProposedEdit[] } = { creates: [], edits: [] },
): FixProposal[] {
  const edits = ctx.edits.result();
  if (!edits || edits.length === 0) return [];
  const { title, followUps } = typeof titled === 'string' ? { title: titled, followUps: [] } : titled;
  return [
    {
      title,
      safe: false,
      edits: [...edits, ...extra.edits],
      ...(extra.creates.length > 0 ? { creates: extra.creates } : {}),
      ...(followUps.length > 0 ? { followUps } : {}),
    },
  ];
}

// --------------------------------------------------------------------------------------------
// Credentials in `variables:`

/** Key variables and the jobs that take them from where they are written. */
export interface VariableCarrier {
  carrier: Carrier;
  /** The `variables:` pair that holds them (global or the carrier map's own). */
  block: Pair;
  /** The credential entries, in source order. */
  pairs: Pair[];
  /** Concrete jobs that take every one of them from there. */
  jobs: PipelineJob[];
}

/**
 * Where an Authentication's key variables are written, and which jobs take them from there. Undefined
 * when the entries are not all in one block-style `variables:` of the file (an anchored map merged
 * in, a flow map), when some job takes only part of them from there, or when a job that overrides
 * them would still pick up whatever the rewrite adds next to them.
 */
export function variableCarrier(gl: GitlabFix): VariableCarrier | undefined {
  const { auth, site, ctx } = gl;
  const starts = new Set<number>();
  for (const credential of auth.credentials) {
    if (credential.origin !== 'reference') return undefined;
    starts.add(credential.nameSpan.start);
  }
  const pipeline = site.pipeline;
  // A publish command's token is read where the job takes it from, not where the command is.
  const candidates = site.variables ?? variableBlocks(pipeline).flatMap((b) => (b.value as MapNode).pairs);
  const pairs = candidates.filter((p) => starts.has(p.keySpan.start));
  if (pairs.length !== starts.size || pairs.length === 0) return undefined;
  const owner = ownerOf(pipeline, pairs);
  if (!owner) return undefined;
  const map = deref(owner.block.value) as MapNode;
  const jobs: PipelineJob[] = [];
  for (const job of concreteJobs(ctx.pipeline)) {
    const from = (name: string): Pair | undefined => {
      const source = entrySource(ctx.pipeline, job, 'variables', name);
      return source.kind === 'layer' || source.kind === 'global' ? source.entry : undefined;
    };
    if (!job.layers) {
      // Partly defined elsewhere: fine unless the keys may reach it.
      if (owner.carrier.kind === 'global' || job.reachable.includes(owner.carrier.map)) return undefined;
      continue;
    }
    const taken = pairs.filter((p) => from(p.key) === p).length;
    if (taken === pairs.length) jobs.push(job);
    else if (taken > 0 || map.pairs.some((p) => from(p.key) === p)) return undefined;
  }
  return { carrier: owner.carrier, block: owner.block, pairs: [...pairs].sort((a, b) => a.keySpan.start - b.keySpan.start), jobs };
}

/** Every block-style `variables:` of the file: global, jobs', templates', `default:`'s. */
export function variableBlocks(pipeline: Pipeline): Pair[] {
  const blocks: Pair[] = [];
  for (const map of [pipeline.root, ...configMaps(pipeline)]) {
    const block = map.pairs.find((p) => p.key === 'variables');
    if (block && isMap(block.value) && !block.value.tag) blocks.push(block);
  }
  return blocks;
}

function ownerOf(pipeline: Pipeline, pairs: readonly Pair[]): { carrier: Carrier; block: Pair } | undefined {
  const holds = (block: Pair | undefined): boolean => {
    const value = block?.value;
    return isMap(value ?? null) && !value!.tag && pairs.every((p) => (value as MapNode).pairs.includes(p));
  };
  const global = pipeline.root.pairs.find((p) => p.key === 'variables');
  if (holds(global)) return { carrier: { kind: 'global' }, block: global! };
  for (const map of configMaps(pipeline)) {
    const block = map.pairs.find((p) => p.key === 'variables');
    if (holds(block)) return { carrier: { kind: 'map', map }, block: block! };
  }
  return undefined;
}

/**
 * Removes the key variables, putting `replacement` lines where the first one was; the whole
 * `variables:` goes when nothing would be left in it.
 */
export function removeVariables(ctx: RewriteContext, vc: VariableCarrier, replacement: readonly string[]): boolean {
  const block = vc.block.value as MapNode;
  if (replacement.length === 0 && block.pairs.every((p) => vc.pairs.includes(p))) return ctx.edits.add(deletePair(ctx.text, vc.block));
  const [first, ...rest] = vc.pairs;
  if (!ctx.edits.add(replacePairWithLines(ctx.text, first!, replacement))) return false;
  return rest.every((pair) => ctx.edits.add(deletePair(ctx.text, pair)));
}

/** Whether any of the jobs' scripts reads one of the variables (`$NAME`, `${NAME}`). */
export function scriptsRead(gl: GitlabFix, jobs: readonly PipelineJob[], names: readonly string[]): boolean {
  const pattern = new RegExp(`\\$(?:\\{)?(?:${names.join('|')})(?![A-Za-z0-9_])`);
  return jobs.some((job) => effectiveLines(gl.ctx.pipeline, job).some((line) => pattern.test(line.value as string)));
}

/**
 * Whether a variable the rewrite sets would clash with one the job already has (one it does not
 * remove).
 */
export function variableTaken(gl: GitlabFix, jobs: readonly PipelineJob[], names: readonly string[], removed: readonly Pair[]): boolean {
  return jobs.some((job) =>
    names.some((name) => {
      const source = entrySource(gl.ctx.pipeline, job, 'variables', name);
      if (source.kind === 'none') return false;
      return !((source.kind === 'layer' || source.kind === 'global') && removed.includes(source.entry));
    }),
  );
}

/**
 * Whether a job would still get another key variable of the same cloud from elsewhere (a template's
 * `AWS_ACCESS_KEY_ID` when the job overrode only the secret): half a key pair left in the
 * environment breaks the SDKs' credential chains (botocore raises on a partial pair).
 */
export function keepsOtherKeys(gl: GitlabFix, jobs: readonly PipelineJob[], removed: readonly Pair[]): boolean {
  const clouds = new Set(removed.map((p) => CI_KEY_VARIABLES[p.key]?.cloud));
  const names = Object.entries(CI_KEY_VARIABLES).filter(([, v]) => clouds.has(v.cloud)).map(([name]) => name);
  return variableTaken(gl, jobs, names, removed);
}

export function variableLines(variables: readonly (readonly [string, string])[]): string[] {
  return variables.map(([name, value]) => `${name}: ${yamlScalar(value)}`);
}

// --------------------------------------------------------------------------------------------
// Credentials in a script line

/** A script line that holds one command and is a sequence item of its own, and the jobs that run it. */
export interface LoginLine {
  line: ScriptLine;
  command: ShellCommand;
  jobs: PipelineJob[];
  carrier: Carrier;
}

export function loginLine(gl: GitlabFix): LoginLine | undefined {
  const line = gl.site.line;
  if (!line) return undefined;
  const commands = shellCommands(line.script);
  if (commands.length !== 1) return undefined;
  const jobs = jobsRunning(gl.ctx.pipeline, line.node);
  if (!jobs || jobs.length === 0) return undefined;
  return { line, command: commands[0]!, jobs, carrier: lineOwner(gl.site.pipeline, line.node) };
}

/** The job, template or `default:` whose own script list holds the line (as written, not through an alias). */
function lineOwner(pipeline: Pipeline, node: ScalarNode): Carrier {
  for (const map of configMaps(pipeline)) {
    for (const pair of map.pairs) {
      if (!['before_script', 'script', 'after_script'].includes(pair.key)) continue;
      const value = pair.value;
      if (value && value.kind !== 'alias' && value.span.start <= node.span.start && node.span.end <= value.span.end) return { kind: 'map', map };
    }
  }
  return { kind: 'global' };
}

/** Words back into a command line: quoted where the shell would split or glob them. */
export function commandText(words: readonly string[]): string | undefined {
  const out: string[] = [];
  for (const word of words) {
    if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) out.push(word);
    else if (!/["\\`]/.test(word)) out.push(`"${word}"`);
    else return undefined;
  }
  return out.join(' ');
}

// --------------------------------------------------------------------------------------------
// The cloud side

/** The plan for a set of jobs: one per group of jobs that share a subject, or a fallback to CI/CD variables. */
export interface Planned {
  /** Undefined: no honest plan for some job, so every job uses CI/CD variables the user sets. */
  groups: { jobs: PipelineJob[]; plan: FederationPlan }[] | undefined;
  creates: FederationPlan['creates'];
  edits: ProposedEdit[];
  notes: string[];
}

/**
 * Asks the cloud side for the jobs' identity, one request per subject (jobs on the same branch
 * share a role, its permissions inferred from all their commands). Falls back to variables for
 * every job when one subject has no plan, when plans disagree on the cloud, or when more than one
 * plan would write IaC (two companions, each declaring the provider, would collide).
 */
export function planJobs(gl: GitlabFix, plan: PlanFederation, cloud: FederatedCloud, jobs: readonly PipelineJob[]): Planned {
  const fallback: Planned = { groups: undefined, creates: [], edits: [], notes: [] };
  const bySubject = new Map<string, { subject: TokenSubject; jobs: PipelineJob[] }>();
  for (const job of jobs) {
    const subject = tokenSubject(gl.ctx.pipeline, job);
    if (subject.kind === 'unknown') return fallback;
    const key = `${subject.kind}:${subject.name}`;
    const group = bySubject.get(key) ?? { subject, jobs: [] };
    group.jobs.push(job);
    bySubject.set(key, group);
  }
  const groups: { jobs: PipelineJob[]; plan: FederationPlan }[] = [];
  for (const { subject, jobs: group } of bySubject.values()) {
    const first = group[0]!;
    const region = cloud === 'aws' ? awsRegion(gl.ctx.pipeline, first) : undefined;
    const result = plan(
      { cloud, issuer: 'gitlab', subject, job: { name: group.map((j) => j.name).join(', '), file: gl.fix.path }, usage: jobUsage(gl.ctx.pipeline, group), ...(region ? { region } : {}) },
      gl.fix.workspace,
    );
    if (!result || result.identity.cloud !== cloud) return fallback;
    groups.push({ jobs: group, plan: result });
  }
  const writers = groups.filter((g) => g.plan.creates.length > 0 || g.plan.edits.length > 0);
  if (writers.length > 1) return fallback;
  return {
    groups,
    creates: writers.flatMap((g) => g.plan.creates),
    edits: writers.flatMap((g) => g.plan.edits),
    notes: [...new Set(groups.flatMap((g) => g.plan.notes))],
  };
}

/**
 * The `aud` the ID token asks for, which must be the one the cloud's trust checks — agreed with the
 * cloud side (`federation/plan.ts`, `federation/claims.ts`):
 * - AWS: the instance URL (`https://gitlab.com`), as GitLab's AWS guide configures the IAM OIDC
 *   provider's client id; a provider of the workspace that accepts another client id wins.
 * - Google Cloud: the provider's default audience, `https://iam.googleapis.com/` + its resource
 *   name, since providers are written without `allowed_audiences`.
 * - Azure: `api://AzureADTokenExchange`, the audience Entra expects on federated credentials.
 * A plan may name the audience itself (`audience`, a field proposed for `FederationPlan`). Without a
 * plan or a known host, AWS's is `$CI_SERVER_URL`, which GitLab expands in `id_tokens:aud` to the
 * instance's URL.
 */
export function cloudAudience(workspace: WorkspaceContext, planned: Planned, cloud: FederatedCloud, gcpProvider?: string): string {
  const named = new Set((planned.groups ?? []).map((g) => planAudience(g.plan)).filter((a): a is string => !!a));
  if (named.size === 1) return [...named][0]!;
  if (cloud === 'azure') return 'api://AzureADTokenExchange';
  if (cloud === 'gcp') return `https://iam.googleapis.com/${gcpProvider ?? '$GCP_WORKLOAD_IDENTITY_PROVIDER'}`;
  const host = workspace.repository?.host;
  if (host === 'gitlab.com') return 'https://gitlab.com';
  if (host && planned.groups) return `https://${host}`;
  return '$CI_SERVER_URL';
}

/**
 * The audience a plan's trust checks, when it says: its `audience` (proposed), else the note the
 * AWS planner writes when the account's OIDC provider accepts only another client id.
 */
function planAudience(plan: FederationPlan): string | undefined {
  const named = (plan as FederationPlan & { audience?: string }).audience;
  if (named) return named;
  for (const note of plan.notes) {
    const match = /id_tokens must request `aud: ([^`]+)`/.exec(note);
    if (match) return match[1];
  }
  return undefined;
}

/** What a quick-fix menu shows of a title (VS Code cuts a code action's title at about 80). */
export const MAX_TITLE_LENGTH = 80;

/**
 * A title and its notes, each note a follow-up sentence (never part of the title). A title past
 * MAX_TITLE_LENGTH (long role or job names) keeps what comes before its `: ` and says the rest
 * as the first follow-up, so that the menu never cuts it.
 */
export function withNotes(title: string, notes: readonly string[]): Titled {
  const colon = title.indexOf(': ');
  const [shown, detail] = title.length > MAX_TITLE_LENGTH && colon > 0 ? [title.slice(0, colon), title.slice(colon + 2)] : [title, undefined];
  return { title: shown, followUps: [...new Set([...(detail ? [`the jobs ${detail}`] : []), ...notes].map(sentence))] };
}

/** "job "a"" or "jobs "a", "b"", or, past two jobs or 30 characters (for a title), "3 jobs". */
export function jobList(jobs: readonly PipelineJob[]): string {
  const names = jobs.map((j) => `"${j.name}"`);
  const listed = `${names.length === 1 ? 'job' : 'jobs'} ${names.join(', ')}`;
  return names.length > 2 || listed.length > 30 ? `${names.length} ${names.length === 1 ? 'job' : 'jobs'}` : listed;
}

/** The program a command runs, looking through `npx`, `python -m` and the like. */
export function program(words: readonly string[]): string | undefined {
  const [first, second, third] = words;
  if (first === 'npx' || first === 'pnpx' || first === 'bunx') return second;
  if (first && /^python[0-9.]*$/.test(first) && second === '-m') return third;
  return first;
}

/** Jobs among `jobs` that run any command `test` accepts. */
export function jobsRunningCommand(gl: GitlabFix, jobs: readonly PipelineJob[], test: (words: readonly string[]) => boolean): PipelineJob[] {
  return jobs.filter((job) => effectiveLines(gl.ctx.pipeline, job).some((line) => shellCommands(line.value as string).some((c) => test(c.words))));
}
