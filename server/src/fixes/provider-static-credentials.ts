import type { Authentication } from '../facts/model';
import type { TfBlock } from '../dialects/terraform/model';
import type { Fixer, FixProposal, ProposedEdit } from './fixer';
import { appendToBlock, deleteLines } from './hcl-edit';

/**
 * Removes a provider's static credential arguments, in up to two ways: plainly (the provider then
 * uses the ambient chain: an assumed role in CI, a profile or SSO on a laptop), or with the
 * federated form the provider has — `assume_role_with_web_identity` for aws, `use_oidc = true` for
 * azurerm/azuread. Unsafe: Terraform authenticates differently afterwards. The variables that fed
 * the arguments stay: other code may use them, and removing them is not this fix's business.
 */
export const fixProviderStaticCredentials: Fixer = ({ about, text }) => {
  const auth = about as Authentication | undefined;
  const block = auth?.syntax as TfBlock | undefined;
  if (!auth || !block || typeof block.attributes !== 'function') return [];
  const removals: ProposedEdit[] = [];
  for (const credential of auth.credentials) {
    if (credential.origin !== 'reference') continue;
    const edit = deleteLines(text, credential.nameSpan);
    if (!edit) return [];
    removals.push(edit);
  }
  const provider = auth.principal.kind === 'terraform-provider' ? auth.principal.provider : '';
  const ambient = `Give Terraform credentials where it runs without the keys: an OIDC login step in CI, a profile or SSO session on a laptop (the provider "${provider}" now uses the ambient credential chain).`;
  const fixes: FixProposal[] = [{ title: `Remove provider "${provider}"'s static credentials (ambient credential chain)`, safe: false, edits: removals, followUps: [ambient] }];
  const federated = federatedForm(provider, block);
  if (federated) {
    const addition = appendToBlock(text, block, federated.lines);
    const followUp = `Make the CI job that runs Terraform log in with OIDC: the provider now authenticates with ${federated.name}.`;
    if (addition) fixes.unshift({ title: `Remove provider "${provider}"'s static credentials and use ${federated.name}`, safe: false, edits: [...removals, addition], followUps: [followUp] });
  }
  return fixes;
};

function federatedForm(provider: string, block: TfBlock): { name: string; lines: string[] } | undefined {
  if (provider === 'aws' && block.blocks('assume_role_with_web_identity').length === 0) {
    return {
      name: 'assume_role_with_web_identity',
      lines: [
        '# The role and the token file come from AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE,',
        "# which the CI's OIDC login sets (or set role_arn and web_identity_token_file here).",
        'assume_role_with_web_identity {',
        '  session_name = "terraform"',
        '}',
      ],
    };
  }
  if ((provider === 'azurerm' || provider === 'azuread') && !block.attribute('use_oidc')) return { name: 'OIDC (use_oidc = true)', lines: ['use_oidc = true'] };
  return undefined;
}
