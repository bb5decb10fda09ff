import { audienceChecked } from '../../iam/trust';
import type { AwsWebIdentityTrust } from '../../facts/model';
import type { GraphRole, WorkspaceGraph } from '../../graph/graph';
import { folderOf, joinPath } from '../../graph/paths';
import type { CiIssuer } from '../../graph/tokens';
import { cloudFormationAwsResources, cloudFormationProviderResource, issuerLabel, issuerPossessive, terraformAwsBlocks, terraformProviderBlock, terraformRoleOutput, type AwsRoleSpec, type ProviderChoice } from './aws';
import { yamlLines } from './cfn-render';
import { defaultAudience, describeScope } from './claims';
import type { FederationPlan } from './federation';
import { inferAwsPermissions } from '../../iam/least-privilege';
import { fileHeader, generatedFile, generatedFileName, isGenerated, type PlanInput } from './generated';
import { iamName, kebab, terraformLabel } from './render';
import { iacDialect, targetFolder } from './target-folder';

export function planAws(input: PlanInput): FederationPlan | undefined {
  const { request, graph, issuerHost, subject } = input;
  const account = graph.soleAccount();
  const reused = reusableRole(graph, issuerHost, subject);
  if (reused) {
    const role = reused.identity;
    const roleName = role.roleName!;
    const notes: string[] = [];
    const checked = audienceChecked(reused.trust);
    const expected = defaultAudience('aws', request.issuer, issuerHost)!;
    if (checked && checked !== expected) notes.push(audienceNote(request.issuer, checked, `Role ${roleName} checks the audience "${checked}"`));
    const roleArn = graph.roleArn(roleName, role.rolePath) ?? builtRoleArn(request.issuer, account, roleName, role.rolePath, notes);
    return { identity: { cloud: 'aws', roleArn, roleName }, reused: true, creates: [], edits: [], notes };
  }
  return writeRole(input, account);
}

/**
 * A role of the workspace whose web-identity trust admits exactly this subject (see
 * `WorkspaceGraph.rolesAdmittingOnly`). Roles without a literal name are skipped: their ARN cannot
 * be told.
 */
export function reusableRole(graph: WorkspaceGraph, issuerHost: string, subject: string): (GraphRole & { trust: AwsWebIdentityTrust }) | undefined {
  return graph.rolesAdmittingOnly(issuerHost, subject).find((c) => c.identity.roleName !== undefined);
}

/**
 * What the job must request when the trust checks another audience than the default. The GitLab
 * rewrite reads the audience from this wording (`id_tokens must request \`aud: …\``): keep it.
 */
function audienceNote(issuer: CiIssuer, audience: string, who: string): string {
  return issuer === 'github'
    ? `${who} only: the job must request it (configure-aws-credentials \`audience: ${audience}\`)`
    : `${who} only: the job's id_tokens must request \`aud: ${audience}\``;
}

/** The role's ARN from the account the workspace shows, else with the account as a CI variable (noted). */
function builtRoleArn(issuer: CiIssuer, account: string | undefined, roleName: string, rolePath: string | undefined, notes: string[]): string {
  const path = rolePath ? `${rolePath.replace(/^\/|\/$/g, '')}/` : '';
  if (account) return `arn:aws:iam::${account}:role/${path}${roleName}`;
  notes.push(
    issuer === 'github'
      ? `The workspace does not show which AWS account holds role ${roleName}: set the repository variable AWS_ACCOUNT_ID to its id`
      : `The workspace does not show which AWS account holds role ${roleName}: set the CI/CD variable AWS_ACCOUNT_ID to its id`,
  );
  return issuer === 'github' ? `arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/${path}${roleName}` : `arn:aws:iam::\${AWS_ACCOUNT_ID}:role/${path}${roleName}`;
}

// ---------------------------------------------------------------------------------------------
// Writing

function writeRole(input: PlanInput, account: string | undefined): FederationPlan | undefined {
  const { request, workspace, graph, repository, issuerHost, subject, scopeName } = input;
  const dialect = iacDialect(graph);
  const folder = targetFolder(graph, dialect, request.job.file);
  const path = joinPath(folder, generatedFileName(repository, scopeName, dialect === 'terraform' ? 'tf' : 'yaml', kebab));
  if (workspace.files.has(path) && !isGenerated(workspace.files.get(path)!.text)) return undefined;

  // IAM names are unique per account: a role of that name the workspace has (not reusable, or it
  // would have been) keeps it, and this one is told apart.
  const taken = new Set(graph.roles.filter((r) => r.path !== path).map((r) => r.identity.roleName));
  let roleName = iamName([request.issuer === 'github' ? 'gha' : 'gitlab', repository.name, scopeName]);
  if (taken.has(roleName)) roleName = iamName([roleName.slice(0, 58), 'oidc']);
  const label = terraformLabel(roleName);
  const providers = graph.awsOidcProviders(issuerHost).filter((p) => p.path !== path);
  const notes: string[] = [];
  let audience = defaultAudience('aws', request.issuer, issuerHost)!;
  const known = providers[0]?.provider;
  if (known && known.clientIds.length > 0 && !known.clientIds.includes(audience)) {
    if (known.clientIds.length === 1) {
      // The provider only accepts its own client id as the audience: the trust checks that one.
      audience = known.clientIds[0]!;
      notes.push(audienceNote(request.issuer, audience, `The account's OIDC provider accepts the audience "${audience}"`));
    } else return undefined;
  }
  let provider: ProviderChoice;
  let providerFile: Pick<FederationPlan, 'creates' | 'edits'> | undefined;
  const sameModule = providers.find((p) => (dialect === 'terraform' ? folderOf(p.path) === folder && /\.tf$/.test(p.path) : false));
  if (sameModule) provider = { kind: 'resource', name: sameModule.provider.name };
  else if (known && account) provider = { kind: 'arn', arn: `arn:aws:iam::${account}:oidc-provider/${issuerHost}` };
  else if (known) provider = { kind: 'lookup' };
  else {
    // The provider is the account's, not this role's: it gets a file of its own, the same for every
    // role of the issuer, so that plans for several jobs applied together write it once.
    const providerPath = joinPath(folder, `keyless-oidc-provider-${request.issuer}.${dialect === 'terraform' ? 'tf' : 'yaml'}`);
    const name = dialect === 'terraform' ? uniqueProviderLabel(graph, folder, request.issuer, providerPath) : `${request.issuer === 'github' ? 'GitHub' : 'GitLab'}OidcProvider`;
    const text = dialect === 'terraform' ? terraformProviderFile(request.issuer, issuerHost, audience, name) : cloudFormationProviderFile(request.issuer, issuerHost, audience, name);
    providerFile = generatedFile(workspace, providerPath, text);
    if (!providerFile) return undefined;
    if (dialect === 'terraform') provider = { kind: 'resource', name };
    else {
      provider = { kind: 'lookup' };
      notes.push(`Deploy ${providerPath} before this template: the role names the OIDC provider by its ARN`);
    }
  }

  const permissions = inferAwsPermissions(request.usage, { ...(account ? { account } : {}), ...(request.region ? { region: request.region } : {}) });
  notes.push(...permissions.notes);
  if (permissions.grants.length === 0 && permissions.notes.length === 0) notes.push(`No AWS call of job "${request.job.name}" was recognised: the role has no permissions yet; grant what the job needs`);
  const roleArn = builtRoleArn(request.issuer, account, roleName, undefined, notes);

  const usedBy = `job "${request.job.name}" (${request.job.file}) of ${repository.owner}/${repository.name}, ${describeScope(request.subject)}`;
  const spec: AwsRoleSpec = {
    issuer: request.issuer,
    issuerHost,
    audience,
    subject,
    roleName,
    label,
    description: `${issuerLabel(request.issuer)} OIDC for ${repository.owner}/${repository.name} ${describeScope(request.subject).replace(/"/g, '')}, written by Keyless`,
    provider,
    grants: permissions.grants,
    usedBy,
  };
  const header = `${issuerLabel(request.issuer)} OIDC federation for ${repository.owner}/${repository.name}, ${describeScope(request.subject)}. Job "${request.job.name}" assumes this role with a short-lived token instead of long-lived access keys.`;
  const text = dialect === 'terraform' ? terraformFile(header, spec, notes) : cloudFormationFile(header, spec, notes);
  const file = generatedFile(workspace, path, text);
  if (!file) return undefined;
  return {
    identity: { cloud: 'aws', roleArn, roleName },
    reused: false,
    creates: [...(providerFile?.creates ?? []), ...file.creates],
    edits: [...(providerFile?.edits ?? []), ...file.edits],
    notes,
  };
}

/** `github`, unless the module already has a provider of that name (for another issuer). */
function uniqueProviderLabel(graph: WorkspaceGraph, folder: string, issuer: CiIssuer, rewritten: string): string {
  const taken = new Set(graph.awsOidcProviders().filter((p) => folderOf(p.path) === folder && p.path !== rewritten).map((p) => p.provider.name));
  let label: string = issuer;
  for (let n = 2; taken.has(label); n++) label = `${issuer}_${n}`;
  return label;
}

function terraformFile(header: string, spec: AwsRoleSpec, notes: readonly string[]): string {
  const head = fileHeader(header, notes).join('\n');
  return `${[head, ...terraformAwsBlocks(spec), terraformRoleOutput(spec.label)].join('\n\n')}\n`;
}

const PROVIDER_HEADER = (issuer: CiIssuer): string =>
  `${issuerPossessive(issuer)} OIDC identity provider: one per AWS account, shared by the roles Keyless writes beside it (keyless-oidc-*). Their trusts name it; it admits no one by itself.`;

function terraformProviderFile(issuer: CiIssuer, issuerHost: string, audience: string, name: string): string {
  return `${[fileHeader(PROVIDER_HEADER(issuer), []).join('\n'), terraformProviderBlock(issuer, issuerHost, audience, name)].join('\n\n')}\n`;
}

function cloudFormationProviderFile(issuer: CiIssuer, issuerHost: string, audience: string, name: string): string {
  return [
    ...fileHeader(PROVIDER_HEADER(issuer), [], 'cloudformation'),
    'AWSTemplateFormatVersion: "2010-09-09"',
    `Description: ${JSON.stringify(`${issuerLabel(issuer)} OIDC identity provider (written by Keyless)`)}`,
    'Resources:',
    ...yamlLines([cloudFormationProviderResource(issuer, issuerHost, audience, name)], '  '),
    'Outputs:',
    '  ProviderArn:',
    `    Value: !Ref ${name}`,
    '',
  ].join('\n');
}

function cloudFormationFile(header: string, spec: AwsRoleSpec, notes: readonly string[]): string {
  const { resources, roleId } = cloudFormationAwsResources(spec);
  return [
    ...fileHeader(header, notes, 'cloudformation'),
    'AWSTemplateFormatVersion: "2010-09-09"',
    `Description: ${JSON.stringify(`${issuerLabel(spec.issuer)} OIDC federation: role ${spec.roleName} (written by Keyless)`)}`,
    'Resources:',
    ...yamlLines(resources, '  '),
    'Outputs:',
    '  RoleArn:',
    '    Description: The role CI assumes (role-to-assume / AWS_ROLE_ARN).',
    `    Value: !GetAtt ${roleId}.Arn`,
    '',
  ].join('\n');
}

