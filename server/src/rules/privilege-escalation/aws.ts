import type { Facts, PolicyDocument, PolicyStatement, ValueAt } from '../../facts/model';
import { actionPattern, ESCALATION_METHODS, specAllows, statementsAllow, type ActionSpec, type AwsCatalog, type EscalationMethod } from '../../iam/catalog';
import { actionSpec, identityAllows, isEveryResource, listNames, listValues, policySubject, statementFinding, statementReach, type AwsStatementSubject } from '../aws-statement';
import { awsAdminAccess } from '../admin-access/aws';
import type { RuleFinding } from '../rule';

/**
 * privilege-escalation on AWS: an Allow in an identity's policy that lets it raise its own
 * privileges. The methods are the catalog's reviewed table (`iam/catalog/escalation.ts`: Rhino
 * Security Labs, Cloudsplaining, RULES.md), those that go through IAM or STS:
 * - on any resource the action applies to: `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`,
 *   `iam:Attach*Policy`, `iam:Put*Policy`, `iam:UpdateAssumeRolePolicy`, `iam:CreateAccessKey`,
 *   `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`, `iam:AddUserToGroup`;
 * - on every role only (`Resource: "*"`, `arn:aws:iam::*:role/*`): `iam:PassRole`,
 *   `sts:AssumeRole` — on named roles they are the delegation the policy means. The known PassRole
 *   combinations (`lambda:CreateFunction` + `lambda:InvokeFunction`, `ec2:RunInstances`, …) are
 *   named in the message when the same policy also grants their other actions.
 * Wildcards and `NotAction` that grant them count (`iam:*`, `iam:Attach*`). Methods that take over
 * what already runs with a role without IAM (`lambda:UpdateFunctionCode`, `ec2:ModifyInstanceAttribute`
 * with a restart, `ecs:ExecuteCommand`) are left to the wildcard rules: they need a role to be
 * there, and `ec2:*` on `*` would otherwise read as an escalation instead of the wildcard it is.
 *
 * One finding per statement, on the action value that grants the first method (the others as
 * related locations); a Deny of the same document without a condition, on every resource, takes a
 * method away. A condition that pins resources or principals lowers it to a warning, named. Never:
 * statements admin-access reports (`*` on `*`: one problem, one finding), trust and resource policies, caps (permissions boundaries, SCPs), statements naming principals.
 */
export type AwsPrivilegeEscalation = AwsStatementSubject;

/** The methods that go through IAM or STS, each with the action that grants it (`iam:PassRole` for the combinations). */
const IAM_METHODS: readonly { method: EscalationMethod; key: string; passRole: boolean }[] = ESCALATION_METHODS.flatMap((method) => {
  const key = method.actions.find((a) => /^(?:iam|sts):/i.test(a));
  return key ? [{ method, key, passRole: method.onEveryResource === true || (method.actions.length > 1 && key === 'iam:PassRole') }] : [];
});

export function awsPrivilegeEscalation(facts: Facts, catalog: AwsCatalog): RuleFinding<AwsPrivilegeEscalation>[] {
  const findings: RuleFinding<AwsPrivilegeEscalation>[] = [];
  // `*` on every resource is admin-access: one problem, one finding (RULES.md).
  const admin = new Set(awsAdminAccess(facts).flatMap((f) => (f.about.kind === 'statement' ? [f.about.statement] : [])));
  const grants = identityAllows(facts).filter((g) => !admin.has(g.statement));
  const allowedIn = new Map<PolicyDocument, (action: string) => boolean>();
  for (const { document, statement } of grants) {
    let allowed = allowedIn.get(document);
    if (!allowed) allowedIn.set(document, (allowed = documentAllows(document)));
    const finding = judgeStatement(document, statement, allowed, catalog);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** What a document allows on every resource, its unconditional Denies on every resource taken away. */
function documentAllows(document: PolicyDocument): (action: string) => boolean {
  const allows: ActionSpec[] = [];
  const denies: ActionSpec[] = [];
  for (const statement of document.statements) {
    if (statement.principals.length > 0 || statement.notPrincipals.length > 0) continue;
    const spec = actionSpec(statement);
    if (!spec) continue;
    if (statement.effect === 'Allow') allows.push(spec);
    else if (statement.conditions.length === 0 && statement.resources.some((r) => !r.computed && isEveryResource(r.value))) denies.push(spec);
  }
  return statementsAllow(allows, denies);
}

function judgeStatement(document: PolicyDocument, statement: PolicyStatement, documentAllowed: (action: string) => boolean, catalog: AwsCatalog): RuleFinding<AwsPrivilegeEscalation> | undefined {
  const spec = actionSpec(statement);
  if (!spec) return undefined;
  const { reach } = statementReach(statement);
  if (reach === 'none') return undefined;
  const literalResources = statement.resources.filter((r) => !r.computed).map((r) => r.value);
  // How much of an action's resources the statement reaches: `every`, `some`, `none`.
  const scopeOf = (name: string): 'every' | 'some' | 'none' => {
    if (reach === 'every') return 'every';
    const action = catalog.action(name);
    if (!action) return 'none';
    let widest: 'every' | 'some' | 'none' = 'none';
    for (const resource of literalResources) {
      const scope = catalog.resourceScope(action, resource);
      if (scope === 'every') return 'every';
      if (scope === 'some') widest = 'some';
    }
    return widest;
  };
  const granted = IAM_METHODS.filter(({ method, key, passRole }) => {
    if (!specAllows(spec, key) || !documentAllowed(key)) return false;
    const scope = scopeOf(key);
    if (passRole ? scope !== 'every' : scope === 'none') return false;
    return method.actions.every((a) => a === key || documentAllowed(a));
  });
  if (granted.length === 0) return undefined;

  // The value that grants each method's action; the finding starts on the first of them.
  const values = spec.notActions ? statement.notActions : statement.actions;
  const grantingValue = (key: string): ValueAt | undefined => (spec.notActions ? values.find((v) => !v.computed) : values.find((v) => !v.computed && actionPattern(v.value).matches(key)));
  const byValue = new Map<ValueAt, string[]>();
  for (const { key } of granted) {
    const value = grantingValue(key);
    if (value && !byValue.get(value)?.includes(key)) byValue.set(value, [...(byValue.get(value) ?? []), key]);
  }
  const ordered = [...byValue.keys()].sort((a, b) => a.span.start - b.span.start);
  const anchor = ordered[0];
  if (!anchor) return undefined;

  const keys = [...new Set(granted.map((g) => g.key))];
  const combinations = granted.filter((g) => g.method.actions.length > 1 && g.passRole);
  const alone = granted.filter((g) => !combinations.includes(g));
  const ways = alone.map((g) => g.method.how);
  const combined = combinations.map((g) => `with ${g.method.actions.filter((a) => a !== g.key).join(' and ')} also granted, ${g.method.how}`);
  const allWays = [...ways, ...combined];
  const shownWays = allWays.slice(0, 2).join('; ');
  const moreWays = allWays.length > 2 ? `; and ${allWays.length - 2} more way${allWays.length - 2 === 1 ? '' : 's'}` : '';
  const grants = spec.notActions ? `every action but ${listValues(statement.notActions)} (\`NotAction\`)` : ordered.map((v) => `\`${v.value}\``).join(', ');
  const on = reach === 'every' ? 'on every resource' : `on ${listValues(statement.resources)}`;
  const named = keys.some((k) => !ordered.some((v) => v.value.toLowerCase() === k.toLowerCase())) ? ` (${listNames(keys)})` : '';
  const advice = alone.length === 0 || granted.every((g) => g.passRole) ? 'Pin `Resource` to the roles it must pass or assume (`arn:aws:iam::ACCOUNT:role/NAME`).' : 'Remove these actions, or pin `Resource` to the users, roles and policies it must manage.';
  const related = ordered.slice(1).map((v) => ({ span: v.span, message: `also grants ${listNames(byValue.get(v)!)}` }));
  const what = `${policySubject(document.owner)} allows ${grants}${named} ${on}, so whoever holds it can raise its own privileges: ${shownWays}${moreWays}.`;
  return statementFinding('warning', document, statement, anchor, related, what, advice);
}
