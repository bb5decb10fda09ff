import type { Facts, PolicyAttachment, PolicyDocument, PolicyOwner, PolicyStatement } from '../../facts/model';
import { managedPolicy, type ManagedPolicyGrant } from '../../iam/managed-policies';
import { describeCondition, identityAllows, identityNames, isEveryResource, listValues, ownIdentity, pinningCondition, policySubject, resourceName } from '../aws-statement';
import type { RuleFinding } from '../rule';

/**
 * admin-access on AWS: full administrator access granted to an identity.
 * - An AWS managed policy that amounts to it, attached by ARN (or by SAM name):
 *   `AdministratorAccess`, `IAMFullAccess` (it can grant itself anything), `PowerUserAccess`
 *   (every service's data). Anchor: the policy ARN value.
 * - An Allow of every action (`*`) on every resource (`*`, an ARN of wildcards only, or
 *   `NotResource`: every resource but a few) in an identity policy. Anchor: the `*` action value.
 *   A condition that pins the resources or principals (`iam/condition.ts` `pinsScope`) lowers it to
 *   a warning, the condition named.
 * Never: trust policies (who may assume a role grants the role nothing), permissions boundaries and
 * service control policies the file uses as such (they cap, and grant nothing), resource policies (they
 * grant on one resource; `Principal: "*"` is the wildcard rules' to judge), statements that name a
 * principal (a trust or resource statement in a data source or a bare file), Deny, and `NotAction`
 * (a `wildcard-action` per RULES.md, however much it leaves).
 */
export type AwsAdminSubject =
  | { platform: 'aws'; kind: 'attachment'; attachment: PolicyAttachment }
  | { platform: 'aws'; kind: 'statement'; document: PolicyDocument; statement: PolicyStatement };

/** The managed-policy grants that are administrator access: what follows from each, and the way out. */
const ADMIN_GRANTS: ReadonlyMap<ManagedPolicyGrant, { so: string; instead: string }> = new Map([
  ['admin', { so: 'it controls the account', instead: 'Attach a policy that lists only the actions it needs.' }],
  ['iam-full', { so: 'it can grant itself, or anyone, any permission: administrator in one step', instead: 'Grant only the IAM actions it needs, on the roles and policies it manages.' }],
  ['power-user', { so: 'every secret, bucket, database and key of the account is within its reach', instead: 'Attach a policy that lists only the actions it needs.' }],
]);

export function awsAdminAccess(facts: Facts): RuleFinding<AwsAdminSubject>[] {
  const findings: RuleFinding<AwsAdminSubject>[] = [];
  for (const attachment of facts.policyAttachments) {
    const finding = judgeAttachment(attachment);
    if (finding) findings.push(finding);
  }
  // The statements that grant to an identity: what the wildcard and escalation rules judge too.
  for (const { document, statement } of identityAllows(facts)) {
    const finding = judgeStatement(document, statement);
    if (finding) findings.push(finding);
  }
  return findings;
}

function judgeAttachment(attachment: PolicyAttachment): RuleFinding<AwsAdminSubject> | undefined {
  if (!attachment.managedPolicy) return undefined;
  const policy = managedPolicy(attachment.managedPolicy.name, attachment.managedPolicy.path);
  const consequence = policy.grant ? ADMIN_GRANTS.get(policy.grant) : undefined;
  if (!consequence) return undefined;
  const via = attachment.via ? ` (which \`${attachment.policyArn.value.replace(/\.arn$/, '')}\` looks up)` : '';
  return {
    span: attachment.policyArn.span,
    message: `${attachmentLead(attachment.owner)} the AWS managed policy ${policy.name}${via}: ${policy.summary}, so ${consequence.so}. ${consequence.instead}`,
    ...(attachment.via ? { related: [{ span: attachment.via.span, message: `the lookup of ${policy.name}` }] } : {}),
    about: { platform: 'aws', kind: 'attachment', attachment },
  };
}

function judgeStatement(document: PolicyDocument, statement: PolicyStatement): RuleFinding<AwsAdminSubject> | undefined {
  const action = statement.actions.find((a) => !a.computed && EVERY_ACTION.test(a.value));
  if (!action) return undefined;
  const resource = statement.resources.find((r) => !r.computed && isEveryResource(r.value));
  const excepted = statement.notResources;
  // `NotResource: "*"` leaves nothing; `NotResource` of named ARNs leaves everything else.
  const reach = resource ? 'on every resource' : excepted.length > 0 && !excepted.some((r) => !r.computed && isEveryResource(r.value)) ? `on every resource except ${listValues(excepted)}` : undefined;
  if (!reach) return undefined;
  const pin = pinningCondition(statement);
  const subject = policySubject(document.owner);
  const related = resource ? [{ span: resource.span, message: 'every resource' }] : [];
  const about: AwsAdminSubject = { platform: 'aws', kind: 'statement', document, statement };
  if (pin) {
    return {
      span: action.span,
      severity: 'warning',
      message: `${subject} allows every action (\`*\`) ${reach}, under the condition ${describeCondition(pin.condition)}, which limits it to the ${pin.pins} the condition matches: administrator access over those. List only the actions it needs.`,
      related: [...related, { span: pin.condition.keySpan, message: `the condition that narrows the ${pin.pins}` }],
      about,
    };
  }
  return {
    span: action.span,
    message: `${subject} allows every action (\`*\`) ${reach}: full administrator access to the account for every identity it is granted to. List only the actions and resources it needs.`,
    ...(related.length > 0 ? { related } : {}),
    about,
  };
}

/** `*` (or `**`, `*:*`): every action of every service. */
const EVERY_ACTION = /^\*+(?::\*+)?$/;

/** How an attachment's message starts: `aws_iam_role "ci" is given`, `aws_iam_role_policy_attachment "ci" gives role aws_iam_role.ci`. */
function attachmentLead(owner: PolicyOwner): string {
  const own = ownIdentity(owner);
  if (own) return own.kind === 'sam-function' ? `The execution role of ${resourceName(owner)} is given` : `${resourceName(owner)} is given`;
  return (owner.identities ?? []).length > 0 ? `${resourceName(owner)} gives ${identityNames(owner)}` : `${resourceName(owner)} attaches`;
}
