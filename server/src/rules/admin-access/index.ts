import type { Rule } from '../rule';
import { awsAdminAccess, type AwsAdminSubject } from './aws';
import { azureAdminAccess, type AzureAdminAccess } from './azure';
import { gcpAdminAccess, type GcpAdminAccess } from './gcp';
import { kubernetesAdminAccess, type KubernetesAdminBinding } from './kubernetes';

/** What an admin-access finding is about, by platform: each platform's file declares its own. */
export type AdminAccessSubject = AwsAdminSubject | GcpAdminAccess | AzureAdminAccess | KubernetesAdminBinding;

/**
 * admin-access: an identity granted full administrator access — AWS managed admin policies and
 * `*` on `*`, GCP `roles/owner` / `roles/editor`, Azure Owner / Contributor / User Access
 * Administrator at subscription or management-group scope, Kubernetes `cluster-admin`. The check
 * is the platform checks, one file each, concatenated. No fix: what to grant instead depends on
 * what the identity does, which its page explains how to find; the finding offers suppression.
 */
export const adminAccess: Rule<AdminAccessSubject> = {
  id: 'admin-access',
  severity: 'error',
  title: 'An identity is granted full administrator access',
  dialects: ['terraform', 'cloudformation', 'iam-policy', 'kubernetes'],
  check(context) {
    return [...awsAdminAccess(context.facts), ...gcpAdminAccess(context.facts), ...azureAdminAccess(context.facts), ...kubernetesAdminAccess(context)];
  },
};
