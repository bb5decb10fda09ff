import type { Credential, Facts, Identity, OidcProvider, PolicyDocument, PolicyOwner, Trust } from '../../facts/model';
import { webIdentityTrusts } from '../../iam/trust';
import { get, isScalar, itemsOf, str } from '../../syntax/tree';
import { readPolicyDocument } from '../iam-policy/policy-document';
import { fromDataNode } from '../iam-policy/policy-value';
import type { Template, TemplateResource } from './model';

/** Resource types that mint a long-lived credential when the stack is deployed. */
const MINTING_RESOURCES: Readonly<Record<string, { kind: 'aws-access-key-id' }>> = {
  'AWS::IAM::AccessKey': { kind: 'aws-access-key-id' },
};

/** Resource types whose `PolicyDocument` is an identity policy. */
const POLICY_RESOURCES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy']);

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
  for (const resource of template.resources) {
    const minting = MINTING_RESOURCES[resource.type];
    if (minting) {
      const site: TemplateSite = { kind: 'cloudformation', template, resource };
      credentials.push({ origin: 'minted', kind: minting.kind, resourceType: resource.type, resourceName: resource.logicalId, anchor: resource.firstLine, cloud: 'aws', syntax: site });
    }
    if (resource.type === 'AWS::IAM::Role') {
      const trust = get(resource.properties, 'AssumeRolePolicyDocument');
      const literalName = literal(get(resource.properties, 'RoleName'));
      if (trust) policies.push(readPolicyDocument(fromDataNode(trust), { ...owner('role-trust', resource), ...(literalName ? { roleNames: [literalName] } : {}) }, text, form));
      for (const inline of itemsOf(get(resource.properties, 'Policies'))) {
        const document = get(inline, 'PolicyDocument');
        if (document) policies.push(readPolicyDocument(fromDataNode(document), owner('identity-policy', resource), text, form));
      }
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
    } else if (POLICY_RESOURCES.has(resource.type)) {
      const document = get(resource.properties, 'PolicyDocument');
      if (document) policies.push(readPolicyDocument(fromDataNode(document), owner('identity-policy', resource), text, form));
    }
  }
  // A principal written `!Ref GithubOidc` or `!GetAtt GithubOidc.Arn` names a provider of this template.
  const resolve = (reference: string): string | undefined => providerHosts.get(reference.split('.')[0]!);
  const trusts: Trust[] = policies.flatMap((policy) => webIdentityTrusts(policy, resolve));
  return { credentials, policies, identities, trusts, oidcProviders };
}

/** A plain string scalar (an intrinsic such as `!Sub` is not literal). */
function literal(node: ReturnType<typeof get>): string | undefined {
  return isScalar(node) && typeof node.value === 'string' && !node.tag ? node.value : undefined;
}

function owner(kind: PolicyOwner['kind'], resource: TemplateResource): PolicyOwner {
  return { kind, resourceType: resource.type, name: resource.logicalId, anchor: resource.firstLine };
}
