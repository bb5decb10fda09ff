import type { WorkspaceContext } from '../../facts/workspace';
import { planAws } from './aws-plan';
import type { FederationPlan, FederationRequest, PlanFederation } from './federation';
import { planAzure } from './azure';
import { planGcp } from './gcp';
import { workspaceGraph } from '../../graph/graph';
import { issuerHost, subjectClaim } from '../../graph/tokens';

/**
 * The cloud side of an OIDC migration (see `federation.ts` for the contract): reuse an identity
 * of the workspace whose trust admits exactly this repository and subject, else write one in the
 * workspace's IaC dialect. No plan without a repository (from the git remote) and a subject the
 * issuer can express: a trust for "some repository" is the problem being fixed, not a fix.
 */
export const planFederation: PlanFederation = (request: FederationRequest, workspace: WorkspaceContext): FederationPlan | undefined => {
  const repository = workspace.repository;
  if (!repository || request.subject.kind === 'unknown') return undefined;
  const host = issuerHost(request.issuer, repository);
  if (!host) return undefined;
  const graph = workspaceGraph(workspace);
  const subject = subjectClaim(request.issuer, repository, request.subject, graph.immutableSubjects);
  if (!subject) return undefined;
  const input = { request, workspace, graph, repository, issuerHost: host, subject, scopeName: request.subject.name };
  switch (request.cloud) {
    case 'aws':
      return planAws(input);
    case 'gcp':
      return planGcp(input);
    case 'azure':
      return planAzure(input);
  }
};
