import type { Facts, IdentityRef, PolicyCondition, PolicyDocument, PolicyOwner, PolicyStatement, ValueAt } from '../facts/model';
import type { Severity } from '../core/finding';
import type { Span } from '../core/text';
import { pinsScope } from '../iam/condition';
import type { RuleFinding } from './rule';
import { ACCESS_LEVELS, type ActionPatternProblem, type ActionSpec, type AwsCatalog, type GrantSummary } from '../iam/catalog';

/**
 * What an AWS statement finding of `wildcard-action`, `wildcard-resource` and
 * `privilege-escalation` is about: the document and statement it judges, and the action or
 * resource value it anchors on (the service wildcard, `NotAction`'s first value, the `*`
 * resource, the action that grants an escalation, the `*` principal of a resource policy). The
 * scope-down fixers of those rules take it: they rewrite the statement, and `value` says which of
 * its values the finding is about.
 */
export interface AwsStatementSubject {
  document: PolicyDocument;
  statement: PolicyStatement;
  value?: ValueAt;
}

/**
 * What the AWS over-privilege rules share: which statements are grants to an identity, the
 * condition that lowers a finding one step, and how a policy is named in a message. One place, so
 * that `admin-access`, `privilege-escalation` and the wildcard rules judge and word alike.
 */

/** A statement of an identity's policy, with the document it is in. */
export interface IdentityGrant {
  document: PolicyDocument;
  statement: PolicyStatement;
}

/**
 * The Allow statements that grant to an identity: of identity policies and of documents not yet
 * anyone's (a `data "aws_iam_policy_document"`, a bare policy file) — never a trust policy, a
 * resource policy, a permissions boundary or service control policy the file uses as a cap (they
 * grant nothing), nor a statement that names principals (a trust or resource statement, whatever
 * holds it) unless the file uses its document as an identity's policy (`policy =
 * data.aws_iam_policy_document.x.json` in an `aws_iam_role_policy`): there IAM grants it, whatever
 * principal it names.
 */
export function identityAllows(facts: Facts): IdentityGrant[] {
  const grants: IdentityGrant[] = [];
  const usedAsIdentityPolicy = new Set<string>();
  for (const document of facts.policies) {
    const source = document.owner.kind === 'identity-policy' && document.source?.kind === 'expression' ? DATA_DOCUMENT.exec(document.source.text.trim()) : null;
    if (source) usedAsIdentityPolicy.add(source[1]!);
  }
  for (const document of facts.policies) {
    if ((document.owner.kind !== 'identity-policy' && document.owner.kind !== 'policy-document') || document.owner.caps) continue;
    const identity = document.owner.kind === 'policy-document' && document.owner.resourceType === 'aws_iam_policy_document' && usedAsIdentityPolicy.has(document.owner.name);
    for (const statement of document.statements) {
      if (statement.effect !== 'Allow') continue;
      if (!identity && (statement.principals.length > 0 || statement.notPrincipals.length > 0)) continue;
      grants.push({ document, statement });
    }
  }
  return grants;
}

/** `data.aws_iam_policy_document.NAME.json`: a policy document data source's JSON, by its name. */
const DATA_DOCUMENT = /^data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(?:json|minified_json)$/;

/**
 * The statement's `Action` or `NotAction` as the catalog takes it, written values only (a
 * Terraform variable or a CloudFormation `!Ref` cannot be judged where it is written). Undefined
 * when it has neither.
 */
export function actionSpec(statement: PolicyStatement): ActionSpec | undefined {
  if (statement.notActions.length > 0) return { notActions: literals(statement.notActions) };
  const actions = literals(statement.actions);
  return actions.length > 0 ? { actions } : undefined;
}

function literals(values: readonly ValueAt[]): string[] {
  return values.filter((v) => !v.computed).map((v) => v.value);
}

/** `*`, or an ARN of wildcards only (`arn:aws:*:*:*:*`, `arn:*`): every resource. */
export function isEveryResource(value: string): boolean {
  return /^\*+$/.test(value) || /^arn:(?:\*|aws(?:-[a-z]+)*|\$\{[^}]+\})(?::\*+)+$/.test(value) || value === 'arn:*';
}

/**
 * Where a statement reaches: `every` resource (a `*` resource, or `NotResource` of some: every
 * resource but those), `named` resources only, or `none` (no written resource, `NotResource: "*"`).
 * `resource` is the value that says every resource, when one does.
 */
export function statementReach(statement: PolicyStatement): { reach: 'every' | 'named' | 'none'; resource?: ValueAt } {
  const resource = statement.resources.find((r) => !r.computed && isEveryResource(r.value));
  if (resource) return { reach: 'every', resource };
  if (statement.notResources.length > 0) return statement.notResources.some((r) => !r.computed && isEveryResource(r.value)) ? { reach: 'none' } : { reach: 'every' };
  return statement.resources.length > 0 ? { reach: 'named' } : { reach: 'none' };
}

/**
 * The statement's first condition that pins what it reaches to named resources or principals
 * (`iam/condition.ts` `pinsScope`): a finding under it is reported one severity lower, the
 * condition named (RULES.md, "Over-privilege").
 */
export function pinningCondition(statement: PolicyStatement): { condition: PolicyCondition; pins: 'resources' | 'principals' } | undefined {
  for (const condition of statement.conditions) {
    const pins = pinsScope(condition);
    if (pins) return { condition, pins };
  }
  return undefined;
}

/** `` `aws:ResourceTag/team` StringEquals `platform` ``: a condition as a message names it. */
export function describeCondition(condition: PolicyCondition): string {
  const operator = `${condition.qualifier ? `${condition.qualifier}:` : ''}${condition.operator}`;
  return `\`${condition.key}\` ${operator} ${listValues(condition.values)}`;
}

/** The first two values, quoted as code, and `…` for more. */
export function listValues(values: readonly ValueAt[]): string {
  const shown = values.slice(0, 2).map((v) => `\`${v.value}\``).join(', ');
  return values.length > 2 ? `${shown}, …` : shown;
}

/** The first `max` names, and how many more. */
export function listNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

const KIND_NAMES: Record<IdentityRef['kind'], string> = {
  role: 'role',
  user: 'user',
  group: 'group',
  'permission-set': 'permission set',
  'sam-function': 'the execution role of',
};

/** The identity a policy or an attachment is written inside, when it is (a role's `inline_policy`, a SAM function's `Policies`). */
export function ownIdentity(owner: PolicyOwner): IdentityRef | undefined {
  const identities = owner.identities ?? [];
  return identities.length === 1 && !identities[0]!.value ? identities[0] : undefined;
}

/** `aws_iam_role "ci"`, `AWS::IAM::Role "CiRole"`; a Terraform data source by its address, `data.aws_iam_policy_document.admin`. */
export function resourceName(owner: PolicyOwner): string {
  return owner.resourceType === 'aws_iam_policy_document' ? `data.${owner.resourceType}.${owner.name}` : `${owner.resourceType} "${owner.name}"`;
}

/** `role aws_iam_role.ci`, `user "deploy"`, `permission set aws_ssoadmin_permission_set.admins`: the identities an owner names. */
export function identityNames(owner: PolicyOwner): string {
  const identities = owner.identities ?? [];
  const named = identities.slice(0, 2).map((i) => `${KIND_NAMES[i.kind]} ${i.resource ?? (i.value && !i.value.computed ? `"${i.value.value}"` : (i.value?.value ?? ''))}`.trim());
  return `${named.join(', ')}${identities.length > 2 ? ', …' : ''}`;
}

/**
 * The policy a statement is in, and whom the file says it is granted to: `The inline policy of
 * aws_iam_role "ci"`, `aws_iam_role_policy "ci" (for role aws_iam_role.ci)`, `aws_iam_policy
 * "admin"`, `This policy`.
 */
export function policySubject(owner: PolicyOwner): string {
  if (owner.resourceType === 'policy file') return 'This policy';
  const own = ownIdentity(owner);
  if (own) return own.kind === 'sam-function' ? `An inline policy in the \`Policies\` of ${resourceName(owner)}` : `The inline policy of ${resourceName(owner)}`;
  return (owner.identities ?? []).length > 0 ? `${resourceName(owner)} (for ${identityNames(owner)})` : resourceName(owner);
}

/**
 * What a grant summary says, in words for a message or a hover: `48 actions of Amazon S3 (41
 * Read, 7 List)`, then the risky ones named — escalation methods, credential-returning actions,
 * reads of stored data and secrets, permissions management — and the patterns that grant nothing.
 * `count` is the first clause, `risks` and `unknown` a sentence each (empty when there is nothing to say).
 */
export function describeGrant(catalog: AwsCatalog, summary: Readonly<GrantSummary>): { count: string; risks: string; unknown: string } {
  const levels = ACCESS_LEVELS.filter((l) => summary.byLevel[l] > 0).map((l) => `${summary.byLevel[l]} ${l}`);
  const service = summary.services.length === 1 ? (catalog.serviceName(summary.services[0]!) ?? summary.services[0]!) : `${summary.services.length} services`;
  const count = summary.total === 0 ? 'no action today' : `${summary.total} action${summary.total === 1 ? '' : 's'} of ${service} today${levels.length > 0 ? ` (${levels.join(', ')})` : ''}${summary.growsWithAws ? ', and those AWS adds later' : ''}`;
  const risks: string[] = [];
  if (summary.escalation.length > 0) risks.push(`it can escalate its privileges (${listNames(summary.escalation.map((m) => m.id), 2)})`);
  if (summary.credentials.length > 0) risks.push(`returns credentials (${listNames(summary.credentials, 2)})`);
  if (summary.exfiltration.length > 0) risks.push(`reads stored data and secrets (${listNames(summary.exfiltration, 2)})`);
  if (summary.permissionsManagement.length > 0) risks.push(`manages permissions (${listNames(summary.permissionsManagement, 2)})`);
  const unknown = summary.ungranted.map((u) => `\`${u.pattern}\` ${PROBLEM_WORDS[u.problem]}`);
  return {
    count,
    risks: risks.length > 0 ? `Among them: ${risks.join('; ')}.` : '',
    unknown: unknown.length > 0 ? `${capitalize(listNames(unknown, 2))}: ${unknown.length === 1 ? 'it grants' : 'they grant'} nothing (a typo?).` : '',
  };
}

const PROBLEM_WORDS: Record<ActionPatternProblem, string> = {
  malformed: 'is not `service:action`',
  'unknown-service': 'names no AWS service',
  'unknown-action': 'is no action of its service',
  'matches-nothing': 'matches no action',
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A finding on one value of a statement, with the condition rule applied in one place: when a
 * condition pins the resources or principals, the finding drops to `lowered` (one step below the
 * rule's severity) and the message names the condition, with its key as a related location.
 * `what` says what is granted; `advice` what to do.
 */
export function statementFinding(
  lowered: Severity,
  document: PolicyDocument,
  statement: PolicyStatement,
  value: ValueAt,
  related: { span: Span; message: string }[],
  what: string,
  advice: string,
): RuleFinding<AwsStatementSubject> {
  const pin = pinningCondition(statement);
  const about: AwsStatementSubject = { document, statement, value };
  if (!pin) return { span: value.span, message: `${what} ${advice}`, ...(related.length > 0 ? { related } : {}), about };
  return {
    span: value.span,
    severity: lowered,
    message: `${what} The condition ${describeCondition(pin.condition)} limits it to the ${pin.pins} it matches. ${advice}`,
    related: [...related, { span: pin.condition.keySpan, message: `the condition that narrows the ${pin.pins}` }],
    about,
  };
}
