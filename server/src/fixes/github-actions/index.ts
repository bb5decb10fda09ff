import type { PlanFederation } from '../federation/federation';
import type { Fixer } from '../fixer';
import type { FixerSet } from '../index';
import { awsFixers } from './aws';
import { rewriteAzureDeploy, rewriteAzureLogin, rewriteGoogleAuth, rewriteVaultAction } from './logins';
import { rewritePublishing } from './publishing';

/**
 * The GitHub Actions rewrites to federation: stored cloud keys to OIDC logins (static-cloud-credentials)
 * and registry tokens to trusted publishing (static-registry-token). The cloud side — the role or
 * identity a login assumes, and its trust — comes from `plan`; each fixer offers nothing where it
 * does not apply, so one list serves every finding of the rule.
 */
export function githubActionsFixers(plan: PlanFederation): FixerSet {
  const aws = awsFixers(plan);
  const cloud: Fixer[] = [
    aws.action,
    aws.env,
    (context) => rewriteGoogleAuth(context, plan),
    (context) => rewriteAzureLogin(context, plan),
    (context) => rewriteAzureDeploy(context, plan),
    rewriteVaultAction,
  ];
  return [...cloud.map((fixer) => ['static-cloud-credentials', fixer] as const), ['static-registry-token', rewritePublishing]];
}
