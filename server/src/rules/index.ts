import { hardcodedSecret } from './hardcoded-secret';
import { longLivedKey } from './long-lived-key';
import { podStaticCloudCredentials } from './pod-static-cloud-credentials';
import { providerStaticCredentials } from './provider-static-credentials';
import type { Rule } from './rule';
import { staticCloudCredentials } from './static-cloud-credentials';
import { staticRegistryToken } from './static-registry-token';

/** Every rule Keyless ships, in catalog order (RULES.md). Adding a rule means adding it here. */
export const RULES: readonly Rule[] = [
  hardcodedSecret,
  staticCloudCredentials,
  staticRegistryToken,
  providerStaticCredentials,
  longLivedKey,
  podStaticCloudCredentials,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]));
