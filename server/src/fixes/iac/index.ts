import type { FixerSet } from '../index';
import { fixMissingAudience } from './audience';
import { fixLongLivedKey } from './long-lived-key';
import { fixUnscopedTrust } from './unscoped';

/** The fixes whose findings are in IaC: trusts narrowed and checked, minted keys replaced by federation. */
export const iacFixers: FixerSet = [
  ['oidc-trust-missing-audience', fixMissingAudience],
  ['oidc-trust-unscoped', fixUnscopedTrust],
  ['long-lived-key', fixLongLivedKey],
];
