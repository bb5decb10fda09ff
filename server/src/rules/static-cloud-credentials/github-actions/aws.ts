import { classifyCiValue, isReference } from '../../../dialects/ci-common/credentials';
import { awsRegionEntry, stepNeedsAws } from '../../../dialects/github-actions/facts';
import { input, usesAction, type Job, type Step, type Workflow } from '../../../dialects/github-actions/model';
import { str, type Pair } from '../../../syntax/tree';
import type { PlanFederation } from '../../../fixes/federation/federation';
import type { Fixer, FixContext, FixProposal, ProposedEdit } from '../../../fixes/fixer';
import { GITHUB_SESSION_NAME } from '../../../fixes/session-name';
import { insertAfterPair, yamlString } from '../../../fixes/yaml-edit';
import { askPlan, CloudSide, federationRequest, grantFor, identitySource, proposal, quoted, runsSelfHosted, SELF_HOSTED_WARNING, stepSite, workflowAuthentication } from '../../../fixes/github-actions/context';
import { blockMap, fromMatrix, insertStepBefore, pairAt, removePairs, replacePair, sourceOf } from '../../../fixes/github-actions/edit';
import type { Authentication } from '../../../facts/model';

/**
 * AWS keys to GitHub OIDC: `configure-aws-credentials` given keys assumes a role instead, and keys
 * in `env:` give way to a `configure-aws-credentials` step before the first step that needs them.
 * The role is the plan's (a workspace role whose trust admits only this repository and subject,
 * or one the plan writes), else the repository variable AWS_ROLE_ARN.
 */

const CONFIGURE_AWS = 'aws-actions/configure-aws-credentials';
const CONFIGURE_AWS_REF = `${CONFIGURE_AWS}@v4`;
const KEY_INPUTS = ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token'];
const KEY_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
const ROLE_VARIABLE = '${{ vars.AWS_ROLE_ARN }}';
const REGION_VARIABLE = '${{ vars.AWS_REGION }}';

export function awsFixers(plan: PlanFederation): { action: Fixer<Authentication>; env: Fixer<Authentication> } {
  return { action: (context) => rewriteConfigureAction(context, plan), env: (context) => rewriteEnvKeys(context, plan) };
}

/** `aws-access-key-id`/`aws-secret-access-key` inputs → `role-to-assume` and `role-session-name`. */
function rewriteConfigureAction(context: FixContext<Authentication>, plan: PlanFederation): FixProposal[] {
  const found = stepSite(context);
  if (!found || found.auth.target !== 'aws' || found.auth.mechanism !== CONFIGURE_AWS || !usesAction(found.step, CONFIGURE_AWS)) return [];
  const { workflow, job, step } = found;
  const { text } = context;
  const withBlock = blockMap(text, step.node, 'with');
  if (!withBlock) return [];
  const keys = withBlock.map.pairs.filter((p) => KEY_INPUTS.includes(p.key));
  // Keys merged in from an anchor, or one per matrix entry (several accounts), have no one place to edit.
  if (keys.length === 0 || step.with.filter((p) => KEY_INPUTS.includes(p.key)).length !== keys.length) return [];
  if (keys.some((p) => fromMatrix(text, p.value?.span))) return [];
  // Role chaining starts from the keys; a token file is another federation: neither maps onto OIDC.
  if (input(step, 'role-chaining') || input(step, 'web-identity-token-file')) return [];

  const grant = grantFor(text, workflow, job, true);
  if (!grant) return [];
  const named = input(step, 'role-to-assume');
  const sessionLine = input(step, 'role-session-name') ? [] : [`role-session-name: ${GITHUB_SESSION_NAME}`];
  const edits: ProposedEdit[] = [...grant];
  let title: string;
  let followUps: string[] = [];
  let cloud: CloudSide | undefined;
  if (named) {
    // Keys plus a role: the keys only served to assume it. The role stays; its trust must now admit GitHub's OIDC.
    const removal = removePairs(text, withBlock.pair, keys);
    const session = sessionLine.length > 0 ? insertAfterPair(text, named, sessionLine) : undefined;
    if (!removal || (sessionLine.length > 0 && !session)) return [];
    edits.push(...removal, ...(session ? [session] : []));
    title = `Assume ${roleLabel(str(named.value) ?? '')} through OIDC instead of the keys`;
    followUps = [`Make the trust of ${roleLabel(str(named.value) ?? '')} admit GitHub's OIDC provider (token.actions.githubusercontent.com) for this repository: the job no longer has keys to assume it with.`];
  } else {
    const region = literal(str(input(step, 'aws-region')?.value));
    const planned = askPlan(plan, federationRequest(context, workflow, job, 'aws', region), context.workspace);
    cloud = new CloudSide();
    const usable = planned && cloud.add(planned) ? planned : undefined;
    const role = usable?.identity.cloud === 'aws' ? usable.identity : undefined;
    // The role takes the access key id's place (the inputs' order is the author's).
    const first = keys.find((p) => p.key === 'aws-access-key-id') ?? keys[0]!;
    const rest = keys.filter((p) => p !== first);
    const replaced = replacePair(text, first, [`role-to-assume: ${role ? yamlString(role.roleArn) : ROLE_VARIABLE}`, ...sessionLine]);
    const removal = rest.length > 0 ? removePairs(text, withBlock.pair, rest) : [];
    if (!replaced || !removal) return [];
    edits.push(replaced, ...removal);
    title = `Assume ${role ? `role "${role.roleName}"` : 'a role'} through OIDC instead of the keys`;
    followUps = identitySource(usable, "the ARN of the role to assume", ['AWS_ROLE_ARN']);
  }
  return [proposal(title, edits, cloud, runsSelfHosted(job) ? [SELF_HOSTED_WARNING] : [], followUps)];
}

/**
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` in an `env:` block → the block without them, and a
 * `configure-aws-credentials` step (role, region, session name) before the first step that needs
 * AWS in every job that took them from this block, each job with `id-token: write`.
 */
function rewriteEnvKeys(context: FixContext<Authentication>, plan: PlanFederation): FixProposal[] {
  const found = workflowAuthentication(context);
  if (!found || found.auth.target !== 'aws' || found.auth.mechanism !== 'env' || !found.site.env) return [];
  const { auth, site } = found;
  const { workflow } = site;
  const { text } = context;
  const owner = (site.step?.node ?? site.job?.node ?? workflow.root).pairs.find((p) => p.key === 'env');
  const keys = auth.credentials.map((c) => (c.origin === 'reference' ? pairAt(site.env!, c.nameSpan.start) : undefined));
  if (!owner || keys.some((k) => k === undefined)) return [];
  const keyPairs = keys as Pair[];
  if (keyPairs.some((p) => fromMatrix(text, p.value?.span))) return [];
  const removal = removePairs(text, owner, keyPairs);
  if (!removal) return [];

  const targets = loginTargets(workflow, site.job, site.step);
  if (!targets) return [];
  const cloud = new CloudSide();
  const edits: ProposedEdit[] = [...removal];
  const followUps: string[] = [];
  for (const target of targets) {
    const { job, before } = target;
    if (target.existing !== 'keys') {
      const grant = grantFor(text, workflow, job, true);
      if (!grant) return [];
      edits.push(...grant);
    }
    if (!before) continue;
    const regionPair = awsRegionEntry(workflow, job, before);
    const region = regionPair ? sourceOf(text, regionPair.value) : undefined;
    const planned = askPlan(plan, federationRequest(context, workflow, job, 'aws', literal(str(regionPair?.value))), context.workspace);
    const usable = planned && cloud.add(planned) ? planned : undefined;
    const role = usable?.identity.cloud === 'aws' ? usable.identity : undefined;
    const insertion = insertStepBefore(text, before, [
      'name: Configure AWS credentials',
      `uses: ${CONFIGURE_AWS_REF}`,
      'with:',
      `  role-to-assume: ${role ? yamlString(role.roleArn) : ROLE_VARIABLE}`,
      `  aws-region: ${region ?? REGION_VARIABLE}`,
      `  role-session-name: ${GITHUB_SESSION_NAME}`,
    ]);
    if (!insertion) return [];
    edits.push(insertion);
    followUps.push(...identitySource(usable, 'the ARN of the role to assume', ['AWS_ROLE_ARN']));
  }
  const warnings = targets.some((t) => runsSelfHosted(t.job)) ? [SELF_HOSTED_WARNING] : [];
  const { title, notes } = envTitle(targets);
  return [proposal(title, edits, cloud, warnings, [...notes, ...followUps])];
}

/** The title of the env rewrite (which jobs get a login step), and what it says about the jobs that keep theirs. */
function envTitle(targets: readonly LoginTarget[]): { title: string; notes: string[] } {
  const inserted = targets.filter((t) => t.before).map((t) => t.job.id);
  const jobs = (kind: LoginTarget['existing']): string[] => targets.filter((t) => t.existing === kind).map((t) => t.job.id);
  const notes: string[] = [];
  const oidc = jobs('oidc');
  const keys = jobs('keys');
  if (oidc.length > 0) notes.push(`the configure-aws-credentials step of job${oidc.length > 1 ? 's' : ''} ${quoted(oidc)} assumes its role through OIDC`);
  if (keys.length > 0) notes.push(`job${keys.length > 1 ? 's' : ''} ${quoted(keys)} log${keys.length > 1 ? '' : 's'} in with ${keys.length > 1 ? 'their' : 'its'} own configure-aws-credentials step`);
  if (inserted.length === 0) return { title: notes.length === 0 ? "Remove the workflow's AWS keys (no job takes them from there)" : 'Remove the AWS keys from env (the jobs log in through OIDC)', notes };
  const where = inserted.length > 1 ? `OIDC login steps in jobs ${quoted(inserted)}` : `an OIDC login step in job ${quoted(inserted)}`;
  return { title: `Replace the AWS keys with ${where}`, notes };
}

/**
 * A job that loses the keys, and the step its new login goes before; none when the job has a
 * configure-aws-credentials step already, which assumes a role (`oidc`, once the job may mint
 * the token) or takes keys of its own (`keys`, its own finding).
 */
interface LoginTarget {
  job: Job;
  before?: Step;
  existing?: 'oidc' | 'keys';
}

/**
 * Which jobs lose keys with the block, and where each one's login goes. Undefined when no place
 * is right: outer keys would take over the step's or job's (those are fixed first), a login
 * inserted mid-job would change what later steps run as, or a login step reads the keys itself.
 */
function loginTargets(workflow: Workflow, job: Job | undefined, step: Step | undefined): LoginTarget[] | undefined {
  if (job && step) {
    if (hasKeys(job.env) || hasKeys(workflow.env) || usesAction(step, CONFIGURE_AWS) || job.uses) return undefined;
    // A login before this step would also replace the credentials of the steps after it.
    const earlierLogin = job.steps.some((s) => s.index < step.index && usesAction(s, CONFIGURE_AWS));
    if (earlierLogin && job.steps.some((s) => s.index > step.index && !hasKeys(s.env) && stepNeedsAws(job, s))) return undefined;
    return [{ job, before: step }];
  }
  if (job) {
    if (hasKeys(workflow.env)) return undefined;
    const target = jobTarget(job);
    return target === null ? undefined : target ? [target] : [];
  }
  // Workflow-level keys reach every job that does not set its own; of those, the jobs that
  // visibly use AWS get a login, or all of them when none visibly does (a script may).
  const inheriting = workflow.jobs.filter((j) => !j.uses && !hasKeys(j.env) && j.steps.some((s) => !hasKeys(s.env)));
  const needing = inheriting.filter((j) => j.steps.some((s) => !hasKeys(s.env) && stepNeedsAws(j, s)));
  const targets: LoginTarget[] = [];
  for (const j of needing.length > 0 ? needing : inheriting) {
    const target = jobTarget(j);
    if (target === null) return undefined;
    if (target) targets.push(target);
  }
  return targets;
}

/** Where a job's login goes: before its first step that needs AWS (else its first step). Null when none fits. */
function jobTarget(job: Job): LoginTarget | null | undefined {
  if (job.uses) return null;
  const consumers = job.steps.filter((s) => !hasKeys(s.env));
  const first = consumers.find((s) => stepNeedsAws(job, s)) ?? consumers[0];
  if (!first) return undefined;
  const login = job.steps.find((s) => s.index <= first.index && usesAction(s, CONFIGURE_AWS));
  if (!login) return { job, before: first };
  if (input(login, 'role-to-assume') !== undefined) return { job, existing: 'oidc' };
  if (KEY_INPUTS.some((k) => input(login, k) !== undefined)) return { job, existing: 'keys' };
  // A login step that names neither keys nor a role read them from this env: nothing left to log in with.
  return null;
}

/** Whether an env block holds AWS keys (references, or literals that look like keys). */
function hasKeys(env: readonly Pair[]): boolean {
  return env.some((p) => {
    if (!KEY_VARIABLES.includes(p.key)) return false;
    const kind = classifyCiValue(str(p.value));
    return isReference(kind) || kind === 'credential-literal';
  });
}

/** A value the cloud side can use as written: not an expression. */
function literal(value: string | undefined): string | undefined {
  return value !== undefined && value !== '' && !value.includes('${{') ? value : undefined;
}

function roleLabel(arn: string): string {
  const name = /:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  return name ? `role "${name}"` : 'the role it names';
}
