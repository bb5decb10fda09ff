import { readWorkflow } from '../../../server/src/dialects/github-actions/model';
import { githubActionsAuthentications } from '../../../server/src/dialects/github-actions/facts';
import type { WorkspaceContext } from '../../../server/src/engine/workspace';
import { EMPTY_WORKSPACE } from '../../../server/src/engine/workspace';
import { emptyFacts, type Authentication } from '../../../server/src/facts/model';
import type { FederationPlan, FederationRequest, PlanFederation } from '../../../server/src/fixes/federation/federation';
import type { Fixer, FixProposal } from '../../../server/src/fixes/fixer';
import { withFollowUps } from '../../../server/src/fixes/follow-ups';
import { applyEdits } from '../../../server/src/fixes/text';
import { RULES } from '../../../server/src/rules';
import type { RuleFinding } from '../../../server/src/rules/rule';
import { staticCloudCredentials } from '../../../server/src/rules/static-cloud-credentials';
import { githubActionsFixers as cloudFixers } from '../../../server/src/rules/static-cloud-credentials/github-actions';
import { staticRegistryToken } from '../../../server/src/rules/static-registry-token';
import { rewritePublishing } from '../../../server/src/rules/static-registry-token/github-actions';
import { parseYaml } from '../../../server/src/syntax/yaml';

/** Fixers with the rule whose findings each fixes, for `proposals` to pick by rule. */
export type FixerSet = readonly (readonly [ruleId: string, fixer: Fixer<Authentication>])[];

/**
 * The GitHub Actions rewrites of both federation rules (the rules' own, in their order), with the
 * cloud side from `plan`: a fake planner, where the rules hold the real one.
 */
export function githubActionsFixers(plan: PlanFederation): FixerSet {
  return [...cloudFixers(plan).map((fixer) => [staticCloudCredentials.id, fixer] as const), [staticRegistryToken.id, rewritePublishing]];
}

/**
 * Runs the GitHub Actions fixers of one set (built with a fake planner) on a workflow's text,
 * the way the engine does: facts, the rule's findings, then each fixer of that rule.
 */
export interface Proposed {
  finding: RuleFinding;
  line: number;
  proposal: FixProposal;
}

export function proposals(set: FixerSet, ruleId: string, path: string, text: string, workspace: WorkspaceContext = EMPTY_WORKSPACE): Proposed[] {
  const facts = emptyFacts();
  for (const doc of parseYaml(text).documents) {
    const workflow = readWorkflow(doc.root);
    if (workflow) facts.authentications.push(...githubActionsAuthentications(workflow, text));
  }
  const rule = RULES.find((r) => r.id === ruleId)!;
  const result: Proposed[] = [];
  for (const finding of rule.check({ path, dialect: 'github-actions', facts })) {
    const line = text.slice(0, finding.span.start).split('\n').length;
    for (const [id, fixer] of set) {
      if (id !== ruleId) continue;
      // With the follow-ups every fix shares, as the engine's fixers carry them (fixes/propose.ts).
      const context = { ruleId, finding, about: finding.about, path, text, dialect: 'github-actions' as const, workspace };
      for (const proposal of withFollowUps(context, fixer(context))) result.push({ finding, line, proposal });
    }
  }
  return result;
}

/** The text of `path` once the proposal is applied (this file's edits only). */
export function applied(text: string, proposal: FixProposal, path?: string): string {
  return applyEdits(text, proposal.edits.filter((e) => e.path === path));
}

export type PlannerMode = 'reuse' | 'write' | 'none';

/** A planner that answers like the cloud side would, and records what it was asked. */
export function fakePlanner(mode: PlannerMode): PlanFederation & { requests: FederationRequest[] } {
  const requests: FederationRequest[] = [];
  const planner = (request: FederationRequest): FederationPlan | undefined => {
    requests.push(request);
    if (mode === 'none') return undefined;
    const subject = request.subject.kind === 'unknown' ? 'any' : request.subject.name;
    const reused = mode === 'reuse';
    const name = `gha-${request.job.name}-${subject}`;
    const identity: FederationPlan['identity'] =
      request.cloud === 'aws'
        ? { cloud: 'aws', roleArn: `arn:aws:iam::123456789012:role/${name}`, roleName: name }
        : request.cloud === 'gcp'
          ? { cloud: 'gcp', workloadIdentityProvider: 'projects/123456789/locations/global/workloadIdentityPools/github/providers/github', serviceAccount: `${name}@acme-prod.iam.gserviceaccount.com` }
          : { cloud: 'azure', clientId: '00000000-0000-0000-0000-00000000c1d0', tenantId: '00000000-0000-0000-0000-0000000007e4', subscriptionId: '00000000-0000-0000-0000-00000000503b' };
    return reused
      ? { identity, reused: true, creates: [], edits: [], notes: [] }
      : { identity, reused: false, creates: [{ path: `infra/${name}.tf`, text: `# trust for ${request.job.file} job ${request.job.name}\n` }], edits: [], notes: ['set var.aws_account_id'] };
  };
  return Object.assign(planner, { requests });
}
