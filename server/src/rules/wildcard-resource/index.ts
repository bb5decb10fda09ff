import { scopeDownResources } from '../../fixes/scope-down';
import type { Facts, PolicyDocument, PolicyStatement, ValueAt } from '../../facts/model';
import { specAllows, type AwsCatalog, type CatalogAction } from '../../iam/catalog';
import { pinsScope } from '../../iam/condition';
import { statementsReportedElsewhere } from '../aws-reported';
import { actionSpec, identityAllows, listNames, listValues, policySubject, resourceName, statementFinding, statementReach, type AwsStatementSubject } from '../aws-statement';
import type { Rule, RuleFinding } from '../rule';

/**
 * wildcard-resource, two ways a policy reaches everything instead of what it names:
 * - An Allow in an identity's policy of write, tagging or permissions-management actions on
 *   `Resource: "*"` (or an ARN of wildcards only, `NotResource`, or an ARN that names every
 *   resource of the action's types: `arn:aws:kms:*:*:*`) where the action can be
 *   scoped to resources. Never for actions with no resource types (they accept `*` alone:
 *   `ecr:GetAuthorizationToken`, `xray:PutTraceSegments`, `ec2:DescribeInstances` — the most common
 *   false positive of other scanners), never for read and list actions (RULES.md's decisions).
 *   Anchor: the `*` resource value.
 * - A resource policy (bucket, key, queue, topic, repository, Lambda permission) whose Allow
 *   names `Principal: "*"` without a condition that narrows who: anyone, any account, anonymous
 *   callers. The message names the class, a public resource policy; the wildcard is in the
 *   principal, not the resource, but the question is the same — everyone instead of the ones that
 *   need it — and admin-access leaves it to the wildcard rules. Anchor: the `*` principal.
 * Not reported: statements `admin-access` or `privilege-escalation` report (one problem, one
 * finding), Deny, trust policies, caps. A condition that pins resources or principals lowers an
 * identity statement to info.
 */
export const wildcardResource: Rule<AwsStatementSubject> = {
  id: 'wildcard-resource',
  severity: 'warning',
  title: 'A policy grants write access on every resource, or to everyone',
  dialects: ['terraform', 'cloudformation', 'iam-policy'],
  fixers: [scopeDownResources],
  check({ facts, catalog }) {
    return [...identityWildcards(facts, catalog), ...publicResourcePolicies(facts)];
  },
};

/** The access levels that change something: what `Resource: "*"` should not hand out when it can be named. */
const CHANGING = new Set(['Write', 'Tagging', 'Permissions management']);
const LEVEL_ORDER = ['Permissions management', 'Write', 'Tagging'];

const isScopableChange = (action: CatalogAction): boolean => CHANGING.has(action.accessLevel) && !action.wildcardResourceOnly;

/** Permissions management first: the actions a reviewer most needs to see named. */
const byLevel = (a: CatalogAction, b: CatalogAction): number => LEVEL_ORDER.indexOf(a.accessLevel) - LEVEL_ORDER.indexOf(b.accessLevel);

function identityWildcards(facts: Facts, catalog: AwsCatalog): RuleFinding<AwsStatementSubject>[] {
  const findings: RuleFinding<AwsStatementSubject>[] = [];
  const reported = statementsReportedElsewhere(facts, catalog);
  for (const { document, statement } of identityAllows(facts)) {
    if (reported.has(statement)) continue;
    const found = judgeStatement(document, statement, catalog);
    if (found) findings.push(found);
  }
  return findings;
}

function judgeStatement(document: PolicyDocument, statement: PolicyStatement, catalog: AwsCatalog): RuleFinding<AwsStatementSubject> | undefined {
  const spec = actionSpec(statement);
  if (!spec) return undefined;
  const { reach, resource } = statementReach(statement);
  let anchor: ValueAt | undefined;
  let scopable: CatalogAction[] = [];
  let where = '';
  if (reach === 'every') {
    anchor = resource ?? statement.notResources.find((r) => !r.computed);
    scopable = catalog.granted(spec).filter(isScopableChange).sort(byLevel);
    where = resource ? `on every resource (\`${resource.value}\`)` : `on every resource but ${listValues(statement.notResources)} (\`NotResource\`)`;
  } else if (reach === 'named') {
    // An ARN that names every resource of the action's types (`arn:aws:kms:*:111122223333:key/*`,
    // `arn:aws:s3:::*`). Only a wildcard can, and an ARN whose service is written reaches that
    // service's actions alone: those are the ones asked (a NotAction grant holds thousands).
    for (const value of statement.resources) {
      if (value.computed || !/[*?]/.test(value.value)) continue;
      const service = /^arn:[^:]*:([^:*?]+):/.exec(value.value)?.[1];
      // An ARN of its service names actions of that prefix (the few services whose ARNs carry
      // another name are missed, never wrongly reported). A value with no written service (`*?`,
      // `arn:aws:*:eu-west-1:*:*`) would take every action of AWS through ARN matching, per
      // keystroke: left unasked.
      if (service === undefined) continue;
      const candidates = catalog.actionsOf(service).filter((a) => specAllows(spec, a.name) && isScopableChange(a));
      const every = candidates.filter((a) => catalog.resourceScope(a, value.value) === 'every');
      if (every.length > 0) {
        anchor = value;
        scopable = every.sort(byLevel);
        break;
      }
    }
    where = anchor ? `on every resource of ${scopable.length === 1 ? 'its type' : 'their types'} (\`${anchor.value}\`)` : '';
  }
  if (!anchor || scopable.length === 0) return undefined;
  const levels = [...new Set(scopable.map((a) => a.accessLevel.toLowerCase()))];
  const what =
    scopable.length === 1
      ? `${policySubject(document.owner)} allows ${scopable[0]!.name}, a ${levels[0]} action, ${where}, where it could name the resources it changes.`
      : `${policySubject(document.owner)} allows ${scopable.length} ${joinWords(levels)} actions ${where}, where they could name the resources they change: ${listNames(scopable.map((a) => a.name))}.`;
  return statementFinding('info', document, statement, anchor, [], what, 'Narrow `Resource` to the ARNs it changes.');
}

function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Actions only a trust policy grants: a statement of these, whatever holds it, is who may assume a role. */
const TRUST_ACTION = /^sts:(?:AssumeRole\w*|TagSession|SetSourceIdentity|SetContext)$/i;

/** Conditions that narrow who may call, beyond those that pin resources or principals: the network a request must come from. */
const NETWORK_KEYS = /^aws:(?:sourcevpce?|sourceip|vpcsourceip)$/i;

function publicResourcePolicies(facts: Facts): RuleFinding<AwsStatementSubject>[] {
  const findings: RuleFinding<AwsStatementSubject>[] = [];
  for (const document of facts.policies) {
    const kind = document.owner.kind;
    if (kind !== 'resource-policy' && kind !== 'policy-document') continue;
    for (const statement of document.statements) {
      if (statement.effect !== 'Allow') continue;
      const everyone = statement.principals.flatMap((p) => (p.type === '*' || p.type === 'AWS' ? p.values : [])).find((v) => !v.computed && v.value.trim() === '*');
      if (!everyone) continue;
      const actions = statement.actions.filter((a) => !a.computed);
      if (kind === 'policy-document' && actions.length > 0 && actions.every((a) => TRUST_ACTION.test(a.value))) continue;
      if (statement.conditions.some((c) => pinsScope(c) !== undefined || (NETWORK_KEYS.test(c.key) && !/^Not/.test(c.operator)))) continue;
      findings.push(publicFinding(document, statement, everyone));
    }
  }
  return findings;
}

function publicFinding(document: PolicyDocument, statement: PolicyStatement, everyone: ValueAt): RuleFinding<AwsStatementSubject> {
  const target = document.owner.target && !document.owner.target.computed ? ` of \`${document.owner.target.value}\`` : document.owner.target ? ` of ${document.owner.target.value}` : '';
  const owner = document.owner.kind === 'resource-policy' ? `The resource policy ${resourceName(document.owner)}${target}` : policySubject(document.owner);
  const granted = statement.notActions.length > 0 ? `every action but ${listValues(statement.notActions)}` : statement.actions.length > 0 ? listValues(statement.actions) : 'its actions';
  return {
    span: everyone.span,
    message: `Public resource policy: ${owner.charAt(0).toLowerCase()}${owner.slice(1)} allows ${granted} to \`Principal: "*"\` — any AWS account, and anonymous callers where the service allows them — with no condition that narrows who. Name the accounts, roles or services that need it, or add a condition such as \`aws:PrincipalOrgID\` or \`aws:SourceArn\`.`,
    about: { document, statement, value: everyone },
  };
}
