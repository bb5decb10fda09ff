import type { RbacRole, RbacRule } from '../../facts/model';
import { assessRule, describeRule, grantsEverything, inWords, listOf, reachPhrase, roleName, roleReach, roleScope, scopePhrase, type RoleReach } from '../../iam/kubernetes-rbac';
import type { Rule, RuleFinding } from '../rule';

/** What an rbac-wildcard finding is about: one rule of a Role or ClusterRole. */
export interface RbacRuleOfRole {
  role: RbacRole;
  rule: RbacRule;
}

/**
 * rbac-wildcard: a Role or ClusterRole rule with `*` in its verbs, resources or API groups (which
 * also grants what is added later: new custom resources, new verbs), or one that reads every
 * Secret cluster-wide or in kube-system. Every rule of every role is read; one finding per rule,
 * on its first wildcard (or on `secrets`). A `*` that covers a privilege-escalation grant
 * (`escalate`, `bind`, `impersonate`, `pods/exec`…) is reported here, at error severity, with the
 * grant named: `privilege-escalation` reports the grants written out.
 */
export const rbacWildcard: Rule<RbacRuleOfRole> = {
  id: 'rbac-wildcard',
  severity: 'warning',
  title: 'A Kubernetes role grants `*` or reads every Secret',
  dialects: ['kubernetes'],
  check({ facts }) {
    const findings: RuleFinding<RbacRuleOfRole>[] = [];
    for (const role of facts.rbacRoles) {
      const scope = roleScope(role);
      let reach: RoleReach | undefined;
      const reached = (): string => reachPhrase((reach ??= roleReach(role, facts)));
      const where = scopePhrase(role);
      for (const rule of role.rules) {
        const assessment = assessRule(rule, scope);
        // A subresource wildcard (`*/exec`) that privilege-escalation reports is not reported twice.
        const escalations = new Set(assessment.explicitRisks.flatMap((entry) => entry.values.map((value) => value.span.start)));
        const [first, ...others] = assessment.wildcards.filter((value) => !escalations.has(value.span.start));
        if (first) {
          const everything = grantsEverything(rule);
          const implied = assessment.impliedRisks;
          const sentences = [`${roleName(role)} grants ${describeRule(rule)} ${where}${everything ? (scope === 'cluster' ? ': as much as cluster-admin' : ', its Roles, RoleBindings and Secrets included') : ''}.`];
          sentences.push('A `*` also grants whatever is added later (new custom resources, new verbs).');
          const includes = [...implied.map((risk) => risk.label), ...(assessment.secretsRead && !assessment.secretsRead.value ? [`reading every Secret ${where}`] : [])];
          if (everything) {
            // As much as cluster-admin (or a namespace's admin) says it all.
          } else if (implied.length > 0) sentences.push(`That includes ${inWords(includes)}: ${implied[0]!.label} lets the holder ${implied[0]!.effect}.`);
          else if (includes.length > 0) sentences.push(`That includes ${inWords(includes)}.`);
          const reachText = reached();
          if (reachText) sentences.push(reachText);
          sentences.push('List the API groups, resources and verbs it needs instead.');
          findings.push({
            span: first.span,
            message: sentences.join(' '),
            ...(everything || implied.length > 0 ? { severity: 'error' as const } : {}),
            related: others.map((value) => ({ span: value.span, message: `also \`${value.value}\` in the same rule` })),
            about: { role, rule },
          });
          continue;
        }
        const secrets = assessment.secretsRead?.value;
        if (!secrets) continue;
        const verbs = listOf(rule.verbs.filter((v) => ['get', 'list', 'watch'].includes(v.value)).map((v) => v.value));
        const sentences = [
          `${roleName(role)} reads every Secret ${where} (${verbs} on \`secrets\`): every credential stored there, service-account tokens and registry passwords included.`,
        ];
        const reachText = reached();
        if (reachText) sentences.push(reachText);
        sentences.push('Name the Secrets it needs in `resourceNames`, or grant it with a Role in the namespace that holds them.');
        findings.push({ span: secrets.span, message: sentences.join(' '), about: { role, rule } });
      }
    }
    return findings;
  },
};
