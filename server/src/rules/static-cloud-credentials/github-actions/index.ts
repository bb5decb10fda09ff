import type { PlanFederation } from '../../../fixes/federation/federation';
import type { Fixer } from '../../../fixes/fixer';
import type { Authentication } from '../../../facts/model';
import { awsFixers } from './aws';
import { rewriteAzureDeploy, rewriteAzureLogin, rewriteGoogleAuth, rewriteVaultAction } from './logins';

/**
 * The GitHub Actions rewrites of stored cloud keys to OIDC logins. The cloud side — the role or
 * identity a login assumes, and its trust — comes from `plan`; each fixer offers nothing where it
 * does not apply, so one list serves every finding of the rule.
 */
export function githubActionsFixers(plan: PlanFederation): Fixer<Authentication>[] {
  const aws = awsFixers(plan);
  return [
    aws.action,
    aws.env,
    (context) => rewriteGoogleAuth(context, plan),
    (context) => rewriteAzureLogin(context, plan),
    (context) => rewriteAzureDeploy(context, plan),
    rewriteVaultAction,
  ];
}
