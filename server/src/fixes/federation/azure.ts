import type { AzureFederatedCredentialTrust } from '../../facts/model';
import type { CiIssuer } from '../../graph/tokens';
import type { FederationPlan } from './federation';
import { fileHeader, generatedFile, generatedFileName, isGenerated, type PlanInput } from './generated';
import { alignedAttributes, commentLines, hclString, iamName, kebab, terraformLabel } from './render';
import { AZURE_AUDIENCE, describeScope, issuerUrl } from './claims';
import { joinPath } from '../../graph/paths';
import { targetFolder } from './target-folder';

/**
 * Azure's side of federation, in Terraform: a federated identity credential with the exact
 * subject of this repository's environment or branch, on the user-assigned managed identity or the
 * application the module defines (a new application when it defines neither). Entra ID matches
 * subjects exactly, so the credential admits that subject and nothing else.
 */

export type AzureParent =
  /** `azurerm_user_assigned_identity.<label>` */
  | { kind: 'identity'; label: string }
  /** `azuread_application.<label>` */
  | { kind: 'application'; label: string }
  /** A new application and its service principal. */
  | { kind: 'declare'; label: string; displayName: string }
  /** An application named as a key names it: the attribute and expression to copy, and its client id when known. */
  | { kind: 'expression'; attribute: 'application_id' | 'application_object_id'; expression: string; clientId?: string };

export interface AzureSpec {
  issuer: CiIssuer;
  issuerHost: string;
  subject: string;
  /** The credential's Terraform label. */
  label: string;
  /** The credential's name in Entra ID. */
  credentialName: string;
  parent: AzureParent;
  usedBy: string;
}

export function planAzure(input: PlanInput): FederationPlan | undefined {
  const { request, workspace, graph, repository, scopeName, issuerHost, subject } = input;
  const notes: string[] = [];
  const identity = azureIdentity(request.issuer, notes);
  const reused = graph.trusts
    .map((t) => t.trust)
    .find((t): t is AzureFederatedCredentialTrust => t.kind === 'azure-federated-credential' && normalizedUrl(t.issuerUrl) === issuerUrl(issuerHost) && t.subject?.value === subject);
  if (reused) return { identity, reused: true, creates: [], edits: [], notes };

  const folder = targetFolder(graph, 'terraform', request.job.file);
  const path = joinPath(folder, generatedFileName(repository, scopeName, 'tf', kebab));
  if (workspace.files.has(path) && !isGenerated(workspace.files.get(path)!.text)) return undefined;
  const declarations = graph.moduleDeclarations(folder).filter((d) => d.path !== path).map((d) => d.declaration);
  const name = iamName([request.issuer === 'github' ? 'gha' : 'gitlab', repository.name, scopeName]);
  const label = terraformLabel(name);
  const identities = declarations.filter((d) => d.type === 'azurerm_user_assigned_identity');
  const applications = declarations.filter((d) => d.type === 'azuread_application');
  let parent: AzureParent;
  if (identities.length === 1) parent = { kind: 'identity', label: identities[0]!.name };
  else if (applications.length === 1) parent = { kind: 'application', label: applications[0]!.name };
  else {
    parent = { kind: 'declare', label, displayName: name };
    notes.push('The new application has no role assignments: grant its service principal what the job needs (azurerm_role_assignment); Keyless does not infer Azure permissions');
  }
  if (parent.kind !== 'declare') notes.push(`The credential is added to ${parent.kind === 'identity' ? 'azurerm_user_assigned_identity' : 'azuread_application'}.${parent.label}, the only one the module defines: check that it is the identity the job used`);
  const spec: AzureSpec = {
    issuer: request.issuer,
    issuerHost,
    subject,
    label,
    credentialName: name,
    parent,
    usedBy: `job "${request.job.name}" (${request.job.file}) of ${repository.owner}/${repository.name}, ${describeScope(request.subject)}`,
  };
  const header = fileHeader(`${request.issuer === 'github' ? 'GitHub Actions' : 'GitLab CI'} OIDC federation with Microsoft Entra ID for ${repository.owner}/${repository.name}, ${describeScope(request.subject)}. Job "${request.job.name}" signs in with a short-lived token instead of a client secret.`, notes).join('\n');
  const file = generatedFile(workspace, path, `${[header, ...terraformAzureBlocks(spec), azureOutput(spec) ?? ''].filter(Boolean).join('\n\n')}\n`);
  if (!file) return undefined;
  return { identity, reused: false, ...file, notes };
}

function normalizedUrl(url: string | undefined): string | undefined {
  return url?.replace(/\/+$/, '').toLowerCase();
}

/** Client, tenant and subscription ids are not in the code: CI variables, with a note. */
export function azureIdentity(issuer: CiIssuer, notes: string[]): FederationPlan['identity'] {
  const variable = (name: string): string => (issuer === 'github' ? `\${{ vars.${name} }}` : `\${${name}}`);
  notes.push(`Set the ${issuer === 'github' ? 'repository' : 'CI/CD'} variables AZURE_CLIENT_ID (the output client_id), AZURE_TENANT_ID and AZURE_SUBSCRIPTION_ID: they are not secrets`);
  return { cloud: 'azure', clientId: variable('AZURE_CLIENT_ID'), tenantId: variable('AZURE_TENANT_ID'), subscriptionId: variable('AZURE_SUBSCRIPTION_ID') };
}

export function terraformAzureBlocks(spec: AzureSpec): string[] {
  const blocks: string[] = [];
  if (spec.parent.kind === 'declare') {
    blocks.push([
      '# The application the job signs in as, and its service principal (what role assignments name).',
      `resource "azuread_application" ${hclString(spec.parent.label)} {`,
      `  display_name = ${hclString(spec.parent.displayName)}`,
      '}',
      '',
      `resource "azuread_service_principal" ${hclString(spec.parent.label)} {`,
      `  client_id = azuread_application.${spec.parent.label}.client_id`,
      '}',
    ].join('\n'));
  }
  const why = commentLines(`Lets ${spec.usedBy} sign in, and nothing else: Entra ID matches the token's issuer, audience and subject exactly.`, '#');
  if (spec.parent.kind === 'identity') {
    blocks.push([
      ...why,
      `resource "azurerm_federated_identity_credential" ${hclString(spec.label)} {`,
      ...alignedAttributes([
        ['name', hclString(spec.credentialName)],
        ['resource_group_name', `azurerm_user_assigned_identity.${spec.parent.label}.resource_group_name`],
        ['parent_id', `azurerm_user_assigned_identity.${spec.parent.label}.id`],
        ['audience', `[${hclString(AZURE_AUDIENCE)}]`],
        ['issuer', hclString(issuerUrl(spec.issuerHost))],
        ['subject', hclString(spec.subject)],
      ], '  '),
      '}',
    ].join('\n'));
  } else {
    const parent: [string, string] = spec.parent.kind === 'expression' ? [spec.parent.attribute, spec.parent.expression] : ['application_id', `azuread_application.${spec.parent.label}.id`];
    blocks.push([
      ...why,
      `resource "azuread_application_federated_identity_credential" ${hclString(spec.label)} {`,
      ...alignedAttributes([
        parent,
        ['display_name', hclString(spec.credentialName)],
        ['audiences', `[${hclString(AZURE_AUDIENCE)}]`],
        ['issuer', hclString(issuerUrl(spec.issuerHost))],
        ['subject', hclString(spec.subject)],
      ], '  '),
      '}',
    ].join('\n'));
  }
  return blocks;
}

export function azureOutput(spec: AzureSpec): string | undefined {
  const value = spec.parent.kind === 'identity' ? `azurerm_user_assigned_identity.${spec.parent.label}.client_id` : spec.parent.kind === 'expression' ? spec.parent.clientId : `azuread_application.${spec.parent.label}.client_id`;
  if (!value) return undefined;
  return [`output ${hclString(`${spec.label}_client_id`)} {`, ...alignedAttributes([
    ['description', hclString('client-id for azure/login (AZURE_CLIENT_ID).')],
    ['value', value],
  ], '  '), '}'].join('\n');
}
