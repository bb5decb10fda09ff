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
