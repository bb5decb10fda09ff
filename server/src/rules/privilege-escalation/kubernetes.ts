import type { RbacRole, RbacRule, ValueAt } from '../../facts/model';
import { assessRule, explicitGrant, inWords, reachPhrase, roleName, roleReach, roleScope, scopePhrase } from '../../iam/kubernetes-rbac';
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
    let reach: string | undefined;
    for (const rule of role.rules) {
      const risks = assessRule(rule, scope).explicitRisks;
      if (risks.length === 0) continue;
      const values: ValueAt[] = risks.flatMap((entry) => entry.values).sort((a, b) => a.span.start - b.span.start);
      const [first, ...others] = values;
      const grants = risks.map(explicitGrant);
      const effect =
        risks.length === 1
          ? `, which lets the holder ${risks[0]!.risk.effect}`
          : `: ${risks
              .slice(0, 2)
              .map((entry) => `${explicitGrant(entry)} lets the holder ${entry.risk.effect}`)
              .join('; ')}`;
      const sentences = [`${roleName(role)} grants ${inWords(grants)} ${scopePhrase(role)}${effect}.`];
      reach ??= reachPhrase(roleReach(role, facts));
      if (reach) sentences.push(reach);
      sentences.push(`Remove ${values.length > 1 ? 'these grants' : 'the grant'}, or pin the rule to the objects it needs with \`resourceNames\`.`);
      findings.push({
        span: first!.span,
        message: sentences.join(' '),
        related: others.map((value) => ({ span: value.span, message: `also \`${value.value}\`, in the same rule` })),
        about: { platform: 'kubernetes', role, rule },
      });
    }
  }
  return findings;
}
