import assert from 'node:assert/strict';
import type { WorkspaceFile } from '../../../server/src/engine/workspace';
import { readPipeline } from '../../../server/src/dialects/gitlab-ci/model';
import { gitlabAuthentications } from '../../../server/src/dialects/gitlab-ci/facts';
import { Engine } from '../../../server/src/engine/analyze';
import { EMPTY_WORKSPACE, type WorkspaceContext } from '../../../server/src/engine/workspace';
import { emptyFacts, type Authentication } from '../../../server/src/facts/model';
import type { FederationPlan, FederationRequest, PlanFederation } from '../../../server/src/fixes/federation/federation';
import type { Fixer, FixProposal } from '../../../server/src/fixes/fixer';
import { withFollowUps } from '../../../server/src/fixes/follow-ups';
import { applyEdits } from '../../../server/src/fixes/text';
import { RULES } from '../../../server/src/rules';
import { staticCloudCredentials } from '../../../server/src/rules/static-cloud-credentials';
import { gitlabCloudFixer } from '../../../server/src/rules/static-cloud-credentials/gitlab-ci';
import { staticRegistryToken } from '../../../server/src/rules/static-registry-token';
import { gitlabRegistryFixer } from '../../../server/src/rules/static-registry-token/gitlab-ci';
import { parseYaml } from '../../../server/src/syntax/yaml';

/**
 * Runs the GitLab rewrites on a pipeline text directly (with a chosen planner and workspace, which
 * the engine's registry cannot be given), and checks what the engine makes of the result.
 */

export const PATH = '.gitlab-ci.yml';

/** The GitLab rewrite of each federation rule (the rules' own), with the cloud side from `plan`. */
function gitlabFixers(plan: PlanFederation): (readonly [ruleId: string, fixer: Fixer<Authentication>])[] {
  return [
    [staticCloudCredentials.id, gitlabCloudFixer(plan)],
    [staticRegistryToken.id, gitlabRegistryFixer],
  ];
}

export interface Offered {
  rule: string;
  line: number;
  proposals: FixProposal[];
}

/** The proposals of the GitLab fixers for every finding of `rule` in `text`. */
export function offered(text: string, rule: string, plan: PlanFederation, workspace: WorkspaceContext = EMPTY_WORKSPACE): Offered[] {
  const parsed = parseYaml(text);
  const facts = emptyFacts();
  for (const doc of parsed.documents) {
    const pipeline = readPipeline(doc.root);
    if (pipeline) facts.authentications.push(...gitlabAuthentications(pipeline, text));
  }
  const ruleDef = RULES.find((r) => r.id === rule)!;
  const fixer = new Map(gitlabFixers(plan)).get(rule)!;
  return ruleDef.check({ path: PATH, dialect: 'gitlab-ci', facts }).map((finding) => {
    // With the follow-ups every fix shares, as the engine's fixers carry them (fixes/propose.ts).
    const context = { ruleId: rule, finding, about: finding.about, path: PATH, text, dialect: 'gitlab-ci' as const, workspace };
    return { rule, line: text.slice(0, finding.span.start).split('\n').length, proposals: withFollowUps(context, fixer(context)) };
  });
}

/** The one proposal for the finding on `line`. */
export function only(text: string, rule: string, line: number, plan: PlanFederation, workspace?: WorkspaceContext): FixProposal {
  const found = offered(text, rule, plan, workspace).filter((o) => o.line === line);
  assert.equal(found.length, 1, `one finding of ${rule} on line ${line}: ${JSON.stringify(offered(text, rule, plan, workspace).map((o) => o.line))}`);
  assert.equal(found[0]!.proposals.length, 1, `one fix for ${rule} on line ${line}`);
  return found[0]!.proposals[0]!;
}

/** The file after a proposal's edits to it. */
export function applied(text: string, proposal: FixProposal): string {
  return applyEdits(text, proposal.edits.filter((e) => e.path === undefined || e.path === PATH));
}

let engine: Engine | undefined;
export async function theEngine(): Promise<Engine> {
  engine ??= await Engine.create();
  return engine;
}

/** The rule's findings (lines) in a text, as the engine reports them; and no syntax errors. */
export async function findings(text: string, rule: string): Promise<number[]> {
  const report = (await theEngine()).analyze({ path: PATH, text });
  assert.deepEqual(report.errors, [], 'the file parses');
  assert.equal(report.dialect, 'gitlab-ci');
  return report.findings.filter((f) => f.rule === rule).map((f) => f.range.start.line + 1);
}

// --------------------------------------------------------------------------------------------
// Fake planners

export const requests: FederationRequest[] = [];

/** No honest plan: the rewrite falls back to CI/CD variables. */
export const noPlan: PlanFederation = (request) => {
  requests.push(request);
  return undefined;
};

/** Reuses a role (or provider, or app) of the workspace per subject. */
export const reusePlan: PlanFederation = (request) => {
  requests.push(request);
  const scope = request.subject.kind === 'unknown' ? 'any' : request.subject.name;
  const identity: FederationPlan['identity'] =
    request.cloud === 'aws'
      ? { cloud: 'aws', roleArn: `arn:aws:iam::123456789012:role/gitlab-${scope}`, roleName: `gitlab-${scope}` }
      : request.cloud === 'gcp'
        ? { cloud: 'gcp', workloadIdentityProvider: `projects/123456/locations/global/workloadIdentityPools/gitlab/providers/${scope}`, serviceAccount: `deploy-${scope}@acme.iam.gserviceaccount.com` }
        : { cloud: 'azure', clientId: `client-${scope}`, tenantId: 'tenant-1', subscriptionId: 'sub-1' };
  return { identity, reused: true, creates: [], edits: [], notes: [] };
};

/** Writes a role in a new Terraform file. */
export const writePlan: PlanFederation = (request, workspace) => {
  const plan = reusePlan(request, workspace)!;
  const scope = request.subject.kind === 'unknown' ? 'any' : request.subject.name;
  return { ...plan, reused: false, creates: [{ path: `infra/gitlab-oidc-${scope}.tf`, text: `# role for ${request.job.name}\n` }], notes: ['the account id is a variable'] };
};

export const GITLAB_WORKSPACE: WorkspaceContext = { ...EMPTY_WORKSPACE, repository: { host: 'gitlab.com', owner: 'acme/platform', name: 'site' } };

export function crlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

/** What "fix all" makes of a file: the first rewrite offered applied, again and again, until none is left. */
export interface Outcome {
  text: string;
  titles: string[];
  /** What each rewrite leaves for a person, in order. */
  followUps: string[][];
  /** Files the rewrites create, with their text. */
  creates: { path: string; text: string }[];
}

/**
 * Applies the first rewrite of the rule's first finding that has one, until no finding has one
 * (bounded). With a workspace, files the rewrites create join it, as the editor's workspace would
 * see them.
 */
export async function fixAll(text: string, rule: string, plan: PlanFederation, workspace: WorkspaceContext = EMPTY_WORKSPACE): Promise<Outcome> {
  const engine = await theEngine();
  const files = new Map<string, WorkspaceFile>(workspace.files);
  const titles: string[] = [];
  const followUps: string[][] = [];
  const creates: { path: string; text: string }[] = [];
  let current = text;
  for (let round = 0; round < 20; round++) {
    const next = offered(current, rule, plan, { ...workspace, files }).find((o) => o.proposals.length > 0)?.proposals[0];
    if (!next) break;
    titles.push(next.title);
    followUps.push(next.followUps ?? []);
    for (const created of next.creates ?? []) {
      creates.push(created);
      const facts = engine.facts({ path: created.path, text: created.text });
      if (facts) files.set(created.path, { ...facts, text: created.text });
    }
    current = applied(current, next);
  }
  return { text: current, titles, followUps, creates };
}
