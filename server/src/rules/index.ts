import { adminAccess } from './admin-access';
import { defaultServiceAccount } from './default-service-account';
import { hardcodedSecret } from './hardcoded-secret';
import { longLivedKey } from './long-lived-key';
import { longSession } from './long-session';
import { oidcMissingIdTokenPermission } from './oidc-missing-id-token-permission';
import { oidcTrustMissingAudience } from './oidc-trust-missing-audience';
import { oidcTrustUnscoped } from './oidc-trust-unscoped';
import { podStaticCloudCredentials } from './pod-static-cloud-credentials';
import { privilegeEscalation } from './privilege-escalation';
import { providerStaticCredentials } from './provider-static-credentials';
import { rbacWildcard } from './rbac-wildcard';
import type { Rule } from './rule';
import { saTokenAutomount } from './sa-token-automount';
import { staticCloudCredentials } from './static-cloud-credentials';
import { staticRegistryToken } from './static-registry-token';
import { unattributedSession } from './unattributed-session';
import { wildcardAction } from './wildcard-action';
import { wildcardResource } from './wildcard-resource';
import { workflowPermissions } from './workflow-permissions';

/**
 * Every rule Keyless ships, in catalog order (RULES.md): the one list of rules, each with its own
 * fixers. Adding a rule means its folder `rules/<id>/`, its page, its fixtures, and one line here.
 */
export const RULES: readonly Rule[] = [
  hardcodedSecret,
  staticCloudCredentials,
  staticRegistryToken,
  providerStaticCredentials,
  longLivedKey,
  podStaticCloudCredentials,
  oidcMissingIdTokenPermission,
  oidcTrustUnscoped,
  oidcTrustMissingAudience,
  longSession,
  unattributedSession,
  adminAccess,
  wildcardAction,
  wildcardResource,
  privilegeEscalation,
  rbacWildcard,
  workflowPermissions,
  saTokenAutomount,
  defaultServiceAccount,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]));
