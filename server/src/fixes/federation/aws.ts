import type { CiIssuer } from '../../graph/tokens';
import type { Arn } from '../../iam/arn';
import type { Grant } from '../../iam/grant';
import { cfn, type CfnEntry, type CfnNode } from './cfn-render';
import { alignedAttributes, commentLines, hclString, hclTemplate, logicalId } from './render';

/**
 * The AWS side of federation, in Terraform or CloudFormation: an IAM OIDC provider for the CI
 * issuer (unless one is reused), a role that only this repository's tokens for one environment or
 * branch can assume, and its permissions — inferred from the job, or taken over from the IAM user
 * whose keys the role replaces.
 */

/** How the trust names the issuer's OIDC provider. */
export type ProviderChoice =
  /** Declared here. */
  | { kind: 'declare'; name: string }
  /** Declared in the same Terraform module or template: referenced. */
  | { kind: 'resource'; name: string }
  /** Declared elsewhere in the account: looked up by URL (Terraform) or built from the account (CloudFormation). */
  | { kind: 'lookup' }
  /** Known by its literal ARN. */
  | { kind: 'arn'; arn: string };

export interface AwsRoleSpec {
  issuer: CiIssuer;
  /** `token.actions.githubusercontent.com`, `gitlab.com`. */
  issuerHost: string;
  audience: string;
  subject: string;
  roleName: string;
  /** Terraform label / CloudFormation logical id stem of everything written for this role. */
  label: string;
  description: string;
  provider: ProviderChoice;
  grants: Grant[];
  /** Who uses the role, for the comments: `job "deploy" (.github/workflows/deploy.yml)`. */
  usedBy: string;
  /** Policies already written elsewhere, attached to the role (managed policy ARNs as written). */
  managedPolicyArns?: string[];
}

const THUMBPRINT_NOTE =
  'No thumbprint_list: AWS validates the tokens of GitHub and GitLab through its library of trusted root certificate authorities, and fetches a thumbprint itself for other issuers.';

export function issuerLabel(issuer: CiIssuer): string {
  return issuer === 'github' ? 'GitHub Actions' : 'GitLab CI';
}

/** `GitHub Actions'`, `GitLab CI's`. */
export function issuerPossessive(issuer: CiIssuer): string {
  return issuer === 'github' ? "GitHub Actions'" : "GitLab CI's";
}

// ---------------------------------------------------------------------------------------------
// Terraform

/** The Terraform blocks for a role spec, each a multi-line string (no trailing newline). */
export function terraformAwsBlocks(spec: AwsRoleSpec): string[] {
  const blocks: string[] = [];
  const accountLookup = `data.aws_caller_identity.${spec.label}.account_id`;
  const usesAccount = spec.grants.some((g) => g.resources.some((arn) => arn.some((part) => typeof part !== 'string')));

  let principal: string;
  switch (spec.provider.kind) {
    case 'declare':
      blocks.push(terraformProviderBlock(spec.issuer, spec.issuerHost, spec.audience, spec.provider.name));
      principal = `aws_iam_openid_connect_provider.${spec.provider.name}.arn`;
      break;
    case 'resource':
      principal = `aws_iam_openid_connect_provider.${spec.provider.name}.arn`;
      break;
    case 'lookup':
      blocks.push(
        [
          `# ${issuerPossessive(spec.issuer)} OIDC identity provider exists in the account already: looked up by its URL.`,
          `data "aws_iam_openid_connect_provider" ${hclString(spec.label)} {`,
          `  url = ${hclString(`https://${spec.issuerHost}`)}`,
          '}',
        ].join('\n'),
      );
      principal = `data.aws_iam_openid_connect_provider.${spec.label}.arn`;
      break;
    case 'arn':
      principal = hclString(spec.provider.arn);
      break;
  }

  blocks.push(
    [
      ...commentLines(
        `Assumed by ${spec.usedBy} through ${issuerLabel(spec.issuer)} OIDC, and by nothing else: the trust requires the token's audience and subject to be exactly these (StringEquals), and sessions last at most an hour.`,
        '#',
      ),
      `resource "aws_iam_role" ${hclString(spec.label)} {`,
      ...alignedAttributes([
        ['name', hclString(spec.roleName)],
        ['description', hclString(spec.description)],
        ['max_session_duration', '3600'],
      ], '  '),
      '  assume_role_policy = jsonencode({',
      '    Version = "2012-10-17"',
      '    Statement = [',
      '      {',
      ...alignedAttributes([
        ['Effect', '"Allow"'],
        ['Principal', `{ Federated = ${principal} }`],
        ['Action', '"sts:AssumeRoleWithWebIdentity"'],
      ], '        '),
      '        Condition = {',
      '          StringEquals = {',
      ...alignedAttributes([
        [hclString(`${spec.issuerHost}:aud`), hclString(spec.audience)],
        [hclString(`${spec.issuerHost}:sub`), hclString(spec.subject)],
      ], '            '),
      '          }',
      '        }',
      '      },',
      '    ]',
      '  })',
      '}',
    ].join('\n'),
  );

  if (spec.grants.length > 0) {
    const statements = spec.grants.map((grant, i) => terraformStatement(grant, accountLookup, i === spec.grants.length - 1));
    blocks.push(
      [
        '# What the job does with AWS, as read from its steps: each statement names the step it serves.',
        `resource "aws_iam_role_policy" ${hclString(spec.label)} {`,
        ...alignedAttributes([
          ['name', hclString('keyless-inferred')],
          ['role', `aws_iam_role.${spec.label}.id`],
        ], '  '),
        '  policy = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [',
        ...statements,
        '    ]',
        '  })',
        '}',
      ].join('\n'),
    );
  }
  for (const [i, arn] of (spec.managedPolicyArns ?? []).entries()) {
    blocks.push(
      [
        `resource "aws_iam_role_policy_attachment" ${hclString(i === 0 ? spec.label : `${spec.label}_${i + 1}`)} {`,
        ...alignedAttributes([
          ['role', `aws_iam_role.${spec.label}.name`],
          ['policy_arn', arn],
        ], '  '),
        '}',
      ].join('\n'),
    );
  }
  if (usesAccount) blocks.push(`# The account the role lives in, for the ARNs below that name it.\ndata "aws_caller_identity" ${hclString(spec.label)} {}`);
  return blocks;
}

/** The issuer's OIDC provider as a Terraform resource. */
export function terraformProviderBlock(issuer: CiIssuer, issuerHost: string, audience: string, name: string): string {
  return [
    ...commentLines(`${issuerPossessive(issuer)} OIDC identity provider: one per issuer and account. ${THUMBPRINT_NOTE}`, '#'),
    `resource "aws_iam_openid_connect_provider" ${hclString(name)} {`,
    ...alignedAttributes([
      ['url', hclString(`https://${issuerHost}`)],
      ['client_id_list', `[${hclString(audience)}]`],
    ], '  '),
    '}',
  ].join('\n');
}

/** The output naming the role's ARN, for whoever sets up the CI side. */
export function terraformRoleOutput(label: string): string {
  return [`output ${hclString(`${label}_role_arn`)} {`, ...alignedAttributes([
    ['description', hclString('The role CI assumes (role-to-assume / AWS_ROLE_ARN).')],
    ['value', `aws_iam_role.${label}.arn`],
  ], '  '), '}'].join('\n');
}

function terraformStatement(grant: Grant, accountLookup: string, last: boolean): string {
  const arn = (parts: Arn): string => hclTemplate(parts.map((part) => (typeof part === 'string' ? part : { interpolate: accountLookup })));
  const lines = [
    ...grant.because.map((b) => `      # ${shorten(b)}`),
    '      {',
    ...alignedAttributes([
      ['Sid', hclString(grant.sid)],
      ['Effect', '"Allow"'],
      ['Action', `[${grant.actions.map(hclString).join(', ')}]`],
      ['Resource', `[${grant.resources.map(arn).join(', ')}]`],
      ...(grant.condition ? [['Condition', `{ StringEquals = { ${Object.entries(grant.condition).map(([k, v]) => `${hclString(k)} = ${hclString(v)}`).join(', ')} } }`] as const] : []),
    ], '        '),
    `      }${last ? '' : ','}`,
  ];
  return lines.join('\n');
}

/** A command for a one-line comment: at most 100 characters, newlines flattened. */
function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

// ---------------------------------------------------------------------------------------------
// CloudFormation

export interface CloudFormationResources {
  /** Resource entries, keyed by logical id. */
  resources: CfnEntry[];
  /** The role's logical id. */
  roleId: string;
}

/** The template resources for a role spec. */
export function cloudFormationAwsResources(spec: AwsRoleSpec): CloudFormationResources {
  const roleId = `${logicalId([spec.label])}Role`;
  const resources: CfnEntry[] = [];
  let principal: CfnNode;
  switch (spec.provider.kind) {
    case 'declare':
      resources.push(cloudFormationProviderResource(spec.issuer, spec.issuerHost, spec.audience, spec.provider.name));
      principal = cfn.ref(spec.provider.name);
      break;
    case 'resource':
      principal = cfn.ref(spec.provider.name);
      break;
    case 'lookup':
      principal = cfn.sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/${spec.issuerHost}`);
      break;
    case 'arn':
      principal = cfn.str(spec.provider.arn);
      break;
  }
  const policies = spec.grants.length === 0 ? undefined : cfn.list([
    cfn.map([
      ['PolicyName', cfn.str('keyless-inferred')],
      ['PolicyDocument', cfn.map([
        ['Version', cfn.str('2012-10-17', true)],
        ['Statement', cfn.list(spec.grants.map(cloudFormationStatement))],
      ])],
    ]),
  ]);
  resources.push({
    key: roleId,
    comment: `Assumed by ${spec.usedBy} through ${issuerLabel(spec.issuer)} OIDC, and by nothing else: the trust requires the token's audience and subject to be exactly these (StringEquals), and sessions last at most an hour.${spec.grants.length > 0 ? ' Its permissions are what the job does with AWS, as read from its steps.' : ''}`,
    value: cfn.map([
      ['Type', cfn.str('AWS::IAM::Role')],
      ['Properties', cfn.map([
        ['RoleName', cfn.str(spec.roleName)],
        ['Description', cfn.str(spec.description)],
        ['MaxSessionDuration', cfn.num(3600)],
        ['AssumeRolePolicyDocument', cfn.map([
          ['Version', cfn.str('2012-10-17', true)],
          ['Statement', cfn.list([
            cfn.map([
              ['Effect', cfn.str('Allow')],
              ['Principal', cfn.map([['Federated', principal]])],
              ['Action', cfn.str('sts:AssumeRoleWithWebIdentity')],
              ['Condition', cfn.map([
                ['StringEquals', cfn.map([
                  [`${spec.issuerHost}:aud`, cfn.str(spec.audience)],
                  [`${spec.issuerHost}:sub`, cfn.str(spec.subject)],
                ])],
              ])],
            ]),
          ])],
        ])],
        spec.managedPolicyArns && spec.managedPolicyArns.length > 0 ? ['ManagedPolicyArns', cfn.list(spec.managedPolicyArns.map((arn) => cfn.str(arn)))] : undefined,
        policies ? ['Policies', policies] : undefined,
      ])],
    ]),
  });
  return { resources, roleId };
}

/** The issuer's OIDC provider as a template resource. */
export function cloudFormationProviderResource(issuer: CiIssuer, issuerHost: string, audience: string, logicalId: string): CfnEntry {
  return {
    key: logicalId,
    comment: `${issuerPossessive(issuer)} OIDC identity provider: one per issuer and account. No ThumbprintList: AWS validates GitHub's and GitLab's tokens through trusted root certificate authorities, and fetches a thumbprint itself for other issuers.`,
    value: cfn.map([
      ['Type', cfn.str('AWS::IAM::OIDCProvider')],
      ['Properties', cfn.map([
        ['Url', cfn.str(`https://${issuerHost}`)],
        ['ClientIdList', cfn.list([cfn.str(audience)])],
      ])],
    ]),
  };
}

function cloudFormationStatement(grant: Grant): CfnNode {
  const arn = (parts: Arn): CfnNode =>
    parts.every((p) => typeof p === 'string') ? cfn.str(parts.join('')) : cfn.sub(parts.map((p) => (typeof p === 'string' ? p.replace(/\$\{/g, '${!') : '${AWS::AccountId}')).join(''));
  return cfn.map([
    { key: 'Sid', value: cfn.str(grant.sid), comment: grant.because.map(shorten).join('; ') },
    ['Effect', cfn.str('Allow')],
    ['Action', cfn.list(grant.actions.map((a) => cfn.str(a)))],
    ['Resource', cfn.list(grant.resources.map(arn))],
    grant.condition ? ['Condition', cfn.map([['StringEquals', cfn.map(Object.entries(grant.condition).map(([k, v]) => [k, cfn.str(v)] as [string, CfnNode]))]])] : undefined,
  ]);
}
