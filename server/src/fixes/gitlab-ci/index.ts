import type { PlanFederation } from '../federation/federation';
import type { FixerSet } from '../index';
import { gitlabCloudFixer } from './cloud';
import { gitlabRegistryFixer } from './registries';

/**
 * GitLab CI's rewrites to OIDC: cloud keys to an `id_tokens:` login (the cloud side planned by
 * `plan`), registry tokens to trusted publishing.
 */
export function gitlabFixers(plan: PlanFederation): FixerSet {
  return [
    ['static-cloud-credentials', gitlabCloudFixer(plan)],
    ['static-registry-token', gitlabRegistryFixer],
  ];
}
