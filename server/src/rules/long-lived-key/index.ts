import type { MintedCredential } from '../../facts/model';
import type { Rule } from '../rule';
import { fixLongLivedKey } from './fix';

const REPLACEMENT: Record<MintedCredential['cloud'], string> = {
  aws: 'an IAM role assumed through OIDC federation (CI) or IRSA / EKS Pod Identity (pods), which hands out short-lived credentials',
  gcp: 'Workload Identity Federation or an attached service account, which need no key',
  azure: 'a federated identity credential or a managed identity, which need no secret',
  vault: 'JWT or OIDC auth',
  kubernetes: 'projected service-account tokens (the TokenRequest API), which expire and are bound to the pod',
};

/** long-lived-key: an IaC resource that mints a credential that does not expire on its own. */
export const longLivedKey: Rule<MintedCredential> = {
  id: 'long-lived-key',
  severity: 'error',
  title: 'A resource mints a long-lived credential',
  dialects: ['terraform', 'cloudformation', 'kubernetes'],
  check({ facts }) {
    return facts.credentials
      .filter((c): c is MintedCredential => c.origin === 'minted')
      .map((minted) => ({
        span: minted.anchor,
        about: minted,
        message:
          minted.module
            ? `Module "${minted.resourceName}" (${minted.module.source}) creates an IAM user's access key, which stays valid until someone rotates it: \`${minted.module.input}\` ${minted.module.byDefault ? 'is not set, and defaults to true' : 'is true'}. Give what uses it ${REPLACEMENT.aws}, then set \`${minted.module.input} = false\`.`
            : minted.cloud === 'kubernetes'
            ? `Secret "${minted.resourceName}" of type kubernetes.io/service-account-token holds a service-account token that never expires. Use ${REPLACEMENT.kubernetes}.`
            : `${minted.resourceType} "${minted.resourceName}" mints a long-lived credential that stays valid until someone rotates it. Replace it with ${REPLACEMENT[minted.cloud]}.`,
      }));
  },
  fixers: [fixLongLivedKey],
};
