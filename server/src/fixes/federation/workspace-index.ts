import type { WorkspaceContext } from '../../engine/workspace';
import type { AwsOidcProvider, Declaration, Facts, Identity } from '../../facts/model';

/**
 * What the federation planner looks up in the workspace: which IaC dialect and folder to write
 * into, the AWS accounts and role ARNs the files show, roles with their trusts, OIDC providers,
 * and the declarations of one Terraform module (a folder).
 */

export type IacDialect = 'terraform' | 'cloudformation';

/** The folder of a path (`infra/main.tf` → `infra`), `''` at the top. Both separators count. */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut === -1 ? '' : path.slice(0, cut);
}

/** A path in a folder, with the separator the folder uses. */
export function joinPath(folder: string, name: string): string {
  if (folder === '') return name;
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(separator) ? `${folder}${name}` : `${folder}${separator}${name}`;
}

/** Terraform when the workspace has any `.tf`; else CloudFormation when it has templates; else Terraform. */
export function iacDialect(workspace: WorkspaceContext): IacDialect {
  let templates = false;
  for (const [path, file] of workspace.files) {
    if (file.dialect === 'terraform' && /\.tf$/.test(path)) return 'terraform';
    if (file.dialect === 'cloudformation') templates = true;
  }
  return templates ? 'cloudformation' : 'terraform';
}

/**
 * Where new IaC goes: the folder with the most files of the dialect (ties: the shallower, then
 * the first by name), else `infra/` at the repository's top, found from the job's file
 * (`<top>/.github/workflows/x.yml`, `<top>/.gitlab-ci.yml`).
 */
export function targetFolder(workspace: WorkspaceContext, dialect: IacDialect, jobFile: string | undefined): string {
  const counts = new Map<string, number>();
  for (const [path, file] of workspace.files) {
    const matches = dialect === 'terraform' ? file.dialect === 'terraform' && /\.tf$/.test(path) : file.dialect === 'cloudformation';
    if (matches) counts.set(folderOf(path), (counts.get(folderOf(path)) ?? 0) + 1);
  }
  const ranked = [...counts].sort(([a, n], [b, m]) => m - n || depth(a) - depth(b) || a.localeCompare(b));
  if (ranked[0]) return ranked[0][0];
  return joinPath(repositoryTop(jobFile), 'infra');
}

function depth(folder: string): number {
  return folder === '' ? 0 : folder.split(/[\\/]/).length;
}

/** The repository's top folder as seen from a CI file's path; `''` when it cannot be told. */
export function repositoryTop(jobFile: string | undefined): string {
  if (!jobFile) return '';
  const github = /^(.*?)[\\/]?\.github[\\/]workflows[\\/][^\\/]+$/.exec(jobFile);
  if (github) return github[1]!;
  if (/(?:^|[\\/])\.gitlab-ci\.ya?ml$/.test(jobFile)) return folderOf(jobFile);
  return '';
}

/** The files of one folder with their facts (a Terraform module). */
function filesIn(workspace: WorkspaceContext, folder: string): [string, Facts][] {
  return [...workspace.files].filter(([path, file]) => folderOf(path) === folder && file.dialect === 'terraform').map(([path, file]) => [path, file.facts]);
}

/** Declarations of a folder's Terraform files, with the path of each. */
export function moduleDeclarations(workspace: WorkspaceContext, folder: string): { path: string; declaration: Declaration }[] {
  return filesIn(workspace, folder).flatMap(([path, facts]) => facts.declarations.map((declaration) => ({ path, declaration })));
}

// ---------------------------------------------------------------------------------------------
// AWS accounts and ARNs

const ARN_ACCOUNT = /\barn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):/g;
const ECR_REGISTRY = /\b(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/g;

/** Literal strings of a file that may hold ARNs: policy values, assumed roles, declared attributes. */
function literalsOf(facts: Facts): string[] {
  const values: string[] = [];
  for (const policy of facts.policies) {
    for (const statement of policy.statements) {
      for (const list of [statement.resources, statement.notResources, ...statement.principals.map((p) => p.values)]) for (const value of list) values.push(value.value);
    }
  }
  for (const auth of facts.authentications) if (auth.session?.role) values.push(auth.session.role.value);
  for (const declaration of facts.declarations) {
    for (const attribute of declaration.attributes) {
      if (attribute.literal !== undefined) values.push(attribute.literal);
      else if (declaration.block === 'locals' || declaration.block === 'provider') values.push(attribute.text);
    }
  }
  return values;
}

/** `allowed_account_ids = ["123456789012"]` in an aws provider. */
function allowedAccounts(facts: Facts): string[] {
  return facts.declarations
    .filter((d) => d.block === 'provider')
    .flatMap((d) => d.attributes.filter((a) => a.name === 'allowed_account_ids').flatMap((a) => [...a.text.matchAll(/"(\d{12})"/g)].map((m) => m[1]!)));
}

/** The AWS account ids the workspace's ARNs and registries name. */
export function accountIds(workspace: WorkspaceContext): Set<string> {
  const ids = new Set<string>();
  for (const file of workspace.files.values()) {
    for (const value of literalsOf(file.facts)) {
      for (const match of value.matchAll(ARN_ACCOUNT)) ids.add(match[1]!);
      for (const match of value.matchAll(ECR_REGISTRY)) ids.add(match[1]!);
    }
    for (const id of allowedAccounts(file.facts)) ids.add(id);
  }
  return ids;
}

/** The one account the workspace shows, else undefined (none, or several). */
export function soleAccount(workspace: WorkspaceContext): string | undefined {
  const ids = accountIds(workspace);
  return ids.size === 1 ? [...ids][0] : undefined;
}

/** A literal ARN of the role with this name (and path), as some file of the workspace writes it. */
export function literalRoleArn(workspace: WorkspaceContext, roleName: string, rolePath: string | undefined): string | undefined {
  const path = rolePath ? `${rolePath.replace(/^\/|\/$/g, '')}/` : '';
  const pattern = new RegExp(`^arn:aws[a-z-]*:iam::\\d{12}:role/${escapeRegExp(path)}${escapeRegExp(roleName)}$`);
  for (const file of workspace.files.values()) {
    for (const value of literalsOf(file.facts)) if (pattern.test(value)) return value;
  }
  return undefined;
}

export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// Roles and providers

export interface WorkspaceRole {
  path: string;
  identity: Identity;
}

/** Roles declared anywhere in the workspace. */
export function workspaceRoles(workspace: WorkspaceContext): WorkspaceRole[] {
  return [...workspace.files].flatMap(([path, file]) => file.facts.identities.filter((i) => i.kind === 'aws-role').map((identity) => ({ path, identity })));
}

/** AWS OIDC providers for an issuer host, with the path of the file declaring each. */
export function awsProvidersFor(workspace: WorkspaceContext, host: string): { path: string; provider: AwsOidcProvider }[] {
  const found: { path: string; provider: AwsOidcProvider }[] = [];
  for (const [path, file] of workspace.files) {
    for (const provider of file.facts.oidcProviders) {
      if (provider.kind === 'aws-oidc-provider' && provider.issuerHost.toLowerCase() === host.toLowerCase()) found.push({ path, provider });
    }
  }
  return found;
}
