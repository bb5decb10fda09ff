import type { ValueAt } from '../../facts/model';
import type { Rule, RuleFinding } from '../rule';
import { fixLongSession } from './fix';

/** A CI job or a pod needs credentials for minutes; an hour is the ceiling worth granting. */
const ONE_HOUR = 3600;

/** long-session: credentials that outlive the job: session or token lifetimes above an hour. */
export const longSession: Rule<ValueAt> = {
  id: 'long-session',
  severity: 'warning',
  title: 'Credentials outlive the job that needs them',
  dialects: ['github-actions', 'gitlab-ci', 'terraform', 'cloudformation', 'kubernetes'],
  check({ facts }) {
    const findings: RuleFinding<ValueAt>[] = [];
    const flag = (value: ValueAt | undefined, what: string): void => {
      const seconds = value ? Number(value.value) : NaN;
      if (!value || !Number.isFinite(seconds) || seconds <= ONE_HOUR) return;
      findings.push({ span: value.span, about: value, message: `${what} is ${seconds} seconds (${(seconds / 3600).toFixed(seconds % 3600 === 0 ? 0 : 1)} h): a stolen credential stays valid that long. Lower it to ${ONE_HOUR} or less.` });
    };
    for (const identity of facts.identities) flag(identity.maxSessionDuration, `The maximum session duration of ${identity.resourceType} "${identity.name}"`);
    for (const auth of facts.authentications) flag(auth.session?.durationSeconds, `The session this job requests (${auth.mechanism})`);
    for (const token of facts.projectedTokens) flag(token.expirationSeconds, `The projected service-account token of ${token.workload}`);
    return findings;
  },
  fixers: [fixLongSession],
};
