import type { TfBlock } from '../../dialects/terraform/model';
import type { Declaration, MintedCredential } from '../../facts/model';
import { issuerLabel, terraformAwsBlocks, terraformRoleOutput, type AwsRoleSpec, type ProviderChoice } from '../../fixes/federation/aws';
import { reusableRole } from '../../fixes/federation/aws-plan';
import { azureOutput, terraformAzureBlocks, type AzureParent, type AzureSpec } from '../../fixes/federation/azure';
import { gcpOutputs, gcpSpec, serviceAccountOf, terraformGcpBlocks } from '../../fixes/federation/gcp';
import { commentLines, hclString, iamName, terraformLabel } from '../../fixes/federation/render';
import { defaultAudience } from '../../fixes/federation/claims';
import { workspaceGraph } from '../../graph/graph';
import { folderOf } from '../../graph/paths';
import type { FixContext, FixProposal, ProposedEdit } from '../../fixes/fixer';
import { eolOf, indentationAt, lineStartAt, startsLine } from '../../fixes/text';
import { sentence } from '../../fixes/follow-ups';
import { keyUser, onlyOneOfKind, roleFollowUp, type KeyUser } from './key-subject';
import { isHclBlock } from '../../fixes/iac/statement-edit';
import {
  attribute,
  contains,
  declarationsOf,
  deleteBlock,
  GITHUB_SECRET_TYPES,
  GITLAB_VARIABLE_TYPES,
  inFile,
  moduleOf,
  referencesTo,
  replaceBlock,
  secretsToVariables,
  type Located,
  type ModuleFile,
} from './terraform-module';

/**
 * long-lived-key in Terraform: the key resource is replaced, where it stood, by the federation
 * that makes it unnecessary, and what depended on the key follows — outputs of the key go, and the
 * GitHub secrets that carried it become variables naming the federated identity. Offered only
 * when every reference to the key is one of those (anything else would be left dangling), and
 * when the workspace shows whom the key served (see `keyUser`).
 */

/** The Terraform resources that mint each kind of credential. */
const MINTING_TYPES: Partial<Record<MintedCredential['kind'], string[]>> = {
  'aws-access-key-id': ['aws_iam_access_key'],
  'gcp-service-account-key': ['google_service_account_key'],
  'azure-client-secret': ['azuread_application_password', 'azuread_service_principal_password'],
};

interface KeyContext {
  fix: FixContext<MintedCredential>;
  minted: MintedCredential;
  module: ModuleFile[];
  key: Declaration;
  outputs: Located[];
  carriers: Located[];
  user: KeyUser;
}

export function fixTerraformKey(fix: FixContext<MintedCredential>, minted: MintedCredential, block: TfBlock): FixProposal[] {
  const { text, path, workspace } = fix;
  if (!isHclBlock(text, block) || !/\.tf$/.test(path)) return [];
  const module = moduleOf(block, text, path, workspace);
  if (!module) return [];
  const key = module[0]!.declarations.find((d) => d.type === minted.resourceType && d.span.start === block.span.start);
  if (!key) return [];
  const dependents = dependentsOf(module, `${minted.resourceType}.${minted.resourceName}`, key);
  if (!dependents) return [];
  if (minted.cloud === 'kubernetes') return [];
  const sameKind = MINTING_TYPES[minted.kind] ?? [];
  const inThisFile = module[0]!.declarations.filter((d) => sameKind.includes(d.type)).length;
  const user = keyUser(workspace, minted.cloud, dependents.carriers, onlyOneOfKind(workspace, path, minted.kind, inThisFile));
  if (!user) return [];
  const context: KeyContext = { fix, minted, module, key, ...dependents, user };
  switch (minted.resourceType) {
    case 'aws_iam_access_key':
      return awsKey(context);
    case 'google_service_account_key':
      return gcpKey(context);
    case 'azuread_application_password':
    case 'azuread_service_principal_password':
      return azureKey(context);
    default:
      return [];
  }
}

/**
 * The outputs, GitHub secrets and GitLab project variables that refer to the key; undefined when something else does (a
 * local, another resource), or when one of them is in a file these edits cannot write (`.tf.json`).
 */
function dependentsOf(module: ModuleFile[], address: string, key: Declaration): { outputs: Located[]; carriers: Located[] } | undefined {
  const outputs = new Set<Located>();
  const carriers = new Set<Located>();
  for (const reference of referencesTo(module, address)) {
    if (reference.file === module[0] && contains(key.span, reference.offset)) continue;
    const holder = reference.file.declarations.find((d) => contains(d.span, reference.offset));
    if (!holder || (reference.file.path !== undefined && !/\.tf$/.test(reference.file.path))) return undefined;
    const located = { file: reference.file, declaration: holder };
    if (holder.block === 'output') addOnce(outputs, located);
    else if (GITHUB_SECRET_TYPES.includes(holder.type) || GITLAB_VARIABLE_TYPES.includes(holder.type)) addOnce(carriers, located);
    else return undefined;
  }
  return { outputs: [...outputs], carriers: [...carriers] };
}

function addOnce(set: Set<Located>, located: Located): void {
  for (const existing of set) if (existing.declaration === located.declaration) return;
  set.add(located);
}

function outputRemovals(context: KeyContext): ProposedEdit[] {
  return context.outputs.map((o) => inFile(o.file, deleteBlock(o.file.text, o.declaration.span)));
}

function header(context: KeyContext, what: string, notes: readonly string[]): string {
  const lines = commentLines(`Replaces ${context.minted.resourceType}.${context.minted.resourceName} (written by Keyless): ${what}`, '#');
  for (const note of notes) lines.push(...commentLines(`Needs a person: ${note}`, '#'));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// AWS

function awsKey(context: KeyContext): FixProposal[] {
  const { fix, module, key, user } = context;
  const folder = folderOf(fix.path);
  const userReference = attribute(key, 'user');
  if (!userReference) return [];
  const userLabel = /^aws_iam_user\.([A-Za-z0-9_-]+)\.(?:name|id)$/.exec(userReference.text.trim())?.[1];
  const users = declarationsOf(module, 'aws_iam_user');
  const userDeclaration = userLabel ? users.find((u) => u.declaration.name === userLabel) : users.find((u) => attribute(u.declaration, 'name')?.literal === userReference.literal);
  const userName = userDeclaration ? attribute(userDeclaration.declaration, 'name')?.literal : userReference.literal;
  const label = userDeclaration?.declaration.name;
  const namesUser = (value: Declaration['attributes'][number] | undefined): boolean =>
    value !== undefined && ((label !== undefined && new RegExp(`^aws_iam_user\\.${label}\\.(?:name|id)$`).test(value.text.trim())) || (userName !== undefined && value.literal === userName));
  const mentionsUser = (value: Declaration['attributes'][number] | undefined): boolean =>
    value !== undefined && ((label !== undefined && new RegExp(`\\baws_iam_user\\.${label}\\.(?:name|id)\\b`).test(value.text)) || (userName !== undefined && value.text.includes(`"${userName}"`)));

  const attachments = declarationsOf(module, 'aws_iam_user_policy_attachment').filter((a) => namesUser(attribute(a.declaration, 'user')));
  const inline = declarationsOf(module, 'aws_iam_user_policy').filter((a) => namesUser(attribute(a.declaration, 'user')));
  const exclusive = declarationsOf(module, 'aws_iam_policy_attachment').filter((a) => mentionsUser(attribute(a.declaration, 'users')));
  const groups = declarationsOf(module, 'aws_iam_user_group_membership').filter((a) => namesUser(attribute(a.declaration, 'user')));
  if ([...attachments, ...inline, ...exclusive].some((a) => a.file.path !== undefined && !/\.tf$/.test(a.file.path))) return [];

  const graph = workspaceGraph(fix.workspace);
  const account = graph.soleAccount();
  const notes: string[] = [];
  if (groups.length > 0) notes.push(`the user's groups (${groups.map((g) => `${g.declaration.type}.${g.declaration.name}`).join(', ')}) grant it more; attach the groups' policies to the role too`);
  if (attachments.length + inline.length + exclusive.length === 0) notes.push('no policy of the user was found in this module: grant the role what the user could do');

  // A role of this module that already admits exactly this subject takes the user's policies.
  const reused = reusableRole(graph, user.issuerHost, user.subject);
  const roleName = iamName([user.issuer === 'github' ? 'gha' : 'gitlab', user.repository.name, user.scope.name]);
  let roleLabel: string;
  const blocks: string[] = [];
  if (reused && folderOf(reused.path) === folder && reused.identity.resourceType === 'aws_iam_role') {
    roleLabel = reused.identity.name;
  } else {
    roleLabel = terraformLabel(roleName);
    if (declarationsOf(module, 'aws_iam_role').some((r) => r.declaration.name === roleLabel || attribute(r.declaration, 'name')?.literal === roleName)) return [];
    const provider = providerFor(context, folder, account);
    if (!provider) return [];
    const spec: AwsRoleSpec = {
      issuer: user.issuer,
      issuerHost: user.issuerHost,
      audience: provider.audience,
      subject: user.subject,
      roleName,
      label: roleLabel,
      description: `${issuerLabel(user.issuer)} OIDC for ${user.described.replace(/"/g, '')}, written by Keyless`,
      provider: provider.choice,
      grants: [],
      usedBy: user.described,
    };
    if (provider.note) notes.push(provider.note);
    blocks.push(...terraformAwsBlocks(spec), terraformRoleOutput(roleLabel));
  }
  const owner = label ? `aws_iam_user.${label}` : `user ${userName ?? ''}`;
  const carriedOver = attachments.length + inline.length + exclusive.length > 0 ? `; the policies of ${owner} are attached to the role instead` : '';
  if (context.carriers.length === 0) notes.push(`point the CI at the role: set the ${user.issuer === 'github' ? 'repository' : 'CI/CD'} variable AWS_ROLE_ARN from the output ${roleLabel}_role_arn`);
  const what = `${user.described} assumes role ${roleName} through ${issuerLabel(user.issuer)} OIDC, with credentials that expire within the hour${carriedOver}.`;
  const edits: ProposedEdit[] = [];
  if (blocks.length > 0) edits.push(replaceBlock(fix.text, key.span, [header(context, what, notes), ...blocks]));
  else edits.push(deleteBlock(fix.text, key.span));
  const role = `aws_iam_role.${roleLabel}.name`;
  for (const attachment of attachments) {
    const moved = retarget(attachment, 'aws_iam_user_policy_attachment', 'aws_iam_role_policy_attachment', role);
    if (!moved) return [];
    edits.push(...moved);
  }
  for (const policy of inline) {
    const moved = retarget(policy, 'aws_iam_user_policy', 'aws_iam_role_policy', role);
    if (!moved) return [];
    edits.push(...moved);
  }
  for (const attachment of exclusive) {
    const added = addRole(attachment, role);
    if (!added) return [];
    edits.push(added);
  }
  edits.push(...outputRemovals(context));
  const variables = secretsToVariables(context.carriers, [{ name: 'AWS_ROLE_ARN', value: `aws_iam_role.${roleLabel}.arn` }]);
  if (!variables) return [];
  edits.push(...variables);
  return [{ title: `Replace the access key with OIDC role ${roleName}`, safe: false, edits, followUps: [roleFollowUp(roleName, user.described)] }];
}

/** The account's OIDC provider for the issuer: this module's, another module's (by ARN or URL), or a new one. */
function providerFor(context: KeyContext, folder: string, account: string | undefined): { choice: ProviderChoice; audience: string; note?: string } | undefined {
  const { user, module, fix } = context;
  let audience = defaultAudience('aws', user.issuer, user.issuerHost)!;
  const hostOf = (url: string | undefined): string | undefined => url?.replace(/^https?:\/\//, '').replace(/\/$/, '').toLowerCase();
  const local = declarationsOf(module, 'aws_iam_openid_connect_provider').find((p) => hostOf(attribute(p.declaration, 'url')?.literal) === user.issuerHost.toLowerCase());
  const elsewhere = workspaceGraph(fix.workspace).awsOidcProviders(user.issuerHost).filter((p) => folderOf(p.path) !== folder);
  const clientIds = local ? literalList(attribute(local.declaration, 'client_id_list')?.text) : elsewhere[0]?.provider.clientIds ?? [];
  let note: string | undefined;
  if (clientIds.length > 0 && !clientIds.includes(audience)) {
    if (clientIds.length !== 1) return undefined;
    audience = clientIds[0]!;
    note = user.issuer === 'github' ? `the account's OIDC provider accepts the audience "${audience}" only: the job must request it (configure-aws-credentials audience)` : `the account's OIDC provider accepts the audience "${audience}" only: the job's id_tokens must request it`;
  }
  if (local) return { choice: { kind: 'resource', name: local.declaration.name }, audience, ...(note ? { note } : {}) };
  if (elsewhere.length > 0) return { choice: account ? { kind: 'arn', arn: `arn:aws:iam::${account}:oidc-provider/${user.issuerHost}` } : { kind: 'lookup' }, audience, ...(note ? { note } : {}) };
  const taken = new Set(declarationsOf(module, 'aws_iam_openid_connect_provider').map((p) => p.declaration.name));
  let name: string = user.issuer;
  for (let n = 2; taken.has(name); n++) name = `${user.issuer}_${n}`;
  return { choice: { kind: 'declare', name }, audience };
}

function literalList(text: string | undefined): string[] {
  if (!text) return [];
  return [...text.matchAll(/"([^"$]*)"/g)].map((m) => m[1]!);
}

/** `resource "aws_iam_user_policy_attachment" "x" { user = … }` → the role's resource type, `role = …`. */
function retarget(located: Located, from: string, to: string, role: string): ProposedEdit[] | undefined {
  const { file, declaration } = located;
  const header = file.text.slice(declaration.anchor.start, declaration.anchor.end);
  const at = header.indexOf(`"${from}"`);
  const user = attribute(declaration, 'user');
  if (at === -1 || !user || file.text.slice(user.span.start, user.span.start + 4) !== 'user') return undefined;
  const typeStart = declaration.anchor.start + at + 1;
  return [
    inFile(file, { span: { start: typeStart, end: typeStart + from.length }, newText: to }),
    inFile(file, { span: { start: user.span.start, end: user.span.start + 4 }, newText: 'role' }),
    inFile(file, { span: user.valueSpan, newText: role }),
  ];
}

/** Adds the role to an exclusive `aws_iam_policy_attachment` (`roles = [...]`), leaving its users as they are. */
function addRole(located: Located, role: string): ProposedEdit | undefined {
  const { file, declaration } = located;
  const roles = attribute(declaration, 'roles');
  if (roles) {
    const close = roles.valueSpan.end - 1;
    if (file.text[close] !== ']') return undefined;
    const empty = file.text.slice(roles.valueSpan.start + 1, close).trim() === '';
    const trailing = /,\s*$/.test(file.text.slice(roles.valueSpan.start + 1, close));
    return inFile(file, { span: { start: close, end: close }, newText: empty ? role : trailing ? ` ${role}` : `, ${role}` });
  }
  const close = declaration.span.end - 1;
  const first = declaration.attributes[0];
  if (file.text[close] !== '}' || !startsLine(file.text, close) || !first || !startsLine(file.text, first.span.start)) return undefined;
  const at = lineStartAt(file.text, close);
  return inFile(file, { span: { start: at, end: at }, newText: `${indentationAt(file.text, first.span.start)}roles = [${role}]${eolOf(file.text)}` });
}

// ---------------------------------------------------------------------------------------------
// Google Cloud

function gcpKey(context: KeyContext): FixProposal[] {
  const { fix, module, key, user } = context;
  const folder = folderOf(fix.path);
  const declarations = module.flatMap((f) => f.declarations);
  const account = serviceAccountOf(key, declarations);
  if (!account) return [];
  const label = terraformLabel(iamName([user.issuer === 'github' ? 'gha' : 'gitlab', user.repository.name, user.scope.name]));
  if (declarations.some((d) => d.type === 'google_service_account_iam_member' && d.name === label)) return [];
  const graph = workspaceGraph(fix.workspace);
  const providers = graph.moduleGcpProviders(folder).filter((p) => p.path !== fix.path).map((p) => p.trust);
  const spec = gcpSpec(
    { issuer: user.issuer, issuerHost: user.issuerHost, subject: user.subject, repository: user.repository, scopeName: user.scope.name, usedBy: user.described },
    declarations,
    providers,
    [...graph.declarations().map((d) => d.declaration), ...module[0]!.declarations],
    label,
    account,
  );
  const what = `${user.described} impersonates ${account.email ?? 'the service account'} through ${issuerLabel(user.issuer)} workload identity federation, with tokens that expire within the hour; the account keeps its roles.`;
  const notes = context.carriers.length > 0 ? [] : [`set the ${user.issuer === 'github' ? 'repository' : 'CI/CD'} variables GCP_WORKLOAD_IDENTITY_PROVIDER and GCP_SERVICE_ACCOUNT from the outputs ${label}_workload_identity_provider and the account's email`];
  const edits: ProposedEdit[] = [replaceBlock(fix.text, key.span, [header(context, what, notes), ...terraformGcpBlocks(spec), ...gcpOutputs(spec)]), ...outputRemovals(context)];
  const email = /^google_service_account\.([A-Za-z0-9_-]+)\.(?:name|id)$/.exec(account.expression)?.[1];
  const variables = secretsToVariables(context.carriers, [
    { name: 'GCP_WORKLOAD_IDENTITY_PROVIDER', value: `google_iam_workload_identity_pool_provider.${spec.provider.label}.name` },
    ...(email ? [{ name: 'GCP_SERVICE_ACCOUNT', value: `google_service_account.${email}.email` }] : account.email ? [{ name: 'GCP_SERVICE_ACCOUNT', value: hclString(account.email) }] : []),
  ]);
  if (!variables) return [];
  edits.push(...variables);
  return [
    {
      title: 'Replace the service-account key with workload identity federation',
      safe: false,
      edits,
      followUps: [`Only ${user.described} can impersonate the service account now.`, ...notes.map(sentence)],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Azure

function azureKey(context: KeyContext): FixProposal[] {
  const { fix, module, key, user, minted } = context;
  const parent = applicationOf(key, minted.resourceType, module);
  if (!parent) return [];
  const name = iamName([user.issuer === 'github' ? 'gha' : 'gitlab', user.repository.name, user.scope.name]);
  const label = terraformLabel(name);
  if (module.some((f) => f.declarations.some((d) => d.type === 'azuread_application_federated_identity_credential' && d.name === label))) return [];
  if (context.carriers.length > 0 && !parent.clientId) return [];
  const spec: AzureSpec = { issuer: user.issuer, issuerHost: user.issuerHost, subject: user.subject, label, credentialName: name, parent, usedBy: user.described };
  const what = `${user.described} signs in through ${issuerLabel(user.issuer)} OIDC with a federated identity credential of the same application, with tokens that expire within the hour.`;
  const notes = [`set the ${user.issuer === 'github' ? 'repository' : 'CI/CD'} variables ${context.carriers.length > 0 ? '' : 'AZURE_CLIENT_ID (the output client_id), '}AZURE_TENANT_ID and AZURE_SUBSCRIPTION_ID`];
  const output = azureOutput(spec);
  const edits: ProposedEdit[] = [replaceBlock(fix.text, key.span, [header(context, what, notes), ...terraformAzureBlocks(spec), ...(output ? [output] : [])]), ...outputRemovals(context)];
  const variables = secretsToVariables(context.carriers, parent.clientId ? [{ name: 'AZURE_CLIENT_ID', value: parent.clientId }] : []);
  if (!variables) return [];
  edits.push(...variables);
  return [
    {
      title: 'Replace the client secret with a federated identity credential',
      safe: false,
      edits,
      followUps: [`Only ${user.described} can sign in as the application now.`, ...notes.map(sentence)],
    },
  ];
}

/**
 * The application a password belongs to, as its credential must name it: copied from the
 * password (`application_id` in azuread 3.x, `application_object_id` in 2.x), or through the
 * service principal a service-principal password names.
 */
function applicationOf(key: Declaration, type: string, module: readonly ModuleFile[]): Extract<AzureParent, { kind: 'expression' }> | undefined {
  if (type === 'azuread_application_password') {
    for (const name of ['application_id', 'application_object_id'] as const) {
      const value = attribute(key, name);
      if (!value) continue;
      const label = /^azuread_application\.([A-Za-z0-9_-]+)\.(?:id|object_id)$/.exec(value.text.trim())?.[1];
      const clientId = label ? `azuread_application.${label}.${name === 'application_id' ? 'client_id' : 'application_id'}` : undefined;
      return { kind: 'expression', attribute: name, expression: value.text.trim(), ...(clientId ? { clientId } : {}) };
    }
    return undefined;
  }
  const principal = /^azuread_service_principal\.([A-Za-z0-9_-]+)\.(?:id|object_id)$/.exec(attribute(key, 'service_principal_id')?.text.trim() ?? '')?.[1];
  const declaration = principal ? declarationsOf(module, 'azuread_service_principal').find((p) => p.declaration.name === principal)?.declaration : undefined;
  if (!declaration) return undefined;
  const v3 = /^azuread_application\.([A-Za-z0-9_-]+)\.client_id$/.exec(attribute(declaration, 'client_id')?.text.trim() ?? '')?.[1];
  if (v3) return { kind: 'expression', attribute: 'application_id', expression: `azuread_application.${v3}.id`, clientId: `azuread_application.${v3}.client_id` };
  const v2 = /^azuread_application\.([A-Za-z0-9_-]+)\.application_id$/.exec(attribute(declaration, 'application_id')?.text.trim() ?? '')?.[1];
  if (v2) return { kind: 'expression', attribute: 'application_object_id', expression: `azuread_application.${v2}.object_id`, clientId: `azuread_application.${v2}.application_id` };
  return undefined;
}
