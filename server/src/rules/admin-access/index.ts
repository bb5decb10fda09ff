import type { Rule } from '../rule';
import { kubernetesAdminAccess, type KubernetesAdminBinding } from './kubernetes';

/** What an admin-access finding is about, per platform (each declared in its platform's file). */
export type AdminAccessSubject = KubernetesAdminBinding;

/**
 * admin-access: an identity granted full administrative access. Each platform's check lives
 * beside this file (`kubernetes.ts`); the rule reports them all.
 */
export const adminAccess: Rule<AdminAccessSubject> = {
  id: 'admin-access',
  severity: 'error',
  title: 'An identity has full admin access',
  dialects: ['kubernetes'],
  check(context) {
    return [...kubernetesAdminAccess(context)];
  },
};
