import type { Facts } from '../../facts/model';
import { webIdentityTrusts } from '../../iam/trust';
import { getPath, str, type DataNode } from '../../syntax/tree';
import { firstLine, readPolicyDocument } from './policy-document';
import { fromDataNode } from './policy-value';

/** A bare policy file: one document, owned by the file. */
export function policyFileFacts(root: DataNode | null, text: string): Partial<Facts> {
  if (!root) return {};
  const anchor = firstLine(text, root.span.start);
  const document = readPolicyDocument(fromDataNode(root), { kind: 'policy-document', resourceType: 'policy file', name: str(getPath(root, ['Id'])) ?? 'policy', anchor }, text, 'json');
  return { policies: [document], trusts: webIdentityTrusts(document, () => undefined) };
}
