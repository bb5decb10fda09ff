import type { Credential, Facts, Identity, PolicyDocument, PolicyOwner, Trust } from '../../facts/model';
import { get, isScalar, itemsOf, str } from '../../syntax/tree';
import { readPolicyDocument } from '../iam/policy-document';
import { fromDataNode } from '../iam/policy-value';
import { webIdentityTrusts } from '../iam/trust';
import type { Template, TemplateResource } from './model';

/** Resource types that mint a long-lived credential when the stack is deployed. */
const MINTING_RESOURCES: Readonly<Record<string, { kind: 'aws-access-key-id' }>> = {
  'AWS::IAM::AccessKey': { kind: 'aws-access-key-id' },
};

/** Resource types whose `PolicyDocument` is an identity policy. */
const POLICY_RESOURCES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy']);

export function cloudFormationFacts(template: Template, text: string): Partial<Facts> {
  const credentials: Credential[] = [];
  const policies: PolicyDocument[] = [];
  const identities: Identity[] = [];
  const providerHosts = new Map<string, string>();
  for (const resource of template.resources) {
    if (resource.type === 'AWS::IAM::OIDCProvider') {
      const url = str(get(resource.properties, 'Url'));
      if (url) providerHosts.set(resource.logicalId, url.replace(/^https?:\/\//, '').replace(/\/$/, ''));
    }
  }
  for (const resource of template.resources) {
    const minting = MINTING_RESOURCES[resource.type];
    if (minting) {
      credentials.push({ origin: 'minted', kind: minting.kind, resourceType: resource.type, resourceName: resource.logicalId, anchor: resource.firstLine, cloud: 'aws' });
    }
    if (resource.type === 'AWS::IAM::Role') {
      const trust = get(resource.properties, 'AssumeRolePolicyDocument');
      if (trust) policies.push(readPolicyDocument(fromDataNode(trust), owner('role-trust', resource), text));
      for (const inline of itemsOf(get(resource.properties, 'Policies'))) {
        const document = get(inline, 'PolicyDocument');
        if (document) policies.push(readPolicyDocument(fromDataNode(document), owner('identity-policy', resource), text));
      }
      const duration = get(resource.properties, 'MaxSessionDuration');
      identities.push({
        kind: 'aws-role',
        resourceType: resource.type,
        name: resource.logicalId,
        anchor: resource.firstLine,
        ...(isScalar(duration) && duration.value !== null ? { maxSessionDuration: { value: String(duration.value), span: duration.span } } : {}),
      });
    } else if (POLICY_RESOURCES.has(resource.type)) {
      const document = get(resource.properties, 'PolicyDocument');
      if (document) policies.push(readPolicyDocument(fromDataNode(document), owner('identity-policy', resource), text));
    }
  }
  // A principal written `!Ref GithubOidc` or `!GetAtt GithubOidc.Arn` names a provider of this template.
  const resolve = (reference: string): string | undefined => providerHosts.get(reference.split('.')[0]!);
  const trusts: Trust[] = policies.flatMap((policy) => webIdentityTrusts(policy, resolve));
  return { credentials, policies, identities, trusts };
}

function owner(kind: PolicyOwner['kind'], resource: TemplateResource): PolicyOwner {
  return { kind, resourceType: resource.type, name: resource.logicalId, anchor: resource.firstLine };
}
