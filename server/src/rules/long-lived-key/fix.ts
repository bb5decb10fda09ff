import { isTemplateSite } from '../../dialects/cloudformation/facts';
import type { TfBlock } from '../../dialects/terraform/model';
import type { WorkspaceContext } from '../../facts/workspace';
import type { MintedCredential } from '../../facts/model';
import { secretUses } from '../../dialects/kubernetes/facts';
import { workspaceGraph } from '../../graph/graph';
import { deref, getPath, isMap, str } from '../../syntax/tree';
import { parseYaml } from '../../syntax/yaml';
import type { Fixer, FixProposal } from '../../fixes/fixer';
import { lineStartAt } from '../../fixes/text';
import { fixTemplateKey } from './key-cloudformation';
import { fixTerraformKey } from './key-terraform';

/**
 * long-lived-key: the resource that mints a long-lived credential is replaced by what makes it
 * unnecessary — OIDC federation for the CI that used the key (Terraform and CloudFormation; see
 * `key-terraform.ts` and `key-cloudformation.ts`), or, for a Kubernetes service-account token
 * Secret, nothing at all: the kubelet mounts short-lived, audience-bound tokens into pods by
 * itself. All unsafe: whatever read the old credential loses it.
 */
export const fixLongLivedKey: Fixer<MintedCredential> = (context) => {
  const minted = context.about;
  // A registry module's key is created inside the module: there is no resource here to replace,
  // and turning the input off would take away a key something still uses. Suppression only.
  if (minted.module) return [];
  if (minted.cloud === 'kubernetes') return deleteTokenSecret(minted, context.text, context.path, context.workspace);
  if (isTemplateSite(minted.syntax)) return fixTemplateKey(context, minted.syntax);
  if (isTfBlock(minted.syntax)) return fixTerraformKey(context, minted, minted.syntax);
  return [];
};

function isTfBlock(value: unknown): value is TfBlock {
  return typeof value === 'object' && value !== null && typeof (value as { attributes?: unknown }).attributes === 'function' && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Deletes a `kubernetes.io/service-account-token` Secret: its document, with the `---` that
 * separates it from the next. Offered when the file keeps other objects (an emptied manifest is no
 * longer one) and no object of the file or the workspace's manifests mounts or lists the Secret.
 */
function deleteTokenSecret(minted: MintedCredential, text: string, path: string, workspace: WorkspaceContext): FixProposal[] {
  const { documents } = parseYaml(text);
  const index = documents.findIndex((d) => d.root && d.span.start <= minted.anchor.start && minted.anchor.start < d.span.end);
  const document = documents[index];
  if (!document?.root || documents.filter((d) => d.root && isMap(deref(d.root))).length < 2) return [];
  const name = minted.resourceName;
  const inThisFile = secretUses(documents.filter((_, i) => i !== index).map((d) => d.root));
  if (inThisFile.some((use) => use.secretName === name) || workspaceGraph(workspace).secretInUse(name, path)) return [];
  // The document with its own `---` (the next document keeps its marker), comments above the stream kept.
  const start = lineStartAt(text, document.span.start);
  const next = documents[index + 1];
  const end = next ? lineStartAt(text, next.span.start) : text.length;
  const account = str(getPath(document.root, ['metadata', 'annotations', 'kubernetes.io/service-account.name']));
  return [
    {
      title: `Delete Secret "${name}" (the kubelet's short-lived tokens replace it)`,
      safe: false,
      edits: [{ span: { start, end }, newText: '' }],
      followUps: [
        `Delete Secret "${name}" from the cluster too (kubectl delete secret ${name}): removing it from the manifest does not remove it where it was applied, and its token stays valid until then.`,
        `Pods${account ? ` of service account "${account}"` : ''} get short-lived, auto-rotated tokens from the kubelet without it.`,
      ],
    },
  ];
}
