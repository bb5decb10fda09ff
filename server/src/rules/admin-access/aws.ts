import type { Facts, IdentityRef, PolicyAttachment, PolicyCondition, PolicyDocument, PolicyOwner, PolicyStatement, ValueAt } from '../../facts/model';
import { pinsScope } from '../../iam/condition';
import { managedPolicy, type ManagedPolicyGrant } from '../../iam/managed-policies';
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
  for (const document of facts.policies) {
    if ((document.owner.kind !== 'identity-policy' && document.owner.kind !== 'policy-document') || document.owner.caps) continue;
    for (const statement of document.statements) {
      const finding = judgeStatement(document, statement);
      if (finding) findings.push(finding);
    }
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
  // A statement that names principals is a trust or resource statement, whatever holds it.
  if (statement.effect !== 'Allow' || statement.principals.length > 0 || statement.notPrincipals.length > 0) return undefined;
  const action = statement.actions.find((a) => !a.computed && EVERY_ACTION.test(a.value));
  if (!action) return undefined;
  const resource = statement.resources.find((r) => !r.computed && isEveryResource(r.value));
  const excepted = statement.notResources;
  // `NotResource: "*"` leaves nothing; `NotResource` of named ARNs leaves everything else.
  const reach = resource ? 'on every resource' : excepted.length > 0 && !excepted.some((r) => !r.computed && isEveryResource(r.value)) ? `on every resource except ${list(excepted)}` : undefined;
  if (!reach) return undefined;
  const pin = statement.conditions.map((c) => ({ condition: c, pins: pinsScope(c) })).find((c) => c.pins !== undefined);
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

/** `*`, or an ARN of wildcards only (`arn:aws:*:*:*:*`, `arn:*`): every resource. */
function isEveryResource(value: string): boolean {
  return /^\*+$/.test(value) || /^arn:(?:\*|aws(?:-[a-z]+)*|\$\{[^}]+\})(?::\*+)+$/.test(value) || value === 'arn:*';
}

function describeCondition(condition: PolicyCondition): string {
  const operator = `${condition.qualifier ? `${condition.qualifier}:` : ''}${condition.operator}`;
  return `\`${condition.key}\` ${operator} ${list(condition.values)}`;
}

function list(values: readonly ValueAt[]): string {
  const shown = values.slice(0, 2).map((v) => `\`${v.value}\``).join(', ');
  return values.length > 2 ? `${shown}, …` : shown;
}

const KIND_NAMES: Record<IdentityRef['kind'], string> = {
  role: 'role',
  user: 'user',
  group: 'group',
  'permission-set': 'permission set',
  'sam-function': 'the execution role of',
};

/** The identity a policy or an attachment is written inside, when it is (a role's `inline_policy`, a SAM function's `Policies`). */
function ownIdentity(owner: PolicyOwner): IdentityRef | undefined {
  const identities = owner.identities ?? [];
  return identities.length === 1 && !identities[0]!.value ? identities[0] : undefined;
}

/** `aws_iam_role "ci"`, `AWS::IAM::Role "CiRole"`; a Terraform data source by its address, `data.aws_iam_policy_document.admin`. */
function resourceName(owner: PolicyOwner): string {
  return owner.resourceType === 'aws_iam_policy_document' ? `data.${owner.resourceType}.${owner.name}` : `${owner.resourceType} "${owner.name}"`;
}

/** `role aws_iam_role.ci`, `user "deploy"`, `permission set aws_ssoadmin_permission_set.admins`: the identities an owner names. */
function identityNames(owner: PolicyOwner): string {
  const identities = owner.identities ?? [];
  const named = identities.slice(0, 2).map((i) => `${KIND_NAMES[i.kind]} ${i.resource ?? (i.value && !i.value.computed ? `"${i.value.value}"` : (i.value?.value ?? ''))}`.trim());
  return `${named.join(', ')}${identities.length > 2 ? ', …' : ''}`;
}

/**
 * The policy a statement is in, and whom the file says it is granted to: `The inline policy of
 * aws_iam_role "ci"`, `aws_iam_role_policy "ci" (for role aws_iam_role.ci)`, `aws_iam_policy
 * "admin"`, `This policy`.
 */
function policySubject(owner: PolicyOwner): string {
  if (owner.resourceType === 'policy file') return 'This policy';
  const own = ownIdentity(owner);
  if (own) return own.kind === 'sam-function' ? `An inline policy in the \`Policies\` of ${resourceName(owner)}` : `The inline policy of ${resourceName(owner)}`;
  return (owner.identities ?? []).length > 0 ? `${resourceName(owner)} (for ${identityNames(owner)})` : resourceName(owner);
}

/** How an attachment's message starts: `aws_iam_role "ci" is given`, `aws_iam_role_policy_attachment "ci" gives role aws_iam_role.ci`. */
function attachmentLead(owner: PolicyOwner): string {
  const own = ownIdentity(owner);
  if (own) return own.kind === 'sam-function' ? `The execution role of ${resourceName(owner)} is given` : `${resourceName(owner)} is given`;
  return (owner.identities ?? []).length > 0 ? `${resourceName(owner)} gives ${identityNames(owner)}` : `${resourceName(owner)} attaches`;
}
