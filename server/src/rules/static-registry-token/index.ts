import type { Authentication, PackageRegistry } from '../../facts/model';
import { credentialList, isCloud, REGISTRY_NAMES } from '../wording';
import type { Rule } from '../rule';
import { rewritePublishing } from './github-actions';
import { gitlabRegistryFixer } from './gitlab-ci';

/**
 * static-registry-token: a package is published with a long-lived registry token although the
 * registry supports trusted publishing (a short-lived token minted from the CI's OIDC identity).
 */
export const staticRegistryToken: Rule<Authentication> = {
  id: 'static-registry-token',
  severity: 'warning',
  title: 'A package is published with a long-lived registry token',
  dialects: ['github-actions', 'gitlab-ci'],
  check({ facts }) {
    return facts.authentications
      .filter((auth) => auth.principal.kind === 'ci-job' && auth.method === 'static' && !isCloud(auth.target))
      .map((auth) => {
        const registry = REGISTRY_NAMES[auth.target as PackageRegistry];
        const job = auth.principal.kind === 'ci-job' && auth.principal.job !== '*' ? `Job "${auth.principal.job}"` : 'This pipeline';
        const how =
          auth.principal.kind === 'ci-job' && auth.principal.platform === 'gitlab-ci'
            ? `request an \`id_tokens\` token for ${registry}, register this project as a trusted publisher, and drop the token`
            : 'grant `id-token: write`, register this workflow as a trusted publisher, and drop the token';
        return {
          span: auth.anchor,
          message: `${job} publishes to ${registry} (${auth.mechanism}) with a long-lived token (${credentialList(auth.credentials)}). ${registry} supports trusted publishing: ${how}.`,
          about: auth,
        };
      });
  },
  // GitHub Actions' rewrite to trusted publishing, then GitLab CI's: each offers nothing in the other's files.
  fixers: [rewritePublishing, gitlabRegistryFixer],
};
