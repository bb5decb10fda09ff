import { jobActivity } from '../../dialects/github-actions/facts';
import { isWorkflowSite, type Job, type Step, type Workflow, type WorkflowSite } from '../../dialects/github-actions/model';
import { tokenSubject } from '../../dialects/github-actions/subject';
import type { WorkspaceContext } from '../../facts/workspace';
import type { Authentication } from '../../facts/model';
import type { JobUsage } from '../../iam/least-privilege';
import type { FixContext, FixProposal, ProposedEdit } from '../fixer';
import { sentence } from '../follow-ups';
import { grantIdToken } from '../github-permissions';
import type { FederatedCloud, FederationPlan, FederationRequest, PlanFederation } from '../federation/federation';

/**
 * What every GitHub Actions rewrite needs besides its own edits: the finding's place in the
 * workflow, the planner's request (with the job's token subject, `dialects/github-actions/subject.ts`),
 * what the job runs, whether its runner is GitHub's, the cloud identity from the plan (or
 * repository variables when there is no plan), and the job's `id-token: write`.
 */

/** The finding's Authentication and where it was read, when it comes from a workflow (not a composite action). */
export function workflowAuthentication(context: FixContext<Authentication>): { auth: Authentication; site: WorkflowSite } | undefined {
  const auth = context.about;
  const site = auth?.syntax;
  if (!auth || !isWorkflowSite(site) || site.workflow.kind !== 'workflow') return undefined;
  return { auth, site };
}

/** The finding's step, when it has one. */
export function stepSite(context: FixContext<Authentication>): { auth: Authentication; workflow: Workflow; job: Job; step: Step } | undefined {
  const found = workflowAuthentication(context);
  if (!found?.site.job || !found.site.step) return undefined;
  return { auth: found.auth, workflow: found.site.workflow, job: found.site.job, step: found.site.step };
}

export function usageOf(job: Job): JobUsage {
  return jobActivity(job);
}

/** GitHub-hosted labels: `ubuntu-24.04`, `windows-latest`, `macos-14-xlarge`, `ubuntu-24.04-arm`. */
const GITHUB_HOSTED = /^(?:ubuntu|windows|macos)-(?:latest|\d+(?:\.\d+)?)(?:-(?:arm|arm64|large|xlarge|xl))?$/;

/**
 * Whether the job runs on a runner GitHub does not host (`self-hosted`, custom labels, a runner
 * group). A label that is an expression (`${{ matrix.os }}`) says nothing either way.
 */
export function runsSelfHosted(job: Job): boolean {
  return job.runsOn.some((label) => label !== '' && !label.includes('${{') && !GITHUB_HOSTED.test(label));
}

export const SELF_HOSTED_WARNING = 'self-hosted runner: OIDC needs the identity provider to exist and the runner to reach the token endpoint';
/** Registries trust GitHub's issuer themselves: only the way out to the token endpoint is in question. */
export const SELF_HOSTED_PUBLISH_WARNING = "self-hosted runner: it must reach GitHub's token endpoint";

/** The job's `id-token: write` (with `contents: read` for cloud logins), or undefined when its permissions cannot be edited. */
export function grantFor(text: string, workflow: Workflow, job: Job, contentsRead: boolean): ProposedEdit[] | undefined {
  return grantIdToken(text, workflow, job, { contentsRead })?.edits;
}

/** A plan the rewrite can apply as is: the cloud asked for, and edits only of files the workspace has (or the plan creates). */
function usablePlan(plan: FederationPlan | undefined, cloud: FederatedCloud, workspace: WorkspaceContext): FederationPlan | undefined {
  if (!plan || plan.identity.cloud !== cloud) return undefined;
  const created = new Set(plan.creates.map((c) => c.path));
  return plan.edits.every((e) => e.path !== undefined && (workspace.files.has(e.path) || created.has(e.path))) ? plan : undefined;
}

/** The request for one job of the file being fixed. */
export function federationRequest(context: FixContext, workflow: Workflow, job: Job, cloud: FederatedCloud, region?: string): FederationRequest {
  return {
    cloud,
    issuer: 'github',
    subject: tokenSubject(workflow, job),
    job: { name: job.id, file: context.path },
    usage: usageOf(job),
    ...(region !== undefined ? { region } : {}),
  };
}

/** Asks the planner, and keeps the answer only when the rewrite can use it. */
export function askPlan(plan: PlanFederation, request: FederationRequest, workspace: WorkspaceContext): FederationPlan | undefined {
  return usablePlan(plan(request, workspace), request.cloud, workspace);
}

/** Plans of several jobs (keys shared by a whole workflow), as one set of cloud-side changes. */
export class CloudSide {
  readonly creates: { path: string; text: string }[] = [];
  readonly edits: ProposedEdit[] = [];
  readonly notes: string[] = [];

  /**
   * Takes a plan's files, edits and notes. One plan that writes per fix: each writes the issuer's
   * OIDC provider where the workspace has none, so a second would declare it again; that job
   * falls back to repository variables (false). Plans that reuse an identity write nothing.
   */
  add(plan: FederationPlan): boolean {
    const writes = plan.creates.length > 0 || plan.edits.length > 0;
    if (writes && (this.creates.length > 0 || this.edits.length > 0)) return false;
    this.creates.push(...plan.creates);
    this.edits.push(...plan.edits);
    for (const note of plan.notes) if (!this.notes.includes(note)) this.notes.push(note);
    return true;
  }
}

/**
 * Where the identity comes from, for the follow-ups: reused (nothing to do), written (the files
 * follow-ups.ts names), or — `what` — read from repository variables the user must define.
 */
export function identitySource(plan: FederationPlan | undefined, what: string, variables: readonly string[], trusts = true): string[] {
  if (plan) return [];
  const them = variables.length > 1 ? 'them' : 'it';
  const trust = trusts ? `, and the identity ${variables.length > 1 ? 'they name' : 'it names'} must trust this repository's OIDC tokens` : '';
  return [`Set the repository variable${variables.length > 1 ? 's' : ''} ${variables.join(', ')} (${what}): the rewritten job reads ${them}${trust}.`];
}

/**
 * A proposal of the rewrite: unsafe always (it changes how the job authenticates and needs the
 * other side to exist). The title says what changes in a few words; the plan's notes, the
 * warnings and `followUps` (what is left to do) go to the follow-ups, not into the title.
 */
export function proposal(title: string, edits: ProposedEdit[], cloud: CloudSide | undefined, warnings: readonly string[], followUps: readonly string[] = []): FixProposal {
  const notes = [...followUps, ...(cloud?.notes ?? []), ...warnings].map(sentence);
  const creates = cloud?.creates ?? [];
  return {
    title,
    safe: false,
    edits: [...edits, ...(cloud?.edits ?? [])],
    ...(creates.length > 0 ? { creates } : {}),
    ...(notes.length > 0 ? { followUps: [...new Set(notes)] } : {}),
  };
}

/** Quoted names in a title: `"deploy"`, `"build", "deploy"`. */
export function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
