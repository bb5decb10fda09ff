import type { Credential, Facts } from '../../facts/model';
import type { Template } from './model';

/** Resource types that mint a long-lived credential when the stack is deployed. */
const MINTING_RESOURCES: Readonly<Record<string, { kind: 'aws-access-key-id' }>> = {
  'AWS::IAM::AccessKey': { kind: 'aws-access-key-id' },
};

export function cloudFormationFacts(template: Template): Facts {
  const credentials: Credential[] = [];
  for (const resource of template.resources) {
    const minting = MINTING_RESOURCES[resource.type];
    if (minting) {
      credentials.push({ origin: 'minted', kind: minting.kind, resourceType: resource.type, resourceName: resource.logicalId, anchor: resource.firstLine, cloud: 'aws' });
    }
  }
  return { authentications: [], credentials };
}
