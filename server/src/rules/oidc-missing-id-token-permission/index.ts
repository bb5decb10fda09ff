import { CLOUD_NAMES, isCloud, REGISTRY_NAMES } from '../wording';
import type { Authentication } from '../../facts/model';
import type { Rule } from '../rule';
import { fixMissingIdTokenPermission } from './fix';

/**
 * oidc-missing-id-token-permission: a job asks GitHub for an OIDC token (a federated cloud login,
 * trusted publishing) but its effective permissions lack `id-token: write`, so the login fails at
 * run time — or someone "fixes" it by going back to keys.
 */
export const oidcMissingIdTokenPermission: Rule<Authentication> = {
  id: 'oidc-missing-id-token-permission',
  severity: 'error',
  title: 'A job requests an OIDC token without id-token: write',
  dialects: ['github-actions'],
  check({ facts }) {
    return facts.authentications
      .filter((auth) => auth.principal.kind === 'ci-job' && auth.method !== 'static' && auth.session?.idTokenGranted === false)
      .map((auth) => {
        const job = auth.principal.kind === 'ci-job' ? auth.principal.job : '';
        const what = isCloud(auth.target) ? `log in to ${CLOUD_NAMES[auth.target]} by OIDC` : `publish to ${REGISTRY_NAMES[auth.target]} by trusted publishing`;
        return {
          span: auth.anchor,
          about: auth,
          message: `Job "${job}" uses \`${auth.mechanism}\` to ${what}, but its permissions do not grant \`id-token: write\`: GitHub will not issue the token and the step fails. Add \`id-token: write\` to the job's permissions, with \`contents: read\` (declaring one scope sets the others to none).`,
        };
      });
  },
  fixers: [fixMissingIdTokenPermission],
};
