import type { KubeServiceAccount, WorkloadPod } from '../../facts/model';
import { accountIsBound, serviceAccountOf } from '../../iam/kubernetes-rbac';
import type { Rule, RuleFinding } from '../rule';
import { fixAutomount } from './fix';

/**
 * sa-token-automount: a pod that mounts its service account's token although nothing shows it
 * uses one. Judged with the file's own ServiceAccount when it has it (the pod's setting wins over
 * the account's); what decides that the pod uses the token: a RoleBinding or ClusterRoleBinding
 * of the file that names its account (it was given permissions to call the API), a workload
 * identity on the account or the pod, a container that mounts the token's path or runs kubectl.
 */
export const saTokenAutomount: Rule<WorkloadPod> = {
  id: 'sa-token-automount',
  severity: 'info',
  title: 'A pod mounts a service-account token it does not use',
  dialects: ['kubernetes'],
  check({ facts }) {
    const findings: RuleFinding<WorkloadPod>[] = [];
    for (const pod of facts.workloadPods) {
      if (pod.automountToken?.value === 'false') continue;
      const accountName = pod.serviceAccountName?.value ?? 'default';
      const account = serviceAccountOf(facts, accountName, pod.namespace);
      if (!pod.automountToken && account?.automountToken?.value === 'false') continue;
      if (pod.tokenUses.length > 0 || (account && account.workloadIdentity.length > 0)) continue;
      if (accountIsBound(facts, accountName, pod.namespace)) continue;
      findings.push({ span: pod.anchor, message: message(pod, accountName, account), about: pod });
    }
    return findings;
  },
  fixers: [fixAutomount],
};

function message(pod: WorkloadPod, accountName: string, account: KubeServiceAccount | undefined): string {
  const why = pod.automountToken
    ? `its pod spec sets automountServiceAccountToken: ${pod.automountToken.value}`
    : account?.automountToken
      ? `ServiceAccount "${accountName}" sets automountServiceAccountToken: ${account.automountToken.value} and the pod spec does not override it`
      : account
        ? `neither the pod spec nor ServiceAccount "${accountName}" sets automountServiceAccountToken, and Kubernetes mounts it by default`
        : accountName === 'default'
          ? 'the pod spec does not set automountServiceAccountToken, and Kubernetes mounts it by default'
          : `the pod spec does not set automountServiceAccountToken, and ServiceAccount "${accountName}" is not in this file to say otherwise`;
  return (
    `${pod.kind} "${pod.name}" mounts a token of service account "${accountName}" in every container (${why}), ` +
    'yet nothing in this file shows it calls the Kubernetes API (no binding for the account, no workload identity, no kubectl): ' +
    'any code running in the pod can use the token. Set automountServiceAccountToken: false in the pod spec.'
  );
}
