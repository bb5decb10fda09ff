import { serviceAccountOf } from '../../iam/kubernetes-rbac';
import type { Rule, RuleFinding } from '../rule';
import { fixDedicatedAccount, type DefaultAccountPod } from './fix';

export type { DefaultAccountPod } from './fix';

/**
 * default-service-account: a workload whose pod runs as its namespace's `default` service account
 * (no `serviceAccountName`, or `default`), an identity every such pod of the namespace shares and
 * nobody owns. The deprecated `serviceAccount` field counts as a name.
 */
export const defaultServiceAccount: Rule<DefaultAccountPod> = {
  id: 'default-service-account',
  severity: 'info',
  title: "A workload runs as the namespace's default service account",
  dialects: ['kubernetes'],
  check({ facts }) {
    const findings: RuleFinding<DefaultAccountPod>[] = [];
    for (const pod of facts.workloadPods) {
      if (pod.serviceAccountName && pod.serviceAccountName.value !== 'default') continue;
      const how = pod.serviceAccountName ? 'serviceAccountName: default' : 'it names no serviceAccountName';
      const namesake = pod.name ? serviceAccountOf(facts, pod.name, pod.namespace) : undefined;
      findings.push({
        span: pod.anchor,
        message:
          `${pod.kind} "${pod.name}" runs as its namespace's "default" service account (${how}): an identity it shares with every pod that names none, ` +
          'with whatever roles and cloud permissions anyone binds to it. Give it a ServiceAccount of its own.',
        about: { pod, ...(namesake ? { namesake } : {}) },
      });
    }
    return findings;
  },
  fixers: [fixDedicatedAccount],
};
