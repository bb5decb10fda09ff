import type { Rule } from '../rule';
import { awsPrivilegeEscalation, type AwsPrivilegeEscalation } from './aws';
import { azurePrivilegeEscalation, type AzurePrivilegeEscalation } from './azure';
import { gcpPrivilegeEscalation, type GcpPrivilegeEscalation } from './gcp';

/** What a privilege-escalation finding is about, by platform: each platform's file declares its own. */
export type PrivilegeEscalationSubject = AwsPrivilegeEscalation | GcpPrivilegeEscalation | AzurePrivilegeEscalation;

/**
 * privilege-escalation: grants that let an identity raise its own privileges — AWS `iam:PassRole`
 * on `*` and the known escalation methods, GCP service-account impersonation and IAM-policy
 * roles on a project or above, Azure role-assignment writes, Kubernetes `escalate`, `bind` and
 * `impersonate`. The check is the platform checks, one file each, concatenated (on this branch:
 * AWS, Google Cloud and Azure).
 */
export const privilegeEscalation: Rule<PrivilegeEscalationSubject> = {
  id: 'privilege-escalation',
  severity: 'error',
  title: 'A grant lets an identity raise its own privileges',
  dialects: ['terraform', 'cloudformation', 'iam-policy'],
  check({ facts, catalog }) {
    return [...awsPrivilegeEscalation(facts, catalog), ...gcpPrivilegeEscalation(facts), ...azurePrivilegeEscalation(facts)];
  },
};
