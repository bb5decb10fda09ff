import type { Declaration, DeclaredAttribute } from '../../facts/model';
import type { Span } from '../../core/text';
import { TERRAFORM_RESOURCE_ARNS } from '../../iam/resource-arns';
import { literalString, type TerraformFile, type TfBlock } from './model';

/**
 * The top-level blocks of a Terraform file that federation fixes look up beyond the fact they fix:
 * what depends on a minted key (outputs, CI secrets and variables), what an IAM user is granted (so a role can
 * take it over), and what a trust can build on (OIDC providers, service accounts, Azure
 * applications and identities), where account ids are written (locals, aws providers), and the
 * resources a policy can be scoped down to (buckets, tables, queues: `iam/resource-arns.ts`). Only
 * these types are opened: the reader stays lazy elsewhere.
 */
const DECLARED_RESOURCES = new Set([
  'aws_iam_access_key',
  'aws_iam_openid_connect_provider',
  'aws_iam_policy_attachment',
  'aws_iam_role',
  'aws_iam_user',
  'aws_iam_user_group_membership',
  'aws_iam_user_policy',
  'aws_iam_user_policy_attachment',
  'azuread_application',
  'azuread_application_federated_identity_credential',
  'azuread_application_password',
  'azuread_service_principal',
  'azuread_service_principal_password',
  'azurerm_federated_identity_credential',
  'azurerm_user_assigned_identity',
  'github_actions_environment_secret',
  'github_actions_environment_variable',
  'github_actions_secret',
  'github_actions_variable',
  'gitlab_project_variable',
  'google_iam_workload_identity_pool',
  'google_iam_workload_identity_pool_provider',
  'google_service_account',
  'google_service_account_iam_binding',
  'google_service_account_iam_member',
  'google_service_account_key',
  ...Object.keys(TERRAFORM_RESOURCE_ARNS),
]);

const DECLARED_DATA = new Set(['aws_caller_identity', 'aws_iam_openid_connect_provider']);

export function terraformDeclarations(file: TerraformFile, text: string): Declaration[] {
  const declarations: Declaration[] = [];
  for (const block of file.blocks) {
    const [first = '', second = ''] = block.labels;
    if (block.type === 'output') declarations.push(declaration(block, '', first, text));
    else if (block.type === 'locals') declarations.push(declaration(block, '', '', text));
    else if (block.type === 'provider' && first === 'aws') declarations.push(declaration(block, first, block.attribute('alias') ? literalString(block.attribute('alias')!.value) ?? '' : '', text));
    else if (block.type === 'resource' && DECLARED_RESOURCES.has(first)) declarations.push(declaration(block, first, second, text));
    else if (block.type === 'data' && DECLARED_DATA.has(first)) declarations.push(declaration(block, first, second, text));
  }
  return declarations;
}

function declaration(block: TfBlock, type: string, name: string, text: string): Declaration {
  const attributes: DeclaredAttribute[] = block.attributes().map((attribute) => {
    // The value is read from the text: converting the expression would walk all of it, and a
    // local may nest thousands deep. Only a plain quoted string is converted, for its literal.
    const valueSpan = valueSpanOf(text, attribute.nameSpan.end, attribute.span);
    const written = text.slice(valueSpan.start, valueSpan.end);
    const literal = /^"[^"\\$%\n]*"$/.test(written) ? literalString(attribute.value) : undefined;
    return { name: attribute.name, span: attribute.span, valueSpan, text: written, ...(literal !== undefined ? { literal } : {}) };
  });
  return { block: block.type, type, name, span: block.span, anchor: block.headerSpan, attributes };
}

/** After the attribute's `=` (HCL) or `:` (JSON), to its end. */
function valueSpanOf(text: string, nameEnd: number, span: Span): Span {
  let start = nameEnd;
  while (start < span.end && /["\s]/.test(text[start]!)) start++;
  if (text[start] === '=' || text[start] === ':') start++;
  while (start < span.end && /\s/.test(text[start]!)) start++;
  return { start, end: span.end };
}
