import { spanCovers, type Span } from '../core/text';
import { code } from '../rules/wording';
import type { Facts } from '../facts/model';
import { assessRule, describeRule, explicitGrant, inWords, roleScope, scopePhrase } from '../iam/kubernetes-rbac';

/**
 * On a rule of a Role or ClusterRole: what it grants, where, and the grants the RBAC risk models
 * name (written out, or given by a `*`). At most three lines, the grant first.
 */
export function describeRbacRuleAt(facts: Facts, offset: number): { span: Span; line: string }[] {
  for (const role of facts.rbacRoles) {
    const rule = role.rules.find((r) => spanCovers(r.span, offset));
    if (!rule) continue;
    const assessment = assessRule(rule, roleScope(role));
    const lines = [`This rule of ${role.kind} ${code(role.name)} grants ${describeRule(rule)} ${scopePhrase(role)}.`];
    const risky = [...assessment.explicitRisks.map((entry) => ({ grant: explicitGrant(entry), effect: entry.risk.effect })), ...assessment.impliedRisks.map((risk) => ({ grant: `${risk.label}, through \`*\`,`, effect: risk.effect }))];
    const [first, ...others] = risky;
    if (first) lines.push(`Privilege escalation: ${first.grant} lets the holder ${first.effect}${others.length > 0 ? `; also ${inWords(others.map((r) => r.grant.replace(/,$/, '')))}` : ''}.`);
    if (assessment.secretsRead) lines.push(`It reads every Secret ${scopePhrase(role)}.`);
    return lines.map((line) => ({ span: rule.span, line }));
  }
  return [];
}

