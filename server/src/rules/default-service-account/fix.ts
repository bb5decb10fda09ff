import { isPodSite } from '../../dialects/kubernetes/facts';
import type { Fixer, ProposedEdit } from '../../fixes/fixer';
import { indentUnit, insertObjectBefore, setPodSpecScalar } from '../../fixes/kubernetes';
import { yamlString } from '../../fixes/yaml-edit';
import type { KubeServiceAccount, WorkloadPod } from '../../facts/model';

/** What a default-service-account finding is about: the pod, and a ServiceAccount of the file named after its workload, if there is one. */
export interface DefaultAccountPod {
  pod: WorkloadPod;
  namesake?: KubeServiceAccount;
}

/** Names a ServiceAccount may have: a DNS subdomain (RFC 1123), as Kubernetes validates it. */
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A ServiceAccount of its own for the workload, named after it: written right before the workload
 * (a document of its own, or an item of the same `kind: List`; before, so that `kubectl apply`
 * creates it first: a Pod naming a missing account is refused) and named in `serviceAccountName`.
 * Where the file already has a ServiceAccount of that name, the pod is pointed at it. Unsafe: the
 * workload loses what was bound to `default` (roles, cloud identities, imagePullSecrets).
 */
export const fixDedicatedAccount: Fixer<DefaultAccountPod> = ({ about: { pod, namesake }, text }) => {
  const site = pod.syntax;
  if (!isPodSite(site) || !DNS_SUBDOMAIN.test(pod.name) || pod.name.length > 253) return [];
  const name = pod.name;
  // The key already written (`serviceAccountName: default`, or the deprecated `serviceAccount`) gets the new name.
  const key = site.podSpec.pairs.some((pair) => pair.key === 'serviceAccountName') || !site.podSpec.pairs.some((pair) => pair.key === 'serviceAccount') ? 'serviceAccountName' : 'serviceAccount';
  const setName = setPodSpecScalar(text, site, key, yamlString(name));
  if (!setName) return [];
  const edits: ProposedEdit[] = [setName];
  if (!namesake) {
    const unit = indentUnit(text, site.object);
    const lines = ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', `${unit}name: ${yamlString(name)}`];
    if (pod.namespace !== undefined) lines.push(`${unit}namespace: ${yamlString(pod.namespace)}`);
    const account = insertObjectBefore(text, site.object, lines);
    if (!account) return [];
    edits.push(account);
  }
  const workload = `${pod.kind} "${name}"`;
  return [
    {
      title: namesake ? `Run as ServiceAccount "${name}", defined in this file` : `Run as a new ServiceAccount "${name}", written beside it`,
      safe: false,
      edits,
      followUps: [
        `${workload} no longer runs as "default": if it called the Kubernetes API or used a cloud identity as "default", bind those roles (or annotate the identity) to ServiceAccount "${name}".`,
        `If the namespace's default service account carries imagePullSecrets, add them to "${name}" too: ${workload} pulls its images with them.`,
      ],
    },
  ];
};
