import type { Authentication, Cloud } from '../../facts/model';
import type { PlanFederation } from '../../fixes/federation/federation';
import type { Fixer } from '../../fixes/fixer';
import { planFederation } from '../../fixes/federation/plan';
import { CLOUD_NAMES, credentialList, isCloud } from '../wording';
import { otherCredentials, type Rule } from '../rule';
import { githubActionsFixers } from './github-actions';
import { gitlabCloudFixer } from './gitlab-ci';

const FEDERATION: Record<'github-actions' | 'gitlab-ci', Record<Cloud, string>> = {
  'github-actions': {
    aws: 'assume a role through GitHub OIDC (`role-to-assume` with `id-token: write`)',
    gcp: 'use Workload Identity Federation (`workload_identity_provider` and `service_account`)',
    azure: 'log in with a federated credential (`client-id`, `tenant-id`, `subscription-id` and `id-token: write`)',
    vault: 'log in with GitHub OIDC (`method: jwt` with a role)',
  },
  'gitlab-ci': {
    aws: 'request an `id_tokens` token and exchange it with `aws sts assume-role-with-web-identity`',
    gcp: 'request an `id_tokens` token and exchange it through Workload Identity Federation',
    azure: 'request an `id_tokens` token and log in with a federated credential',
    vault: 'request an `id_tokens` token and log in with Vault JWT auth',
  },
};

/**
 * A Static Web Apps deployment token is no client secret: `azure/login` alone does not replace it.
 * What does: the app's "GitHub" deployment authorization policy (an ID token in `github_id_token`),
 * or the SWA CLI deploying with the Azure login the job already has (`--app-name`, no token).
 */
const DEPLOYMENT_TOKEN_FEDERATION: Record<'github-actions' | 'gitlab-ci', string> = {
  'github-actions':
    'set the app\'s deployment authorization policy to GitHub and pass `github_id_token` (from `core.getIDToken()`), or run `swa deploy --app-name …` after an OIDC `azure/login`',
  'gitlab-ci': 'request an `id_tokens` token, `az login --federated-token` with it, and run `swa deploy --app-name …` without a token',
};

/** static-cloud-credentials: a CI job authenticates to a cloud with long-lived keys. */
export const staticCloudCredentials: Rule<Authentication> = {
  id: 'static-cloud-credentials',
  severity: 'error',
  title: 'A CI job authenticates to a cloud with long-lived keys',
  dialects: ['github-actions', 'gitlab-ci'],
  check({ facts }) {
    return facts.authentications.filter(isStaticCiCloudLogin).map((auth) => {
      const platform = auth.principal.kind === 'ci-job' ? auth.principal.platform : 'github-actions';
      const job = auth.principal.kind === 'ci-job' && auth.principal.job !== '*' ? `Job "${auth.principal.job}"` : 'Every job of this pipeline';
      const cloud = auth.target as Cloud;
      const via = auth.credentials.length > 0 ? ` (${credentialList(auth.credentials)})` : ` (${auth.mechanism})`;
      const remedy = auth.credentials.some((c) => c.kind === 'azure-deployment-token') ? DEPLOYMENT_TOKEN_FEDERATION[platform] : FEDERATION[platform][cloud];
      return {
        span: auth.anchor,
        message: `${job} authenticates to ${CLOUD_NAMES[cloud]} with long-lived credentials${via}. Keys like these leak through logs and forks and never expire: ${remedy}.`,
        related: otherCredentials(auth, (name) => `${name}: part of the same credential`),
        about: auth,
      };
    });
  },
  fixers: federationFixers(planFederation),
};

/**
 * The rewrites to federation, with the cloud side (the role or identity a login assumes, and its
 * trust) from `plan`: GitHub Actions' logins, then GitLab CI's. Each offers nothing in the other's
 * files or for another login, so one list serves every finding of the rule.
 */
export function federationFixers(plan: PlanFederation): Fixer<Authentication>[] {
  return [...githubActionsFixers(plan), gitlabCloudFixer(plan)];
}

function isStaticCiCloudLogin(auth: Authentication): boolean {
  return auth.principal.kind === 'ci-job' && auth.method === 'static' && isCloud(auth.target);
}
