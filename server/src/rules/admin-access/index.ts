import type { Rule } from '../rule';
import { awsAdminAccess, type AwsAdminSubject } from './aws';

/**
 * admin-access: an identity granted full administrator access. One rule over every platform: each
 * platform's check lives in its own file (`aws.ts`, …) with the subject type of its findings; the
 * rule's check concatenates them.
 */
export type AdminAccessSubject = AwsAdminSubject;

export const adminAccess: Rule<AdminAccessSubject> = {
  id: 'admin-access',
  severity: 'error',
  title: 'An identity is granted full administrator access',
  dialects: ['terraform', 'cloudformation', 'iam-policy'],
  check({ facts }) {
    return [...awsAdminAccess(facts)];
  },
};
