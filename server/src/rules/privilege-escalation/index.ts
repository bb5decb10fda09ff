import type { Rule } from '../rule';
import { awsPrivilegeEscalation, type AwsPrivilegeEscalation } from './aws';
import { azurePrivilegeEscalation, type AzurePrivilegeEscalation } from './azure';
import { gcpPrivilegeEscalation, type GcpPrivilegeEscalation } from './gcp';
import { kubernetesPrivilegeEscalation, type KubernetesEscalation } from './kubernetes';

/** What a privilege-escalation finding is about, by platform: each platform's file declares its own. */
export type PrivilegeEscalationSubject = AwsPrivilegeEscalation | GcpPrivilegeEscalation | AzurePrivilegeEscalation | KubernetesEscalation;

/**
 * privilege-escalation: grants that let an identity raise its own privileges — AWS `iam:PassRole`
 * on `*` and the known escalation methods, GCP service-account impersonation and IAM-policy
 * roles on a project or above, Azure role-assignment writes, Kubernetes `escalate`, `bind`,
 * `impersonate` and the other grants the RBAC risk models name. The check is the platform checks,
 * one file each, concatenated.
 */
export const privilegeEscalation: Rule<PrivilegeEscalationSubject> = {
  id: 'privilege-escalation',
  severity: 'error',
  title: 'A grant lets an identity raise its own privileges',
  dialects: ['terraform', 'cloudformation', 'iam-policy', 'kubernetes'],
  check(context) {
    return [...awsPrivilegeEscalation(context.facts, context.catalog), ...gcpPrivilegeEscalation(context.facts), ...azurePrivilegeEscalation(context.facts), ...kubernetesPrivilegeEscalation(context)];
  },
};
