import { isPodSite } from '../../dialects/kubernetes/facts';
import type { WorkloadPod } from '../../facts/model';
import type { Fixer } from '../../fixes/fixer';
import { setPodSpecScalar } from '../../fixes/kubernetes';

/**
 * `automountServiceAccountToken: false` in the pod spec: the existing value replaced, or the key
 * added as the spec's first. Unsafe: a container that does call the API (in a way the file does
 * not show) loses its token.
 */
export const fixAutomount: Fixer<WorkloadPod> = ({ about: pod, text }) => {
  if (!isPodSite(pod.syntax)) return [];
  const edit = setPodSpecScalar(text, pod.syntax, 'automountServiceAccountToken', 'false');
  if (!edit) return [];
  return [
    {
      title: 'Set automountServiceAccountToken: false in the pod spec',
      safe: false,
      edits: [edit],
      followUps: [
        `If a container of ${pod.kind} "${pod.name}" calls the Kubernetes API after all, it has no token now: set automountServiceAccountToken back to true for this pod, or mount a projected service-account token where it reads it.`,
      ],
    },
  ];
};
