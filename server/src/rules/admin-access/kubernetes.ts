import type { RbacBinding } from '../../facts/model';
import { subjectsPhrase } from '../../iam/kubernetes-rbac';
import type { RuleContext, RuleFinding } from '../rule';

/** A RoleBinding or ClusterRoleBinding that grants the built-in `cluster-admin` ClusterRole. */
export interface KubernetesAdminBinding {
  platform: 'kubernetes';
  binding: RbacBinding;
}

/**
 * The Kubernetes part of admin-access: a binding to `cluster-admin`, on the roleRef's name. A
 * custom ClusterRole granting `*` on `*` is `rbac-wildcard`'s (at error severity): admin-access
 * is the built-in name, which every cluster has and whose rules nobody reads.
 */
export function kubernetesAdminAccess({ facts }: RuleContext): RuleFinding<KubernetesAdminBinding>[] {
  const findings: RuleFinding<KubernetesAdminBinding>[] = [];
  for (const binding of facts.rbacBindings) {
    if (binding.roleRef.kind !== 'ClusterRole' || binding.roleRef.name.value !== 'cluster-admin') continue;
    const who = subjectsPhrase(binding);
    const message =
      binding.kind === 'ClusterRoleBinding'
        ? `ClusterRoleBinding "${binding.name}" grants cluster-admin to ${who}: every verb on every resource in every namespace, RBAC and Secrets included, so a stolen token of theirs controls the whole cluster. Bind a role with the resources and verbs they need instead.`
        : `RoleBinding "${binding.name}" grants cluster-admin to ${who} ${binding.namespace ? `in namespace ${binding.namespace}` : 'in its namespace'}: every verb on every resource there, its Roles, RoleBindings and Secrets included. Bind the built-in \`edit\` role, or a Role with what they need, instead.`;
    findings.push({ span: binding.roleRef.name.span, message, about: { platform: 'kubernetes', binding } });
  }
  return findings;
}
