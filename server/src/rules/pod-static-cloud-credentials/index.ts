import type { Authentication, Cloud } from '../../facts/model';
import { CLOUD_NAMES, credentialList } from '../wording';
import { otherCredentials, type Rule } from '../rule';

const WORKLOAD_IDENTITY: Partial<Record<Cloud, string>> = {
  aws: 'IRSA (`eks.amazonaws.com/role-arn` on the service account) or an EKS Pod Identity association',
  gcp: 'GKE Workload Identity (`iam.gke.io/gcp-service-account` on the service account)',
  azure: 'Azure Workload Identity (`azure.workload.identity/client-id` on the service account and the `azure.workload.identity/use` pod label)',
};

/** pod-static-cloud-credentials: a Kubernetes workload receives cloud keys through env, envFrom or a Secret volume. */
export const podStaticCloudCredentials: Rule<Authentication> = {
  id: 'pod-static-cloud-credentials',
  severity: 'error',
  title: 'A workload receives long-lived cloud keys',
  dialects: ['kubernetes'],
  check({ facts }) {
    return facts.authentications
      .filter((auth) => auth.principal.kind === 'workload' && auth.method === 'static')
      .map((auth) => {
        const where = auth.principal.kind === 'workload' ? `Container "${auth.principal.container}" of ${auth.principal.workload}` : 'A container';
        const cloud = auth.target as Cloud;
        return {
          span: auth.anchor,
          message: `${where} receives long-lived ${CLOUD_NAMES[cloud]} credentials (${credentialList(auth.credentials)}). Bind a workload identity to its service account instead, ${WORKLOAD_IDENTITY[cloud] ?? 'federated credentials'}, and remove the keys.`,
          related: otherCredentials(auth, (name) => `${name}: part of the same credential`),
          about: auth,
        };
      });
  },
};
