import type { PolicyCondition } from '../facts/model';

/**
 * The grammar of an IAM condition operator, as the IAM User Guide writes it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 * and reference_policies_condition-single-vs-multi-valued-context-keys.html for the set
 * qualifiers): `[ForAllValues:|ForAnyValue:]Operator[IfExists]`.
 */

/** `ForAllValues:StringLikeIfExists` → qualifier, operator, ifExists. */
export function parseOperator(raw: string): Pick<PolicyCondition, 'operator' | 'qualifier' | 'ifExists'> {
  let rest = raw;
  let qualifier: PolicyCondition['qualifier'];
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    const prefix = rest.slice(0, colon);
    if (prefix === 'ForAllValues' || prefix === 'ForAnyValue') qualifier = prefix;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists');
  const operator = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  return { operator, ...(qualifier ? { qualifier } : {}), ifExists };
}

/**
 * Whether a condition pins what a statement reaches to named resources or principals, so that a
 * broad grant under it is narrower than it reads: a statement scoped by one is reported one
 * severity lower, the condition named (RULES.md, "Over-privilege").
 *
 * The keys, from the IAM User Guide's global condition keys
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) and
 * the service authorization reference for the service-specific ones:
 * - resources: `aws:ResourceTag/…` and every service's `<service>:ResourceTag/…`,
 *   `aws:ResourceAccount`, `aws:ResourceOrgID`, `aws:ResourceOrgPaths`, `aws:SourceArn`,
 *   `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceOrgPaths`, `s3:prefix`,
 *   `s3:ExistingObjectTag/…`, `cloudwatch:namespace`;
 * - principals: `aws:PrincipalTag/…`, `aws:PrincipalArn`, `aws:PrincipalAccount`,
 *   `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalServiceName`, `aws:userid`,
 *   `aws:username`.
 * Not pinning: where and how a request is made (`aws:RequestedRegion` — every resource of the
 * region is still reachable —, `aws:SourceIp`, `aws:SourceVpc(e)`, `aws:MultiFactorAuthPresent`,
 * `aws:SecureTransport`, `aws:CurrentTime`), and what a request asks to create
 * (`aws:RequestTag/…`, `aws:TagKeys`).
 *
 * A condition pins only when it must match: a positive string or ARN operator (not a negation,
 * not `…IfExists`, which passes when the key is absent, not `ForAllValues:`, which passes when it
 * is empty) with at least one value that is not a bare wildcard.
 */
export function pinsScope(condition: PolicyCondition): 'resources' | 'principals' | undefined {
  const key = condition.key.toLowerCase();
  const pins = PINNING_KEYS.find(([pattern]) => pattern.test(key))?.[1];
  if (!pins || !PINNING_OPERATORS.has(condition.operator) || condition.ifExists || condition.qualifier === 'ForAllValues') return undefined;
  return condition.values.some((v) => v.computed || !/^[*?]*$/.test(v.value)) ? pins : undefined;
}

const PINNING_KEYS: readonly (readonly [RegExp, 'resources' | 'principals'])[] = [
  [/^[a-z0-9-]+:resourcetag\/./, 'resources'],
  [/^aws:(?:resourceaccount|resourceorgid|resourceorgpaths|sourcearn|sourceaccount|sourceorgid|sourceorgpaths)$/, 'resources'],
  [/^s3:(?:prefix|existingobjecttag\/.+)$/, 'resources'],
  [/^cloudwatch:namespace$/, 'resources'],
  [/^aws:(?:principaltag\/.+|principalarn|principalaccount|principalorgid|principalorgpaths|principalservicename|userid|username)$/, 'principals'],
];

const PINNING_OPERATORS = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);
