import type { Declaration, Facts, GcpProviderTrust, IdentityKind, IdentityRef, Identity, OidcProvider, PolicyAttachment, PolicyDocument, PolicyLookup, PolicyOwner, PolicyReference, Trust, ValueAt } from '../../facts/model';
import { parseManagedPolicyArn } from '../../iam/managed-policies';
import { issuerOf, webIdentityTrusts } from '../../iam/trust';
import { LAMBDA_PERMISSION_CONDITIONS, lambdaPermissionStatement, policyReference, readPolicyDocument, readPolicyDocumentBlock } from '../iam-policy/policy-document';
import { fromTfExpr } from '../iam-policy/policy-value';
import type { Span } from '../../core/text';
import { literalString, type TerraformFile, type TfBlock, type TfExpr } from './model';
import { terraformDeclarations } from './declarations';

/**
 * IAM in Terraform: roles with their trust policies and session limits, policy documents (inline
 * `jsonencode`, heredocs, `aws_iam_policy_document` data sources, `file()`), who each belongs to,
 * managed policies attached by ARN, resource policies, and the federation resources of Google
 * Cloud and Azure.
 */

/** Resources whose attribute is an identity policy, and the attribute that names whom it grants to. */
const IDENTITY_POLICY_RESOURCES: ReadonlyMap<string, { policy: string; identity?: IdentityAttribute }> = tableOf({
  aws_iam_policy: { policy: 'policy' },
  aws_iam_role_policy: { policy: 'policy', identity: { attribute: 'role', kind: 'role' } },
  aws_iam_user_policy: { policy: 'policy', identity: { attribute: 'user', kind: 'user' } },
  aws_iam_group_policy: { policy: 'policy', identity: { attribute: 'group', kind: 'group' } },
  aws_ssoadmin_permission_set_inline_policy: { policy: 'inline_policy', identity: { attribute: 'permission_set_arn', kind: 'permission-set' } },
});

/** A table keyed by resource type, as a Map: a type named `constructor` finds nothing. */
function tableOf<T>(rows: Record<string, T>): ReadonlyMap<string, T> {
  return new Map(Object.entries(rows));
}

interface IdentityAttribute {
  attribute: string;
  kind: IdentityKind;
}

/** Resources that attach managed policies by ARN: the attribute holding the ARN (or a list of them), and those naming whom. */
const ATTACHMENT_RESOURCES: ReadonlyMap<string, { arns: string; identities: readonly IdentityAttribute[] }> = tableOf({
  aws_iam_role_policy_attachment: { arns: 'policy_arn', identities: [{ attribute: 'role', kind: 'role' }] },
  aws_iam_user_policy_attachment: { arns: 'policy_arn', identities: [{ attribute: 'user', kind: 'user' }] },
  aws_iam_group_policy_attachment: { arns: 'policy_arn', identities: [{ attribute: 'group', kind: 'group' }] },
  aws_iam_policy_attachment: {
    arns: 'policy_arn',
    identities: [
      { attribute: 'roles', kind: 'role' },
      { attribute: 'users', kind: 'user' },
      { attribute: 'groups', kind: 'group' },
    ],
  },
  aws_iam_role_policy_attachments_exclusive: { arns: 'policy_arns', identities: [{ attribute: 'role_name', kind: 'role' }] },
  aws_iam_user_policy_attachments_exclusive: { arns: 'policy_arns', identities: [{ attribute: 'user_name', kind: 'user' }] },
  aws_iam_group_policy_attachments_exclusive: { arns: 'policy_arns', identities: [{ attribute: 'group_name', kind: 'group' }] },
  aws_ssoadmin_managed_policy_attachment: { arns: 'managed_policy_arn', identities: [{ attribute: 'permission_set_arn', kind: 'permission-set' }] },
});

/**
 * Resources that carry a resource policy: the attribute holding it, and the one naming the
 * resource it governs (absent when the policy is an attribute of the resource itself). From the
 * AWS provider's documentation of each resource.
 */
const RESOURCE_POLICY_RESOURCES: ReadonlyMap<string, { policy: string; target?: string }> = tableOf({
  aws_s3_bucket_policy: { policy: 'policy', target: 'bucket' },
  aws_s3_bucket: { policy: 'policy' },
  aws_s3control_bucket_policy: { policy: 'policy', target: 'bucket' },
  aws_s3_access_point: { policy: 'policy' },
  aws_kms_key: { policy: 'policy' },
  aws_kms_key_policy: { policy: 'policy', target: 'key_id' },
  aws_sqs_queue: { policy: 'policy' },
  aws_sqs_queue_policy: { policy: 'policy', target: 'queue_url' },
  aws_sns_topic: { policy: 'policy' },
  aws_sns_topic_policy: { policy: 'policy', target: 'arn' },
  aws_ecr_repository_policy: { policy: 'policy', target: 'repository' },
  aws_ecr_registry_policy: { policy: 'policy' },
  aws_secretsmanager_secret: { policy: 'policy' },
  aws_secretsmanager_secret_policy: { policy: 'policy', target: 'secret_arn' },
  aws_glacier_vault: { policy: 'access_policy' },
  aws_elasticsearch_domain: { policy: 'access_policies' },
  aws_elasticsearch_domain_policy: { policy: 'access_policies', target: 'domain_name' },
  aws_opensearch_domain: { policy: 'access_policies' },
  aws_opensearch_domain_policy: { policy: 'access_policies', target: 'domain_name' },
  aws_efs_file_system_policy: { policy: 'policy', target: 'file_system_id' },
  aws_backup_vault_policy: { policy: 'policy', target: 'backup_vault_name' },
  aws_cloudwatch_log_resource_policy: { policy: 'policy_document' },
  aws_api_gateway_rest_api: { policy: 'policy' },
  aws_api_gateway_rest_api_policy: { policy: 'policy', target: 'rest_api_id' },
  aws_glue_resource_policy: { policy: 'policy' },
});

const AZURE_FEDERATED_CREDENTIALS = new Set([
  'azuread_application_federated_identity_credential',
  'azurerm_federated_identity_credential',
]);

export function terraformIamFacts(file: TerraformFile, text: string): Partial<Facts> {
  const policies: PolicyDocument[] = [];
  const policyAttachments: PolicyAttachment[] = [];
  const policyLookups = managedPolicyLookups(file);
  const lookupsByAddress = new Map(policyLookups.map((l) => [l.address, l]));
  const attach = (owner: PolicyOwner, expr: TfExpr, span: Span): void => {
    for (const item of expr.kind === 'tuple' ? expr.items : [expr]) policyAttachments.push(attachment(owner, item, item === expr ? span : item.span, lookupsByAddress));
  };
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
      policies.push(readPolicyDocumentBlock(block, owner('policy-document', type, name, block), text));
      continue;
    }
    if (block.type !== 'resource') continue;
    if (type === 'aws_iam_role') {
      const trustPolicy = block.attribute('assume_role_policy')?.value;
      const literalName = literalString(block.attribute('name')?.value);
      if (trustPolicy) policies.push(documentOf(trustPolicy, { ...owner('role-trust', type, name, block), ...(literalName ? { roleNames: [literalName] } : {}) }, text));
      const self = { ...owner('identity-policy', type, name, block), identities: [{ kind: 'role', resource: `${type}.${name}` } satisfies IdentityRef] };
      for (const inline of block.blocks('inline_policy')) {
        const policy = inline.attribute('policy')?.value;
        if (policy) policies.push(documentOf(policy, self, text));
      }
      const managed = block.attribute('managed_policy_arns');
      if (managed) attach(self, managed.value, managed.span);
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
    } else if (IDENTITY_POLICY_RESOURCES.has(type)) {
      const { policy: attribute, identity } = IDENTITY_POLICY_RESOURCES.get(type)!;
      const policy = block.attribute(attribute)?.value;
      if (policy) policies.push(documentOf(policy, { ...owner('identity-policy', type, name, block), identities: identity ? identityRefs(block, [identity]) : [] }, text));
    } else if (ATTACHMENT_RESOURCES.has(type)) {
      const { arns, identities } = ATTACHMENT_RESOURCES.get(type)!;
      const value = block.attribute(arns)?.value;
      if (value) attach({ ...owner('identity-policy', type, name, block), identities: identityRefs(block, identities) }, value, block.span);
    } else if (RESOURCE_POLICY_RESOURCES.has(type)) {
      const { policy: attribute, target } = RESOURCE_POLICY_RESOURCES.get(type)!;
      const policy = block.attribute(attribute)?.value;
      const targetValue = target ? block.attribute(target)?.value : undefined;
      if (policy) policies.push(documentOf(policy, { ...owner('resource-policy', type, name, block), ...(targetValue ? { target: valueAt(targetValue) } : {}) }, text));
    } else if (type === 'aws_lambda_permission') {
      policies.push(lambdaPermission(block, name));
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
  markCaps(file, policies, policyAttachments);
  for (const policy of policies) trusts.push(...webIdentityTrusts(policy, resolveProviderHost));
  for (const block of file.blocks) TERRAFORM_FILES.set(block, file);
  return { policies, policyAttachments, policyLookups, identities, trusts, oidcProviders };
}

/**
 * The documents this file uses only as caps: the policies its roles and users name as
 * `permissions_boundary`, the data sources its `aws_organizations_policy` blocks take `content`
 * from, and the data source a capped policy takes its `policy` from when nothing else of the file
 * uses it; never those it also attaches.
 */
function markCaps(file: TerraformFile, policies: readonly PolicyDocument[], attachments: readonly PolicyAttachment[]): void {
  const caps = new Map<string, NonNullable<PolicyOwner['caps']>>();
  for (const block of file.blocks) {
    if (block.type !== 'resource') continue;
    const [type] = block.labels;
    const boundary = type === 'aws_iam_role' || type === 'aws_iam_user' ? block.attribute('permissions_boundary')?.value : undefined;
    const boundaryAddress = boundary ? resourceAddress(boundary) : undefined;
    if (boundaryAddress?.startsWith('aws_iam_policy.')) caps.set(boundaryAddress, 'permissions-boundary');
    const content = type === 'aws_organizations_policy' ? block.attribute('content')?.value : undefined;
    const scp = content ? dataDocumentOf(policyReference(content)) : undefined;
    if (scp) caps.set(scp, 'service-control-policy');
  }
  if (caps.size === 0) return;
  for (const attachment of attachments) if (attachment.policyResource) caps.delete(attachment.policyResource);
  const addressOf = (policy: PolicyDocument): string => (policy.owner.kind === 'policy-document' ? `data.${policy.owner.resourceType}.${policy.owner.name}` : `${policy.owner.resourceType}.${policy.owner.name}`);
  // A capped policy's data source is a cap too, unless a document that is no cap uses it as well.
  const users = new Map<string, PolicyDocument[]>();
  for (const policy of policies) {
    const source = dataDocumentOf(policy.source);
    if (source) users.set(source, [...(users.get(source) ?? []), policy]);
  }
  for (const [source, using] of users) {
    const cap = caps.get(addressOf(using[0]!));
    if (cap && !caps.has(source) && using.every((p) => caps.get(addressOf(p)) === cap)) caps.set(source, cap);
  }
  for (const policy of policies) {
    if (policy.owner.resourceType !== 'aws_iam_policy' && policy.owner.resourceType !== 'aws_iam_policy_document') continue;
    const cap = caps.get(addressOf(policy));
    if (cap) policy.owner.caps = cap;
  }
}

/** `data.aws_iam_policy_document.x` when a reference is that data source's `json`. */
function dataDocumentOf(reference: PolicyReference | undefined): string | undefined {
  return reference?.kind === 'expression' ? /^(data\.aws_iam_policy_document\.[\w-]+)\.json$/.exec(reference.text)?.[1] : undefined;
}

/** A policy attribute's document: read in place, or where its statements are (`data.….json`, `file(…)`). */
function documentOf(expr: TfExpr, owner: PolicyOwner, text: string): PolicyDocument {
  const source = policyReference(expr);
  return source ? { owner, statements: [], source } : readPolicyDocument(fromTfExpr(expr), owner, text, policyForm(expr));
}

/** The identities the attributes of a block name (`role = aws_iam_role.ci.name`, `roles = [...]`). */
function identityRefs(block: TfBlock, attributes: readonly IdentityAttribute[]): IdentityRef[] {
  const refs: IdentityRef[] = [];
  for (const { attribute, kind } of attributes) {
    const value = block.attribute(attribute)?.value;
    for (const item of value?.kind === 'tuple' ? value.items : value ? [value] : []) {
      const resource = resourceAddress(item);
      refs.push({ kind, value: valueAt(item), ...(resource ? { resource } : {}) });
    }
  }
  return refs;
}

/**
 * The resource an expression names: `aws_iam_role.ci.name` and `"${aws_iam_role.ci.name}"` →
 * `aws_iam_role.ci`, `data.aws_iam_role.ci.arn` → `data.aws_iam_role.ci`; undefined for
 * variables, locals, module outputs and literals.
 */
export function resourceAddress(expr: TfExpr): string | undefined {
  const text = expr.kind === 'reference' ? expr.text : expr.kind === 'string' && expr.template ? /^\$\{([^{}]*)\}$/.exec(expr.value.trim())?.[1]?.trim() : undefined;
  const match = text ? /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.|$)/.exec(text) : null;
  if (!match || (!match[1] && RESERVED_ROOTS.has(match[2]!))) return undefined;
  return `${match[1] ?? ''}${match[2]}.${match[3]}`;
}

/** Roots of a Terraform reference that are no resource. */
const RESERVED_ROOTS = new Set(['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self']);

/** One ARN of an attachment, with the AWS managed policy it names when the file says which. */
function attachment(owner: PolicyOwner, expr: TfExpr, span: Span, lookups: ReadonlyMap<string, PolicyLookup>): PolicyAttachment {
  const policyArn = valueAt(expr);
  const address = resourceAddress(expr);
  const lookup = address ? lookups.get(address) : undefined;
  const named = expr.kind === 'string' ? parseManagedPolicyArn(expr.value) : undefined;
  const managedPolicy = named ?? lookup?.managedPolicy;
  return {
    owner,
    policyArn,
    ...(managedPolicy ? { managedPolicy } : {}),
    ...(address && !lookup ? { policyResource: address } : {}),
    ...(!named && lookup?.managedPolicy ? { via: lookup.policy } : {}),
    span,
  };
}

/** `data "aws_iam_policy" "x" { name = "…" }` or `{ arn = "…" }`: which policy `data.aws_iam_policy.x.arn` is. */
function managedPolicyLookups(file: TerraformFile): PolicyLookup[] {
  const lookups: PolicyLookup[] = [];
  for (const block of file.blocks) {
    if (block.type !== 'data' || block.labels[0] !== 'aws_iam_policy') continue;
    const arn = block.attribute('arn')?.value;
    const name = block.attribute('name')?.value;
    const policy = arn ?? name;
    if (!policy) continue;
    const literal = literalString(policy);
    const managedPolicy = literal === undefined ? undefined : policy === arn ? parseManagedPolicyArn(literal) : { name: literal, path: '' };
    lookups.push({ address: `data.aws_iam_policy.${block.labels[1] ?? ''}`, policy: valueAt(policy), ...(managedPolicy ? { managedPolicy } : {}), anchor: block.headerSpan });
  }
  return lookups;
}

/** `aws_lambda_permission`: one statement of the function's resource policy. */
function lambdaPermission(block: TfBlock, name: string): PolicyDocument {
  const attribute = (n: string): ValueAt | undefined => {
    const value = block.attribute(n)?.value;
    return value ? valueAt(value) : undefined;
  };
  const conditions = LAMBDA_PERMISSION_CONDITIONS.flatMap(({ terraform, operator, key }) => {
    const found = block.attribute(terraform);
    return found ? [{ operator, ifExists: false, key, keySpan: found.nameSpan, values: [valueAt(found.value)] }] : [];
  });
  const functionName = attribute('function_name');
  const statement = lambdaPermissionStatement({ principal: attribute('principal'), action: attribute('action'), functionName, conditions, anchor: block.headerSpan });
  return { owner: { ...owner('resource-policy', 'aws_lambda_permission', name, block), ...(functionName ? { target: functionName } : {}) }, statements: [statement] };
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
