import type { RbacRole, RbacRule, ValueAt } from '../../facts/model';
import { assessRule, reachPhrase, roleName, roleReach, roleScope } from '../../iam/kubernetes-rbac';
import type { RuleContext, RuleFinding } from '../rule';

/** A Kubernetes Role or ClusterRole rule that writes out a grant the RBAC risk models rate as privilege escalation. */
export interface KubernetesEscalation {
  platform: 'kubernetes';
  role: RbacRole;
  rule: RbacRule;
}

/**
 * The Kubernetes part of privilege-escalation: the `escalate`, `bind` and `impersonate` verbs, and
 * the subresources that hand over other identities (`serviceaccounts/token`, `pods/exec`,
 * `pods/attach`, `pods/ephemeralcontainers`, `nodes/proxy`, CSR approval, admission webhook
 * configurations), as `iam/kubernetes-rbac.ts` rates them. One finding per rule, on the first
 * risky value written; a grant that only a `*` gives is `rbac-wildcard`'s (one finding per `*`).
 */
export function kubernetesPrivilegeEscalation({ facts }: RuleContext): RuleFinding<KubernetesEscalation>[] {
  const findings: RuleFinding<KubernetesEscalation>[] = [];
  for (const role of facts.rbacRoles) {
    const scope = roleScope(role);
    for (const rule of role.rules) {
      const risks = assessRule(rule, scope).explicitRisks;
      if (risks.length === 0) continue;
      const values: { value: ValueAt; label: string }[] = risks.flatMap(({ risk, values }) => values.map((value) => ({ value, label: risk.label })));
      values.sort((a, b) => a.value.span.start - b.value.span.start);
      const [first, ...others] = values;
      const where = scope === 'cluster' ? 'cluster-wide' : role.namespace ? `in namespace ${role.namespace}` : 'in its namespace';
      const labels = risks.map(({ risk }) => risk.label);
      const effects = risks.slice(0, 2).map(({ risk }) => `${risk.label} lets the holder ${risk.effect}`);
      const sentences = [`${roleName(role)} grants ${labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}` : labels[0]} ${where}: ${effects.join('; ')}.`];
      const reach = reachPhrase(roleReach(role, facts));
      if (reach) sentences.push(reach);
      sentences.push(`Remove ${risks.length > 1 || first!.value.value !== labels[0] ? 'these grants' : 'it'}, or pin the rule to the objects it needs with \`resourceNames\`.`);
      findings.push({
        span: first!.value.span,
        message: sentences.join(' '),
        related: others.map(({ value, label }) => ({ span: value.span, message: `${label}, in the same rule` })),
        about: { platform: 'kubernetes', role, rule },
      });
    }
  }
  return findings;
}
