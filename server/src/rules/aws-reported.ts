import type { Facts, PolicyStatement } from '../facts/model';
import type { AwsCatalog } from '../iam/catalog';
import { awsAdminAccess } from './admin-access/aws';
import { awsPrivilegeEscalation } from './privilege-escalation/aws';

/**
 * The AWS statements `admin-access` or `privilege-escalation` report: RULES.md's "a statement
 * reported as `admin-access` or `privilege-escalation` is not reported again as `wildcard-action`
 * or `wildcard-resource`". Both wildcard rules ask, on the same facts, so the answer is remembered
 * per facts object (the engine makes one per analysis).
 */
const remembered = new WeakMap<Facts, ReadonlySet<PolicyStatement>>();

export function statementsReportedElsewhere(facts: Facts, catalog: AwsCatalog): ReadonlySet<PolicyStatement> {
  let reported = remembered.get(facts);
  if (!reported) {
    const statements = new Set<PolicyStatement>();
    for (const finding of awsAdminAccess(facts)) if (finding.about.kind === 'statement') statements.add(finding.about.statement);
    for (const finding of awsPrivilegeEscalation(facts, catalog)) statements.add(finding.about.statement);
    remembered.set(facts, (reported = statements));
  }
  return reported;
}
