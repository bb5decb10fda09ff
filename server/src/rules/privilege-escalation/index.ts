import type { Rule } from '../rule';
import { kubernetesPrivilegeEscalation, type KubernetesEscalation } from './kubernetes';

/** What a privilege-escalation finding is about, per platform (each declared in its platform's file). */
export type EscalationSubject = KubernetesEscalation;

/**
 * privilege-escalation: grants that let an identity raise its own privileges. Each platform's
 * check lives beside this file (`kubernetes.ts`); the rule reports them all.
 */
export const privilegeEscalation: Rule<EscalationSubject> = {
  id: 'privilege-escalation',
  severity: 'error',
  title: 'An identity can raise its own privileges',
  dialects: ['kubernetes'],
  check(context) {
    return [...kubernetesPrivilegeEscalation(context)];
  },
};
