import { spanCovers, type Span } from '../core/text';
import type { Facts, PolicyStatement, ValueAt } from '../facts/model';
import { actionPattern, isEveryAction, summarizeGrant, type AwsCatalog } from '../iam/catalog';
import { managedPolicy } from '../iam/managed-policies';
import { describeGrant, isEveryResource } from '../rules/aws-statement';

/**
 * What an AWS policy value grants, for hovers, from the catalog: on one action, its service, access
 * level and the reference's description; on a wildcard or a `NotAction` value, how many actions
 * the pattern grants by access level and the risky ones named (the same words as the rules'
 * messages); on a pattern that matches nothing, that it grants nothing; on a managed policy ARN,
 * what the policy amounts to. The important line first, short: one sentence or two.
 */
export function describeAwsPolicyAt(facts: Facts, offset: number, catalog: AwsCatalog): { span: Span; line: string }[] {
  const hits: { span: Span; line: string }[] = [];
  for (const document of facts.policies) {
    for (const statement of document.statements) {
      const value = [...statement.actions, ...statement.notActions].find((v) => !v.computed && spanCovers(v.span, offset));
      if (value) hits.push({ span: value.span, line: describeActionValue(value, statement, catalog) });
    }
  }
  for (const attachment of facts.policyAttachments) {
    if (!attachment.managedPolicy || !spanCovers(attachment.policyArn.span, offset)) continue;
    const policy = managedPolicy(attachment.managedPolicy.name, attachment.managedPolicy.path);
    hits.push({ span: attachment.policyArn.span, line: policy.summary ? `AWS managed policy \`${policy.name}\`: ${policy.summary}.` : `AWS managed policy \`${policy.name}\`.` });
  }
  return hits;
}

function describeActionValue(value: ValueAt, statement: PolicyStatement, catalog: AwsCatalog): string {
  const pattern = actionPattern(value.value);
  const notAction = statement.notActions.includes(value);
  const everyResource = statement.resources.some((r) => !r.computed && isEveryResource(r.value));
  if (!pattern.wildcard && !notAction) {
    const action = catalog.action(value.value.trim());
    const problem = action ? undefined : catalog.problem(value.value);
    if (!action) return `\`${value.value}\` ${problem === 'unknown-service' ? 'names no AWS service' : problem === 'malformed' ? 'is not `service:action`' : 'is no action of its service'}: it grants nothing (a typo?).`;
    const scope = action.wildcardResourceOnly ? ' It takes no resource: only `Resource: "*"` grants it.' : '';
    return `\`${action.name}\` (${catalog.serviceName(action.service) ?? action.service}, ${action.accessLevel}): ${action.description}${scope}`;
  }
  if (isEveryAction(pattern) && !notAction) return '`*`: every action of every AWS service, and every action AWS adds.';
  const summary = summarizeGrant(catalog, notAction ? { notActions: [value.value] } : { actions: [value.value] }, { everyResource });
  const { count, risks, unknown } = describeGrant(catalog, summary);
  if (summary.total === 0) return unknown || `\`${value.value}\` matches no action: it grants nothing.`;
  const lead = notAction ? `\`NotAction\` \`${value.value}\`: every action but these, ${count}.` : `\`${value.value}\`: ${count}.`;
  return [lead, risks].filter(Boolean).join(' ');
}
