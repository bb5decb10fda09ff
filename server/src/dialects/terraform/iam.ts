import type { Declaration, Facts, GcpProviderTrust, Identity, OidcProvider, PolicyDocument, PolicyOwner, Trust, ValueAt } from '../../facts/model';
import { issuerOf, webIdentityTrusts } from '../../iam/trust';
import { readPolicyDocument, readPolicyDocumentBlock } from '../iam-policy/policy-document';
import { fromTfExpr } from '../iam-policy/policy-value';
import { literalString, type TerraformFile, type TfBlock, type TfExpr } from './model';
import { terraformDeclarations } from './declarations';

/**
 * IAM in Terraform: roles with their trust policies and session limits, policy documents (inline
 * `jsonencode`, heredocs, `aws_iam_policy_document` data sources), and the federation resources
 * of Google Cloud and Azure.
 */

/** Resources whose `policy` attribute is an identity policy. */
const POLICY_RESOURCES = new Set(['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy']);

const AZURE_FEDERATED_CREDENTIALS = new Set([
  'azuread_application_federated_identity_credential',
  'azurerm_federated_identity_credential',
]);

export function terraformIamFacts(file: TerraformFile, text: string): Partial<Facts> {
  const policies: PolicyDocument[] = [];
  const identities: Identity[] = [];
  const trusts: Trust[] = [];
  const oidcProviders: OidcProvider[] = [];
  const providerHosts = oidcProviderHosts(file);
  const resolveProviderHost = (reference: string): string | undefined => {
    const match = /aws_iam_openid_connect_provider\.([A-Za-z0-9_-]+)\./.exec(reference);
    return match ? providerHosts.get(match[1]!) : undefined;
  };
  const bindings = workloadIdentityBindings(file);

  for (const block of file.blocks) {
    const [type = '', name = ''] = block.labels;
    if (block.type === 'data' && type === 'aws_iam_policy_document') {
      policies.push(readPolicyDocumentBlock(block, owner('policy-document', type, name, block)));
      continue;
    }
    if (block.type !== 'resource') continue;
    if (type === 'aws_iam_role') {
      const trustPolicy = block.attribute('assume_role_policy')?.value;
      const literalName = literalString(block.attribute('name')?.value);
      if (trustPolicy) policies.push(readPolicyDocument(fromTfExpr(trustPolicy), { ...owner('role-trust', type, name, block), ...(literalName ? { roleNames: [literalName] } : {}) }, text, policyForm(trustPolicy)));
      for (const inline of block.blocks('inline_policy')) {
        const policy = inline.attribute('policy')?.value;
        if (policy) policies.push(readPolicyDocument(fromTfExpr(policy), owner('identity-policy', type, name, block), text, policyForm(policy)));
      }
      const duration = block.attribute('max_session_duration')?.value;
      const roleName = literalString(block.attribute('name')?.value);
      const rolePath = literalString(block.attribute('path')?.value);
      identities.push({
        kind: 'aws-role',
        resourceType: type,
        name,
        anchor: block.headerSpan,
        span: block.span,
        ...(duration ? { maxSessionDuration: valueAt(duration) } : {}),
        ...(roleName ? { roleName } : {}),
        ...(rolePath && rolePath !== '/' ? { rolePath } : {}),
        ...(trustPolicy?.kind === 'reference' ? { trustPolicyRef: trustPolicy.text } : {}),
      });
    } else if (POLICY_RESOURCES.has(type)) {
      const policy = block.attribute('policy')?.value;
      if (policy) policies.push(readPolicyDocument(fromTfExpr(policy), owner('identity-policy', type, name, block), text, policyForm(policy)));
    } else if (type === 'aws_iam_openid_connect_provider') {
      const url = literalString(block.attribute('url')?.value);
      const clients = block.attribute('client_id_list')?.value;
      if (url) {
        oidcProviders.push({
          kind: 'aws-oidc-provider',
          resourceType: type,
          name,
          issuerHost: hostOfUrl(url),
          clientIds: clients?.kind === 'tuple' ? clients.items.flatMap((item) => (item.kind === 'string' && !item.template ? [item.value] : [])) : [],
          anchor: block.headerSpan,
        });
      }
    } else if (type === 'google_iam_workload_identity_pool') {
      const poolId = literalString(block.attribute('workload_identity_pool_id')?.value);
      const project = literalString(block.attribute('project')?.value);
      oidcProviders.push({ kind: 'gcp-workload-identity-pool', name, anchor: block.headerSpan, ...(poolId ? { poolId } : {}), ...(project ? { project } : {}) });
    } else if (type === 'google_iam_workload_identity_pool_provider') {
      trusts.push(gcpProviderTrust(block, name, bindings));
    } else if (AZURE_FEDERATED_CREDENTIALS.has(type)) {
      const subject = block.attribute('subject')?.value;
      const issuer = literalString(block.attribute('issuer')?.value) ?? '';
      const audiences = block.attribute('audiences')?.value;
      trusts.push({
        kind: 'azure-federated-credential',
        issuer: issuerOf(issuer.replace(/^https?:\/\//, '')),
        name,
        resourceType: type,
        ...(issuer ? { issuerUrl: issuer } : {}),
        anchor: block.headerSpan,
        ...(subject ? { subject: valueAt(subject) } : {}),
        audiences: audiences?.kind === 'tuple' ? audiences.items.map(valueAt) : audiences ? [valueAt(audiences)] : [],
      });
    }
  }
  // A data source's document is the trust of the roles whose assume_role_policy is its `json`.
  for (const policy of policies) {
    if (policy.owner.resourceType !== 'aws_iam_policy_document') continue;
    const reference = `data.aws_iam_policy_document.${policy.owner.name}.json`;
    const names = identities.filter((i) => i.trustPolicyRef === reference && i.roleName).map((i) => i.roleName!);
    if (names.length > 0) policy.owner.roleNames = names;
  }
  for (const policy of policies) trusts.push(...webIdentityTrusts(policy, resolveProviderHost));
  for (const block of file.blocks) TERRAFORM_FILES.set(block, file);
  return { policies, identities, trusts, oidcProviders };
}

/**
 * The file each block was read from, for fixers that start from one block (a minted key) and
 * must see the rest of its file (the outputs and policies that name it). Weak: it lives as long as
 * the blocks, that is, as long as the parse.
 */
const TERRAFORM_FILES = new WeakMap<TfBlock, TerraformFile>();

export function terraformFileOf(block: TfBlock): TerraformFile | undefined {
  return TERRAFORM_FILES.get(block);
}

/** The declarations of the file a block was read from. */
export function declarationsBeside(block: TfBlock, text: string): Declaration[] | undefined {
  const file = TERRAFORM_FILES.get(block);
  return file ? terraformDeclarations(file, text) : undefined;
}

/** `jsonencode({...})` is written in HCL; a string (heredoc) holds JSON. */
function policyForm(expr: TfExpr): 'jsonencode' | 'json' {
  return expr.kind === 'call' ? 'jsonencode' : 'json';
}

function hostOfUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

function owner(kind: PolicyOwner['kind'], resourceType: string, name: string, block: TfBlock): PolicyOwner {
  return { kind, resourceType, name, anchor: block.headerSpan };
}

export function valueAt(expr: TfExpr): ValueAt {
  switch (expr.kind) {
    case 'string':
      return { value: expr.value, span: expr.span, ...(expr.template ? { computed: true } : {}) };
    case 'number':
    case 'bool':
    case 'null':
      return { value: expr.text, span: expr.span };
    case 'reference':
    case 'other':
      return { value: expr.text, span: expr.span, computed: true };
    default:
      return { value: '', span: expr.span, computed: true };
  }
}

/** `aws_iam_openid_connect_provider` names → their issuer host, to resolve `….github.arn` principals. */
function oidcProviderHosts(file: TerraformFile): Map<string, string> {
  const hosts = new Map<string, string>();
  for (const block of file.blocks) {
    if (block.type !== 'resource' || block.labels[0] !== 'aws_iam_openid_connect_provider') continue;
    const url = literalString(block.attribute('url')?.value);
    if (url) hosts.set(block.labels[1] ?? '', url.replace(/^https?:\/\//, '').replace(/\/$/, ''));
  }
  return hosts;
}

/** Members that service-account bindings grant to workload identity principals (`principalSet://…`). */
function workloadIdentityBindings(file: TerraformFile): ValueAt[] {
  const members: ValueAt[] = [];
  for (const block of file.blocks) {
    if (block.type !== 'resource' || !/^google_service_account_iam_(?:member|binding)$/.test(block.labels[0] ?? '')) continue;
    const role = literalString(block.attribute('role')?.value);
    if (role !== 'roles/iam.workloadIdentityUser') continue;
    const member = block.attribute('member')?.value ?? block.attribute('members')?.value;
    const values = member?.kind === 'tuple' ? member.items : member ? [member] : [];
    for (const value of values) if (value.kind === 'string' && /^principal(?:Set)?:\/\//.test(value.value)) members.push({ value: value.value, span: value.span });
  }
  return members;
}

function gcpProviderTrust(block: TfBlock, name: string, bindings: ValueAt[]): GcpProviderTrust {
  const oidc = block.blocks('oidc')[0];
  const issuerUri = literalString(oidc?.attribute('issuer_uri')?.value) ?? '';
  const condition = block.attribute('attribute_condition')?.value;
  const pool = block.attribute('workload_identity_pool_id')?.value;
  const providerId = literalString(block.attribute('workload_identity_pool_provider_id')?.value);
  const poolRef = pool?.kind === 'reference' ? pool.text : literalString(pool);
  const mapping = block.attribute('attribute_mapping')?.value;
  const attributeMapping: Record<string, string> = {};
  if (mapping?.kind === 'object') for (const e of mapping.entries) if (e.value.kind === 'string' && !e.value.template) attributeMapping[e.key] = e.value.value;
  return {
    kind: 'gcp-workload-identity-provider',
    issuer: issuerOf(issuerUri.replace(/^https?:\/\//, '')),
    name,
    anchor: block.headerSpan,
    span: block.span,
    ...(poolRef ? { poolRef } : {}),
    ...(providerId ? { providerId } : {}),
    ...(mapping?.kind === 'object' ? { attributeMapping } : {}),
    ...(condition ? { attributeCondition: valueAt(condition) } : {}),
    boundPrincipals: bindings,
  };
}
