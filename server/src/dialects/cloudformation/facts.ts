import type { Credential, Facts, Identity, IdentityKind, IdentityRef, OidcProvider, PolicyAttachment, PolicyDocument, PolicyOwner, Trust, ValueAt } from '../../facts/model';
import { isPolicyName, parseManagedPolicyArn } from '../../iam/managed-policies';
import { webIdentityTrusts } from '../../iam/trust';
import { deref, get, getPair, isMap, isScalar, isSeq, itemsOf, str, type DataNode } from '../../syntax/tree';
import { LAMBDA_PERMISSION_CONDITIONS, lambdaPermissionStatement, readPolicyDocument } from '../iam-policy/policy-document';
import { fromDataNode } from '../iam-policy/policy-value';
import { alternatives, intrinsicOf, intrinsicText, referencedResource } from './intrinsics';
import type { Template, TemplateResource } from './model';

/** Resource types that mint a long-lived credential when the stack is deployed. */
const MINTING_RESOURCES: Readonly<Record<string, { kind: 'aws-access-key-id' }>> = {
  'AWS::IAM::AccessKey': { kind: 'aws-access-key-id' },
};

/** Resource types whose `PolicyDocument` is an identity policy, and the properties that name whom it grants to. */
const IDENTITY_POLICY_TYPES: ReadonlyMap<string, readonly IdentityProperty[]> = new Map([
  ['AWS::IAM::Policy', ATTACHED_TO()],
  ['AWS::IAM::ManagedPolicy', ATTACHED_TO()],
  ['AWS::IAM::RolePolicy', [{ property: 'RoleName', kind: 'role' }]],
  ['AWS::IAM::UserPolicy', [{ property: 'UserName', kind: 'user' }]],
  ['AWS::IAM::GroupPolicy', [{ property: 'GroupName', kind: 'group' }]],
]);

interface IdentityProperty {
  property: string;
  kind: IdentityKind;
}

function ATTACHED_TO(): IdentityProperty[] {
  return [
    { property: 'Roles', kind: 'role' },
    { property: 'Users', kind: 'user' },
    { property: 'Groups', kind: 'group' },
  ];
}

/** Identities whose `Policies` (inline) and `ManagedPolicyArns` are theirs. */
const IDENTITY_TYPES: ReadonlyMap<string, IdentityKind> = new Map([
  ['AWS::IAM::Role', 'role'],
  ['AWS::IAM::User', 'user'],
  ['AWS::IAM::Group', 'group'],
]);

/**
 * Resource types that carry a resource policy: the property holding it, and the one naming the
 * resource it governs (absent when the policy is a property of the resource itself). From the
 * CloudFormation resource reference of each type.
 */
const RESOURCE_POLICY_TYPES: ReadonlyMap<string, { policy: string; target?: string }> = new Map([
  ['AWS::S3::BucketPolicy', { policy: 'PolicyDocument', target: 'Bucket' }],
  ['AWS::S3::AccessPoint', { policy: 'Policy' }],
  ['AWS::SQS::QueuePolicy', { policy: 'PolicyDocument', target: 'Queues' }],
  ['AWS::SNS::TopicPolicy', { policy: 'PolicyDocument', target: 'Topics' }],
  ['AWS::KMS::Key', { policy: 'KeyPolicy' }],
  ['AWS::ECR::Repository', { policy: 'RepositoryPolicyText' }],
  ['AWS::ECR::RegistryPolicy', { policy: 'PolicyText' }],
  ['AWS::SecretsManager::ResourcePolicy', { policy: 'ResourcePolicy', target: 'SecretId' }],
  ['AWS::OpenSearchService::Domain', { policy: 'AccessPolicies' }],
  ['AWS::Elasticsearch::Domain', { policy: 'AccessPolicies' }],
  ['AWS::EFS::FileSystem', { policy: 'FileSystemPolicy' }],
  ['AWS::Backup::BackupVault', { policy: 'AccessPolicy' }],
  ['AWS::ApiGateway::RestApi', { policy: 'Policy' }],
]);

/** SAM resources whose `Policies` SAM turns into the execution role it creates (ignored when `Role` is set). */
const SAM_POLICY_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);

/** Where a template resource was read: what the fixers of CloudFormation edit. */
export interface TemplateSite {
  kind: 'cloudformation';
  template: Template;
  resource: TemplateResource;
}

export function isTemplateSite(value: unknown): value is TemplateSite {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'cloudformation';
}

export function cloudFormationFacts(template: Template, text: string): Partial<Facts> {
  const credentials: Credential[] = [];
  const policies: PolicyDocument[] = [];
  const policyAttachments: PolicyAttachment[] = [];
  const identities: Identity[] = [];
  const oidcProviders: OidcProvider[] = [];
  const providerHosts = new Map<string, string>();
  // JSON templates start with `{`; a YAML one could too, but then its maps are flow maps, which
  // the statement editors treat exactly as JSON.
  const form = text.trimStart().startsWith('{') ? 'json' : 'yaml';
  for (const resource of template.resources) {
    if (resource.type === 'AWS::IAM::OIDCProvider') {
      const url = str(get(resource.properties, 'Url'));
      if (url) {
        const host = url.replace(/^https?:\/\//, '').replace(/\/$/, '');
        providerHosts.set(resource.logicalId, host);
        const clientIds = itemsOf(get(resource.properties, 'ClientIdList')).flatMap((item) => (isScalar(item) && typeof item.value === 'string' && !item.tag ? [item.value] : []));
        oidcProviders.push({ kind: 'aws-oidc-provider', resourceType: resource.type, name: resource.logicalId, issuerHost: host, clientIds, anchor: resource.firstLine });
      }
    }
  }
  const read = (node: DataNode | null, policyOwner: PolicyOwner): PolicyDocument => readPolicyDocument(fromDataNode(node, { intrinsics: true }), policyOwner, text, form);
  for (const resource of template.resources) {
    const minting = MINTING_RESOURCES[resource.type];
    if (minting) {
      const site: TemplateSite = { kind: 'cloudformation', template, resource };
      credentials.push({ origin: 'minted', kind: minting.kind, resourceType: resource.type, resourceName: resource.logicalId, anchor: resource.firstLine, cloud: 'aws', syntax: site });
    }
    if (resource.type === 'AWS::IAM::Role') {
      const trust = get(resource.properties, 'AssumeRolePolicyDocument');
      const literalName = literal(get(resource.properties, 'RoleName'));
      if (trust) policies.push(read(trust, { ...owner('role-trust', resource), ...(literalName ? { roleNames: [literalName] } : {}) }));
      const duration = get(resource.properties, 'MaxSessionDuration');
      const roleName = literal(get(resource.properties, 'RoleName'));
      const rolePath = literal(get(resource.properties, 'Path'));
      identities.push({
        kind: 'aws-role',
        resourceType: resource.type,
        name: resource.logicalId,
        anchor: resource.firstLine,
        span: { start: resource.firstLine.start, end: resource.node.span.end },
        ...(isScalar(duration) && duration.value !== null ? { maxSessionDuration: { value: String(duration.value), span: duration.span } } : {}),
        ...(roleName ? { roleName } : {}),
        ...(rolePath && rolePath !== '/' ? { rolePath } : {}),
      });
    } else if (IDENTITY_POLICY_TYPES.has(resource.type)) {
      const document = get(resource.properties, 'PolicyDocument');
      const identityRefs = IDENTITY_POLICY_TYPES.get(resource.type)!.flatMap(({ property, kind }) => listOrOne(get(resource.properties, property)).map((node) => identityRef(kind, node, text)));
      if (document) policies.push(read(document, { ...owner('identity-policy', resource), identities: identityRefs }));
    } else if (resource.type === 'AWS::SSO::PermissionSet') {
      const self = { ...owner('identity-policy', resource), identities: [{ kind: 'permission-set' as const, resource: resource.logicalId }] };
      const inline = get(resource.properties, 'InlinePolicy');
      if (isMap(inline)) policies.push(read(inline, self));
      for (const arn of listOrOne(get(resource.properties, 'ManagedPolicies'))) policyAttachments.push(attachment(self, arn, text));
    } else if (SAM_POLICY_TYPES.has(resource.type) && !getPair(resource.properties, 'Role')) {
      samPolicies(resource, text, read, policies, policyAttachments);
    } else if (RESOURCE_POLICY_TYPES.has(resource.type)) {
      const { policy, target } = RESOURCE_POLICY_TYPES.get(resource.type)!;
      const document = get(resource.properties, policy);
      const targetNode = target ? get(resource.properties, target) : null;
      if (isMap(document)) policies.push(read(document, { ...owner('resource-policy', resource), ...(targetNode ? { target: valueOf(targetNode, text) } : {}) }));
    } else if (resource.type === 'AWS::Lambda::Permission') {
      policies.push(lambdaPermission(resource, text));
    }
    const identityKind = IDENTITY_TYPES.get(resource.type);
    if (identityKind) {
      const self = { ...owner('identity-policy', resource), identities: [{ kind: identityKind, resource: resource.logicalId }] };
      for (const inline of listOrOne(get(resource.properties, 'Policies'))) {
        const document = get(inline, 'PolicyDocument');
        if (document) policies.push(read(document, self));
      }
      for (const arn of listOrOne(get(resource.properties, 'ManagedPolicyArns'))) policyAttachments.push(attachment(self, arn, text));
    }
  }
  markBoundaries(template, policies, policyAttachments);
  // A principal written `!Ref GithubOidc` or `!GetAtt GithubOidc.Arn` names a provider of this template.
  const resolve = (reference: string): string | undefined => providerHosts.get(reference.split('.')[0]!);
  const trusts: Trust[] = policies.flatMap((policy) => webIdentityTrusts(policy, resolve));
  return { credentials, policies, policyAttachments, identities, trusts, oidcProviders };
}

/**
 * SAM's `Policies` (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-policies):
 * one or a list of AWS managed policy names or ARNs, SAM policy templates (`S3ReadPolicy: {…}`, a
 * map of one key) and inline documents (a map with `Statement`). All go to the execution role SAM
 * creates for the resource.
 */
function samPolicies(resource: TemplateResource, text: string, read: (node: DataNode | null, owner: PolicyOwner) => PolicyDocument, policies: PolicyDocument[], attachments: PolicyAttachment[]): void {
  const self = { ...owner('identity-policy', resource), identities: [{ kind: 'sam-function' as const, resource: resource.logicalId }] };
  for (const item of listOrOne(get(resource.properties, 'Policies'))) {
    const node = deref(item);
    if (!node) continue;
    if (isMap(node) && !intrinsicOf(node)) {
      if (getPair(node, 'Statement')) policies.push(read(node, self));
      else if (node.pairs.length === 1) {
        const template = node.pairs[0]!;
        attachments.push({ owner: self, policyArn: { value: template.key, span: template.keySpan }, samPolicyTemplate: template.key, span: node.span });
      }
      continue;
    }
    const attached = attachment(self, node, text);
    if (!attached.managedPolicy && !attached.policyArn.computed && isPolicyName(attached.policyArn.value)) attached.managedPolicy = { name: attached.policyArn.value, path: '' };
    attachments.push(attached);
  }
}

/** One `ManagedPolicyArns` entry: the ARN as written (a literal, `!Sub`, `!Join`, `!Ref`), and the AWS managed policy it names. */
function attachment(policyOwner: PolicyOwner, node: DataNode, text: string): PolicyAttachment {
  const policyArn = valueOf(node, text);
  const managedPolicy = parseManagedPolicyArn(policyArn.value);
  const policyResource = referencedResource(node);
  return { owner: policyOwner, policyArn, ...(managedPolicy ? { managedPolicy } : {}), ...(policyResource ? { policyResource } : {}), span: node.span };
}

/**
 * The managed policies of this template that its roles and users name only as
 * `PermissionsBoundary` (`!Ref Boundary`): caps, which grant nothing.
 */
function markBoundaries(template: Template, policies: readonly PolicyDocument[], attachments: readonly PolicyAttachment[]): void {
  const boundaries = new Set<string>();
  for (const resource of template.resources) {
    if (resource.type !== 'AWS::IAM::Role' && resource.type !== 'AWS::IAM::User') continue;
    const id = referencedResource(get(resource.properties, 'PermissionsBoundary'));
    if (id) boundaries.add(id);
  }
  for (const attachment of attachments) if (attachment.policyResource) boundaries.delete(attachment.policyResource);
  for (const policy of policies) if (policy.owner.resourceType === 'AWS::IAM::ManagedPolicy' && boundaries.has(policy.owner.name)) policy.owner.caps = 'permissions-boundary';
}

/** A value as text: literal, or what an intrinsic reads as (computed); the source text when it cannot be told. */
function valueOf(node: DataNode, text: string): ValueAt {
  const read = intrinsicText(node);
  if (read) return { value: read.text, span: node.span, ...(read.computed ? { computed: true } : {}) };
  return { value: text.slice(node.span.start, node.span.end), span: node.span, computed: true };
}

function identityRef(kind: IdentityKind, node: DataNode, text: string): IdentityRef {
  const resource = referencedResource(node);
  return { kind, value: valueOf(node, text), ...(resource ? { resource } : {}) };
}

/** `AWS::Lambda::Permission`: one statement of the function's resource policy. */
function lambdaPermission(resource: TemplateResource, text: string): PolicyDocument {
  const property = (name: string): ValueAt | undefined => {
    const node = get(resource.properties, name);
    return node ? valueOf(node, text) : undefined;
  };
  const conditions = LAMBDA_PERMISSION_CONDITIONS.flatMap(({ cloudformation, operator, key }) => {
    const pair = getPair(resource.properties, cloudformation);
    return pair?.value ? [{ operator, ifExists: false, key, keySpan: pair.keySpan, values: [valueOf(pair.value, text)] }] : [];
  });
  const functionName = property('FunctionName');
  const statement = lambdaPermissionStatement({ principal: property('Principal'), action: property('Action'), functionName, conditions, anchor: resource.firstLine });
  return { owner: { ...owner('resource-policy', resource), ...(functionName ? { target: functionName } : {}) }, statements: [statement] };
}

/**
 * A property that takes one value or a list (`ManagedPolicyArns`, `Roles`, SAM's `Policies`): its
 * entries, with `Fn::If` (of the list or of an entry) giving those of both branches and
 * `!Ref AWS::NoValue` none.
 */
function listOrOne(node: DataNode | null, depth = 0): DataNode[] {
  const value = deref(node);
  if (!value || depth > 4) return [];
  const intrinsic = intrinsicOf(value);
  if (intrinsic?.name === 'Fn::If') return itemsOf(intrinsic.argument).slice(1, 3).flatMap((branch) => listOrOne(branch, depth + 1));
  if (isSeq(value) && !intrinsic) return value.items.flatMap((item) => alternatives(item));
  return alternatives(value);
}

/** A plain string scalar (an intrinsic such as `!Sub` is not literal). */
function literal(node: ReturnType<typeof get>): string | undefined {
  return isScalar(node) && typeof node.value === 'string' && !node.tag ? node.value : undefined;
}

function owner(kind: PolicyOwner['kind'], resource: TemplateResource): PolicyOwner {
  return { kind, resourceType: resource.type, name: resource.logicalId, anchor: resource.firstLine };
}
