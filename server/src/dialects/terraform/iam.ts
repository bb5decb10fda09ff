import type { Facts, GcpProviderTrust, Identity, PolicyDocument, PolicyOwner, Trust, ValueAt } from '../../facts/model';
import { readPolicyDocument, readPolicyDocumentBlock } from '../iam/policy-document';
import { fromTfExpr } from '../iam/policy-value';
import { issuerOf, webIdentityTrusts } from '../iam/trust';
import { literalString, type TerraformFile, type TfBlock, type TfExpr } from './model';

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
      if (trustPolicy) policies.push(readPolicyDocument(fromTfExpr(trustPolicy), owner('role-trust', type, name, block), text));
      for (const inline of block.blocks('inline_policy')) {
        const policy = inline.attribute('policy')?.value;
        if (policy) policies.push(readPolicyDocument(fromTfExpr(policy), owner('identity-policy', type, name, block), text));
      }
      const duration = block.attribute('max_session_duration')?.value;
      identities.push({ kind: 'aws-role', resourceType: type, name, anchor: block.headerSpan, ...(duration ? { maxSessionDuration: valueAt(duration) } : {}) });
    } else if (POLICY_RESOURCES.has(type)) {
      const policy = block.attribute('policy')?.value;
      if (policy) policies.push(readPolicyDocument(fromTfExpr(policy), owner('identity-policy', type, name, block), text));
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
        anchor: block.headerSpan,
        ...(subject ? { subject: valueAt(subject) } : {}),
        audiences: audiences?.kind === 'tuple' ? audiences.items.map(valueAt) : audiences ? [valueAt(audiences)] : [],
      });
    }
  }
  for (const policy of policies) trusts.push(...webIdentityTrusts(policy, resolveProviderHost));
  return { policies, identities, trusts };
}

function owner(kind: PolicyOwner['kind'], resourceType: string, name: string, block: TfBlock): PolicyOwner {
  return { kind, resourceType, name, anchor: block.headerSpan };
}

function valueAt(expr: TfExpr): ValueAt {
  switch (expr.kind) {
    case 'string':
      return { value: expr.value, span: expr.span };
    case 'number':
    case 'bool':
    case 'null':
      return { value: expr.text, span: expr.span };
    case 'reference':
    case 'other':
      return { value: expr.text, span: expr.span };
    default:
      return { value: '', span: expr.span };
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
  return {
    kind: 'gcp-workload-identity-provider',
    issuer: issuerOf(issuerUri.replace(/^https?:\/\//, '')),
    name,
    anchor: block.headerSpan,
    ...(condition ? { attributeCondition: valueAt(condition) } : {}),
    boundPrincipals: bindings,
  };
}
