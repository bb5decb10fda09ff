/**
 * AWS managed policies: which one an ARN or a name is, and what the ones that matter amount to.
 *
 * Source: the AWS Managed Policy Reference Guide,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html (each policy's
 * page shows its document: AdministratorAccess is `Action: "*"` on `Resource: "*"`; PowerUserAccess
 * is `NotAction` of `iam:*`, `organizations:*` and `account:*` on `*` plus a few reads of those and
 * the service-linked-role actions; IAMFullAccess is `iam:*` on `*` with Organizations reads;
 * ReadOnlyAccess and the job-function policies are lists of read or job actions). Only the names
 * a rule or a message needs are listed; the `*FullAccess` and `*ReadOnlyAccess` families are
 * recognised by their names, as AWS names them.
 */

/** What an AWS managed policy amounts to. */
export type ManagedPolicyGrant =
  /** Every action on every resource of the account. */
  | 'admin'
  /** Every action of every service but IAM, Organizations and Account management. */
  | 'power-user'
  /** Every IAM action: the identity can grant itself anything. */
  | 'iam-full'
  /** Read actions across the services, data reads included. */
  | 'read-only'
  /** Every action of one service (the `*FullAccess` family, `AdministratorAccess-Amplify`). */
  | 'service-full'
  /** Read actions of one service (the `*ReadOnlyAccess` family). */
  | 'service-read-only'
  /** A job-function policy (`job-function/…`): the actions of one job across services. */
  | 'job-function';

export interface ManagedPolicy {
  /** The policy's name, as in its ARN: `AdministratorAccess`. */
  name: string;
  /** The ARN's path between `policy/` and the name, `''` or `job-function/`, `service-role/`. */
  path: string;
  /** What it amounts to, when the table or the name's family says. */
  grant?: ManagedPolicyGrant;
  /** What it grants, in a few words, for messages: `every action on every resource`. */
  summary?: string;
}

interface Known {
  grant: ManagedPolicyGrant;
  summary: string;
}

/** The policies named by their exact name, reviewed against their documents (see the source above). */
const KNOWN: ReadonlyMap<string, Known> = new Map([
  ['AdministratorAccess', { grant: 'admin', summary: 'every action on every resource of the account' }],
  ['PowerUserAccess', { grant: 'power-user', summary: 'every action of every service except IAM, Organizations and Account management, on every resource' }],
  ['IAMFullAccess', { grant: 'iam-full', summary: 'every IAM action on every resource' }],
  ['ReadOnlyAccess', { grant: 'read-only', summary: 'read access to nearly every service, stored data included (s3:GetObject, …)' }],
  ['ViewOnlyAccess', { grant: 'read-only', summary: 'list and describe access to the resources of most services, without their data' }],
  ['SecurityAudit', { grant: 'read-only', summary: 'read access to the configuration metadata of most services' }],
  ['SystemAdministrator', { grant: 'job-function', summary: 'the actions a system administrator needs across compute, networking and monitoring services' }],
  ['NetworkAdministrator', { grant: 'job-function', summary: 'the actions a network administrator needs across networking services' }],
  ['DatabaseAdministrator', { grant: 'job-function', summary: 'the actions a database administrator needs across database services' }],
  ['DataScientist', { grant: 'job-function', summary: 'the actions a data scientist needs across analytics and machine-learning services' }],
  ['SupportUser', { grant: 'job-function', summary: 'AWS Support actions and read access to most services' }],
  ['Billing', { grant: 'job-function', summary: 'billing and cost-management actions' }],
]);

/** `AdministratorAccess-Amplify`, `AdministratorAccess-AWSElasticBeanstalk`: one service's administration, not the account's. */
const SERVICE_ADMINISTRATOR = /^AdministratorAccess-(.+)$/;
const FULL_ACCESS = /^(.+?)FullAccess(?:V\d+)?$/;
const READ_ONLY_ACCESS = /^(.+?)ReadOnlyAccess(?:V\d+)?$/;

/** What a managed policy of this name and path amounts to. */
export function managedPolicy(name: string, path = ''): ManagedPolicy {
  const known = KNOWN.get(name);
  if (known) return { name, path, ...known };
  const administrator = SERVICE_ADMINISTRATOR.exec(name);
  if (administrator) return { name, path, grant: 'service-full', summary: `the administration of ${serviceName(administrator[1]!)}, with the IAM actions it needs` };
  const full = FULL_ACCESS.exec(name);
  if (full) return { name, path, grant: 'service-full', summary: `every action of ${serviceName(full[1]!)}` };
  const readOnly = READ_ONLY_ACCESS.exec(name);
  if (readOnly) return { name, path, grant: 'service-read-only', summary: `the read actions of ${serviceName(readOnly[1]!)}` };
  return { name, path };
}

/** `AmazonS3` → `Amazon S3`, `AWSLambda_` → `AWS Lambda`, `IAM` → `IAM`: the service a family name is about. */
function serviceName(stem: string): string {
  const trimmed = stem.replace(/[_-]+$/, '');
  const spaced = trimmed.replace(/^(Amazon|AWS)(?=[A-Z0-9])/, '$1 ');
  return spaced || stem;
}

/**
 * The partitions an ARN may be written with: literal (`aws`, `aws-us-gov`, `aws-cn`, `aws-iso-b`)
 * or computed where the template or module decides (`${AWS::Partition}`,
 * `${data.aws_partition.current.partition}`, `${local.partition}`).
 */
const MANAGED_POLICY_ARN = /^arn:(?:aws(?:-[a-z]+)*|\$\{[^}]+\}):iam::aws:policy\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]+)$/;

/** `arn:aws:iam::aws:policy/[path/]Name`, in any partition: the managed policy it names, or undefined for any other ARN. */
export function parseManagedPolicyArn(value: string): { name: string; path: string } | undefined {
  const match = MANAGED_POLICY_ARN.exec(value.trim());
  return match ? { name: match[2]!, path: match[1]! } : undefined;
}

/** A policy name as SAM's `Policies` take it (`AmazonS3FullAccess`): SAM turns it into the managed policy's ARN. */
export function isPolicyName(value: string): boolean {
  return /^[\w+=,.@-]+$/.test(value);
}
