import { credentialList } from '../wording';
import type { Authentication } from '../../facts/model';
import type { Rule } from '../rule';
import { fixProviderStaticCredentials } from './fix';

const ALTERNATIVES: Record<string, string> = {
  aws: 'the ambient credential chain (an assumed role, instance profile or OIDC in CI) or `assume_role_with_web_identity`',
  gcp: 'Application Default Credentials (Workload Identity Federation in CI, attached service accounts in the cloud)',
  azure: '`use_oidc = true` in CI, or a managed identity',
  vault: 'JWT or OIDC auth',
};

/**
 * provider-static-credentials: a Terraform provider configured with static credentials, literal
 * or from a variable: either way a long-lived key must exist for it to work.
 */
export const providerStaticCredentials: Rule<Authentication> = {
  id: 'provider-static-credentials',
  severity: 'error',
  title: 'A Terraform provider is configured with static credentials',
  dialects: ['terraform'],
  check({ facts }) {
    return facts.authentications
      .filter((auth) => auth.principal.kind === 'terraform-provider' && auth.method === 'static')
      .map((auth) => {
        const provider = auth.principal.kind === 'terraform-provider' ? auth.principal.provider : '';
        const alias = auth.principal.kind === 'terraform-provider' && auth.principal.alias ? ` (alias "${auth.principal.alias}")` : '';
        return {
          span: auth.anchor,
          message: `Provider "${provider}"${alias} is configured with static credentials (${credentialList(auth.credentials)}). Remove them and use ${ALTERNATIVES[auth.target] ?? 'federated credentials'}.`,
          related: auth.credentials
            .filter((c) => c.origin === 'reference')
            .map((c) => ({ span: c.nameSpan, message: `${c.name}: a static credential argument` })),
          about: auth,
        };
      });
  },
  fixers: [fixProviderStaticCredentials],
};
