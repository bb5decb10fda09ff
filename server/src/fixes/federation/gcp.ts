import type { Declaration, GcpProviderTrust } from '../../facts/model';
import type { WorkspaceGraph } from '../../graph/graph';
import { folderOf, joinPath } from '../../graph/paths';
import type { CiIssuer } from '../../graph/tokens';
import { describeScope, issuerUrl } from './claims';
import type { FederationPlan } from './federation';
import { fileHeader, generatedFile, generatedFileName, isGenerated, type PlanInput } from './generated';
import { alignedAttributes, commentLines, gcpId, hclString, kebab, terraformLabel } from './render';
import { targetFolder } from './target-folder';

/**
 * Google Cloud's side of federation, in Terraform: a workload identity pool and an OIDC provider
 * for the CI issuer whose `attribute_condition` names the repository, and a binding that lets
 * exactly this repository's environment or branch impersonate a service account
 * (`principal://…/subject/<sub>`: `google.subject` is the token's `sub`). Pools, providers and
 * service accounts of the workspace are reused where they fit.
 */

const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser';

/** The service account a binding names: how Terraform refers to it, and its email when it can be told. */
export interface ServiceAccountRef {
  /** The `service_account_id` expression: `google_service_account.ci.name` or a quoted literal. */
  expression: string;
  email?: string;
  /** A service account this plan declares (`account_id`), when the workspace has none to use. */
  declare?: { label: string; accountId: string; displayName: string };
}

export interface GcpSpec {
  issuer: CiIssuer;
  issuerHost: string;
  subject: string;
  /** ORG/REPO (GitHub) or GROUP/PROJECT (GitLab). */
  repositoryPath: string;
  label: string;
  pool: { kind: 'declare'; label: string; poolId: string } | { kind: 'resource'; label: string; poolId: string };
  provider: { kind: 'declare'; label: string; providerId: string } | { kind: 'resource'; label: string; providerId: string };
  serviceAccount: ServiceAccountRef;
  usedBy: string;
}

export function planGcp(input: PlanInput): FederationPlan | undefined {
  const { request, workspace, graph, repository, scopeName } = input;
  const reused = reuseGcp(input);
  if (reused) return reused;
  const folder = targetFolder(graph, 'terraform', request.job.file);
  const path = joinPath(folder, generatedFileName(repository, scopeName, 'tf', kebab));
  if (workspace.files.has(path) && !isGenerated(workspace.files.get(path)!.text)) return undefined;
  const declarations = graph.moduleDeclarations(folder).filter((d) => d.path !== path).map((d) => d.declaration);
  const notes: string[] = [];
  const label = terraformLabel(`${request.issuer === 'github' ? 'gha' : 'gitlab'}_${repository.name}_${scopeName}`);
  const serviceAccount = chooseServiceAccount(graph, folder, path, label, request.issuer, repository.name, scopeName, notes);
  const providers = graph.moduleGcpProviders(folder).filter((p) => p.path !== path).map((p) => p.trust);
  const spec = gcpSpec({ ...input, issuer: request.issuer, usedBy: usedBy(input) }, declarations, providers, graph.declarations().map((d) => d.declaration), label, serviceAccount);
  notes.push(...gcpNotes(request.issuer));
  const identity = gcpIdentity(spec, request.issuer, notes);
  const header = fileHeader(`${issuerLabel(request.issuer)} workload identity federation for ${repository.owner}/${repository.name}, ${describeScope(request.subject)}. Job "${request.job.name}" impersonates the service account with a short-lived token instead of a service-account key.`, notes).join('\n');
  const file = generatedFile(workspace, path, `${[header, ...terraformGcpBlocks(spec), ...gcpOutputs(spec)].join('\n\n')}\n`);
  if (!file) return undefined;
  return { identity, reused: false, ...file, notes };
}

function issuerLabel(issuer: CiIssuer): string {
  return issuer === 'github' ? 'GitHub Actions' : 'GitLab CI';
}

function gcpNotes(issuer: CiIssuer): string[] {
  return [
    'Keyless does not infer Google Cloud permissions: the service account keeps the roles it has (a new one has none); grant it what the job needs',
    issuer === 'github'
      ? 'Set the repository variable GCP_PROJECT_NUMBER to the project number (the output workload_identity_provider shows the full provider name)'
      : 'Set the CI/CD variable GCP_PROJECT_NUMBER to the project number (the output workload_identity_provider shows the full provider name); the job\'s id_tokens must request the provider\'s full name as its audience: `aud: https://iam.googleapis.com/<workload_identity_provider>`',
  ];
}

/** Who and what a GCP spec is for. */
export interface GcpTarget {
  issuer: CiIssuer;
  issuerHost: string;
  subject: string;
  repository: { owner: string; name: string };
  scopeName: string;
  usedBy: string;
}

/**
 * The pool and provider: a provider of the module that serves this issuer and admits exactly this
 * repository (GitHub) or subject (GitLab) with `google.subject` mapped to the token's `sub`, else a
 * new provider (in the module's pool for the issuer, else a new pool). Names avoid every pool id,
 * provider id and label the module and the workspace already use.
 */
export function gcpSpec(target: GcpTarget, declarations: readonly Declaration[], providers: readonly GcpProviderTrust[], workspaceDeclarations: readonly Declaration[], label: string, serviceAccount: ServiceAccountRef): GcpSpec {
  const { issuer, issuerHost, subject, repository } = target;
  const repositoryPath = `${repository.owner}/${repository.name}`;
  const pools = declarations.filter((d) => d.type === 'google_iam_workload_identity_pool');
  const poolOf = (provider: GcpProviderTrust): Declaration | undefined =>
    pools.find((pool) => provider.poolRef === `google_iam_workload_identity_pool.${pool.name}.workload_identity_pool_id` || provider.poolRef === literalAttribute(pool, 'workload_identity_pool_id'));
  const base = { issuer, issuerHost, subject, repositoryPath, label, serviceAccount, usedBy: target.usedBy };
  const fitting = providers.find((p) => p.issuer === issuer && p.providerId && poolOf(p) && p.attributeMapping?.['google.subject'] === 'assertion.sub' && conditionNamesOnly(p.attributeCondition?.value, issuer, repositoryPath, subject));
  if (fitting) {
    const pool = poolOf(fitting)!;
    return {
      ...base,
      pool: { kind: 'resource', label: pool.name, poolId: literalAttribute(pool, 'workload_identity_pool_id') ?? pool.name },
      provider: { kind: 'resource', label: fitting.name, providerId: fitting.providerId! },
    };
  }
  const takenPoolIds = new Set(workspaceDeclarations.filter((d) => d.type === 'google_iam_workload_identity_pool').map((d) => literalAttribute(d, 'workload_identity_pool_id')));
  const issuerPool = pools.find((pool) => providers.some((p) => p.issuer === issuer && poolOf(p) === pool));
  const pool: GcpSpec['pool'] = issuerPool
    ? { kind: 'resource', label: issuerPool.name, poolId: literalAttribute(issuerPool, 'workload_identity_pool_id') ?? issuerPool.name }
    : { kind: 'declare', label: unique(issuer, new Set(pools.map((p) => p.name))), poolId: unique(issuer === 'github' ? 'github-actions' : 'gitlab-ci', takenPoolIds, '-') };
  // One provider per repository (GitHub: the condition names the repository; GitLab, whose token
  // has no repository claim the rules can check, per subject).
  const providerId = gcpId(issuer === 'github' ? ['gh', repository.name] : ['gl', repository.name, target.scopeName], 4, 32);
  const providerDeclarations = declarations.filter((d) => d.type === 'google_iam_workload_identity_pool_provider');
  const takenProviderIds = new Set([...providers.map((p) => p.providerId), ...providerDeclarations.map((d) => literalAttribute(d, 'workload_identity_pool_provider_id'))]);
  const takenLabels = new Set([...providers.map((p) => p.name), ...providerDeclarations.map((d) => d.name)]);
  return {
    ...base,
    pool,
    provider: { kind: 'declare', label: unique(terraformLabel(providerId), takenLabels), providerId: unique(providerId, takenProviderIds, '-') },
  };
}

function usedBy(input: PlanInput): string {
  return `job "${input.request.job.name}" (${input.request.job.file}) of ${input.repository.owner}/${input.repository.name}, ${describeScope(input.request.subject)}`;
}

/** An `attribute_condition` that admits this repository (GitHub) or subject (GitLab) and nothing else. */
function conditionNamesOnly(condition: string | undefined, issuer: CiIssuer, repositoryPath: string, subject: string): boolean {
  if (!condition || /\|\||!=/.test(condition)) return false;
  const expected = issuer === 'github' ? ['assertion.repository', repositoryPath] : ['assertion.sub', subject];
  return new RegExp(`${expected[0]!.replace(/\./g, '\\.')}\\s*==\\s*["']${escape(expected[1]!)}["']`, 'i').test(condition);
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function unique(base: string, taken: Set<string | undefined>, separator = '_'): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${separator}${n}`;
  return name;
}

function literalAttribute(declaration: Declaration, name: string): string | undefined {
  return declaration.attributes.find((a) => a.name === name)?.literal;
}

/**
 * The service account to bind: the one whose key the workspace mints (when there is exactly one
 * such key), else the module's only service account, else a new one (with a note: it has no roles).
 */
function chooseServiceAccount(graph: WorkspaceGraph, folder: string, path: string, label: string, issuer: CiIssuer, repo: string, scopeName: string, notes: string[]): ServiceAccountRef {
  const keys = graph.declarations().filter((d) => d.declaration.type === 'google_service_account_key');
  if (keys.length === 1) {
    const { path: keyPath, declaration: key } = keys[0]!;
    let found = serviceAccountOf(key, graph.moduleDeclarations(folderOf(keyPath)).map((d) => d.declaration));
    // A reference only resolves inside its own module: from elsewhere the account goes by its email.
    if (found && folderOf(keyPath) !== folder && !found.expression.startsWith('"')) found = found.email ? { expression: hclString(`projects/-/serviceAccounts/${found.email}`), email: found.email } : undefined;
    if (found) {
      notes.push(`The binding names ${found.email ?? found.expression}, the service account whose key the workspace mints: check that it is the one the job used`);
      return found;
    }
  }
  const accounts = graph.moduleDeclarations(folder).filter((d) => d.path !== path && d.declaration.type === 'google_service_account');
  if (accounts.length === 1) {
    const account = accounts[0]!.declaration;
    return { expression: `google_service_account.${account.name}.name`, ...emailOf(account) };
  }
  const accountId = gcpId([issuer === 'github' ? 'gha' : 'gitlab', repo, scopeName], 6, 30);
  return { expression: `google_service_account.${label}.name`, declare: { label, accountId, displayName: `${issuer === 'github' ? 'GitHub Actions' : 'GitLab CI'}: ${repo} ${scopeName}` } };
}

/** The service account a key (or binding) names in `service_account_id`. */
export function serviceAccountOf(holder: Declaration, moduleDeclarations: readonly Declaration[]): ServiceAccountRef | undefined {
  const attribute = holder.attributes.find((a) => a.name === 'service_account_id');
  if (!attribute) return undefined;
  if (attribute.literal !== undefined) {
    const email = /serviceAccounts\/([^/]+@[^/]+)$/.exec(attribute.literal)?.[1] ?? (/^[^/@]+@[^/]+$/.test(attribute.literal) ? attribute.literal : undefined);
    return { expression: hclString(attribute.literal), ...(email ? { email } : {}) };
  }
  const reference = /^google_service_account\.([A-Za-z0-9_-]+)\.(?:name|id)$/.exec(attribute.text.trim());
  if (!reference) return undefined;
  const account = moduleDeclarations.find((d) => d.type === 'google_service_account' && d.name === reference[1]);
  return { expression: attribute.text.trim(), ...(account ? emailOf(account) : {}) };
}

function emailOf(account: Declaration): { email?: string } {
  const id = literalAttribute(account, 'account_id');
  const project = literalAttribute(account, 'project');
  return id && project ? { email: `${id}@${project}.iam.gserviceaccount.com` } : {};
}

/** The CI side's names: the provider (its project number a variable), the service account's email. */
export function gcpIdentity(spec: GcpSpec, issuer: CiIssuer, notes: string[]): FederationPlan['identity'] {
  const variable = (name: string): string => (issuer === 'github' ? `\${{ vars.${name} }}` : `\${${name}}`);
  let email = spec.serviceAccount.email;
  if (!email) {
    const accountId = spec.serviceAccount.declare?.accountId;
    if (accountId) email = `${accountId}@${variable('GCP_PROJECT_ID')}.iam.gserviceaccount.com`;
    else email = variable('GCP_SERVICE_ACCOUNT');
    notes.push(issuer === 'github' ? `Set the repository variable ${accountId ? 'GCP_PROJECT_ID to the project id' : 'GCP_SERVICE_ACCOUNT to the service account\'s email'} (the output service_account shows it)` : `Set the CI/CD variable ${accountId ? 'GCP_PROJECT_ID to the project id' : 'GCP_SERVICE_ACCOUNT to the service account\'s email'} (the output service_account shows it)`);
  }
  return {
    cloud: 'gcp',
    workloadIdentityProvider: `projects/${variable('GCP_PROJECT_NUMBER')}/locations/global/workloadIdentityPools/${spec.pool.poolId}/providers/${spec.provider.providerId}`,
    serviceAccount: email,
  };
}

/** The Terraform blocks of a GCP spec. */
export function terraformGcpBlocks(spec: GcpSpec): string[] {
  const blocks: string[] = [];
  if (spec.pool.kind === 'declare') {
    blocks.push([
      `# A pool for ${issuerLabel(spec.issuer)} identities; its providers decide which tokens get in.`,
      `resource "google_iam_workload_identity_pool" ${hclString(spec.pool.label)} {`,
      ...alignedAttributes([
        ['workload_identity_pool_id', hclString(spec.pool.poolId)],
        ['display_name', hclString(issuerLabel(spec.issuer))],
      ], '  '),
      '}',
    ].join('\n'));
  }
  if (spec.provider.kind === 'declare') {
    const condition = spec.issuer === 'github' ? `assertion.repository == '${spec.repositoryPath}'` : `assertion.sub == '${spec.subject}'`;
    blocks.push([
      ...commentLines(
        spec.issuer === 'github'
          ? `Accepts tokens of ${spec.repositoryPath} only (attribute_condition); which of its workflows may act is decided by the bindings.`
          : `Accepts tokens of ${spec.repositoryPath} for this branch only (attribute_condition).`,
        '#',
      ),
      `resource "google_iam_workload_identity_pool_provider" ${hclString(spec.provider.label)} {`,
      ...alignedAttributes([
        ['workload_identity_pool_id', `google_iam_workload_identity_pool.${spec.pool.label}.workload_identity_pool_id`],
        ['workload_identity_pool_provider_id', hclString(spec.provider.providerId)],
        ['display_name', hclString(`${spec.issuer === 'github' ? 'GitHub' : 'GitLab'} ${spec.repositoryPath}`.slice(0, 32))],
        ['attribute_condition', hclString(condition)],
      ], '  '),
      '  attribute_mapping = {',
      ...alignedAttributes(
        (spec.issuer === 'github'
          ? [['"google.subject"', '"assertion.sub"'], ['"attribute.repository"', '"assertion.repository"']]
          : [['"google.subject"', '"assertion.sub"'], ['"attribute.project_path"', '"assertion.project_path"']]) as [string, string][],
        '    ',
      ),
      '  }',
      '  oidc {',
      `    issuer_uri = ${hclString(issuerUrl(spec.issuerHost))}`,
      '  }',
      '}',
    ].join('\n'));
  }
  if (spec.serviceAccount.declare) {
    const declared = spec.serviceAccount.declare;
    blocks.push([
      '# The identity the job acts as. It has no roles yet: grant it what the job needs.',
      `resource "google_service_account" ${hclString(declared.label)} {`,
      ...alignedAttributes([
        ['account_id', hclString(declared.accountId)],
        ['display_name', hclString(declared.displayName)],
      ], '  '),
      '}',
    ].join('\n'));
  }
  blocks.push([
    ...commentLines(`Lets ${spec.usedBy} impersonate the service account, and nothing else: the member is the token's exact subject.`, '#'),
    `resource "google_service_account_iam_member" ${hclString(spec.label)} {`,
    ...alignedAttributes([
      ['service_account_id', spec.serviceAccount.expression],
      ['role', hclString(WORKLOAD_IDENTITY_USER)],
      ['member', `"principal://iam.googleapis.com/\${google_iam_workload_identity_pool.${spec.pool.label}.name}/subject/${hclString(spec.subject).slice(1, -1)}"`],
    ], '  '),
    '}',
  ].join('\n'));
  return blocks;
}

export function gcpOutputs(spec: GcpSpec): string[] {
  return [
    [`output ${hclString(`${spec.label}_workload_identity_provider`)} {`, ...alignedAttributes([
      ['description', hclString('workload_identity_provider for google-github-actions/auth (or the audience of a GitLab id_token).')],
      ['value', `google_iam_workload_identity_pool_provider.${spec.provider.label}.name`],
    ], '  '), '}'].join('\n'),
    ...(spec.serviceAccount.declare || spec.serviceAccount.expression.startsWith('google_service_account.')
      ? [[`output ${hclString(`${spec.label}_service_account`)} {`, ...alignedAttributes([
          ['description', hclString('The service account the job impersonates.')],
          ['value', `google_service_account.${spec.serviceAccount.declare?.label ?? spec.serviceAccount.expression.split('.')[1]}.email`],
        ], '  '), '}'].join('\n')]
      : []),
  ];
}

/**
 * A binding of the workspace that already admits exactly this subject to a service account, with
 * the provider of its pool: nothing to write.
 */
function reuseGcp(input: PlanInput): FederationPlan | undefined {
  const { graph, subject, request } = input;
  for (const { path, facts } of [...graph.files].sort((a, b) => a.path.localeCompare(b.path))) {
    const folder = folderOf(path);
    for (const binding of facts.declarations) {
      if (binding.type !== 'google_service_account_iam_member' || literalAttribute(binding, 'role') !== WORKLOAD_IDENTITY_USER) continue;
      const member = binding.attributes.find((a) => a.name === 'member')?.text.replace(/^"|"$/g, '') ?? '';
      if (!member.toLowerCase().endsWith(`/subject/${subject.toLowerCase()}`)) continue;
      const pool = /workloadIdentityPools\/([a-z0-9-]+)\/subject\//.exec(member)?.[1] ?? poolIdOfReference(graph, folder, member);
      const account = serviceAccountOf(binding, graph.moduleDeclarations(folder).map((d) => d.declaration));
      const provider = graph.trusts
        .filter((t) => folderOf(t.path) === folder)
        .map((t) => t.trust)
        .find((t): t is GcpProviderTrust => t.kind === 'gcp-workload-identity-provider' && t.issuer === request.issuer && t.providerId !== undefined && (t.poolRef === pool || (t.poolRef?.startsWith('google_iam_workload_identity_pool.') ?? false) && poolIdOfReference(graph, folder, `\${${t.poolRef}}`) === pool));
      if (!pool || !account || !provider) continue;
      const number = /projects\/(\d+)\//.exec(member)?.[1];
      const notes: string[] = [];
      const variable = (name: string): string => (request.issuer === 'github' ? `\${{ vars.${name} }}` : `\${${name}}`);
      if (!number) notes.push(`Set the ${request.issuer === 'github' ? 'repository' : 'CI/CD'} variable GCP_PROJECT_NUMBER to the number of the project that holds pool ${pool}`);
      if (!account.email) notes.push(`Set the ${request.issuer === 'github' ? 'repository' : 'CI/CD'} variable GCP_SERVICE_ACCOUNT to the email of ${account.expression}`);
      return {
        identity: {
          cloud: 'gcp',
          workloadIdentityProvider: `projects/${number ?? variable('GCP_PROJECT_NUMBER')}/locations/global/workloadIdentityPools/${pool}/providers/${provider.providerId}`,
          serviceAccount: account.email ?? variable('GCP_SERVICE_ACCOUNT'),
        },
        reused: true,
        creates: [],
        edits: [],
        notes,
      };
    }
  }
  return undefined;
}

/** The pool id behind `${google_iam_workload_identity_pool.X.name}` (or `.workload_identity_pool_id`) in a member. */
function poolIdOfReference(graph: WorkspaceGraph, folder: string, text: string): string | undefined {
  const reference = /\$\{google_iam_workload_identity_pool\.([A-Za-z0-9_-]+)\.(?:name|workload_identity_pool_id)\}/.exec(text);
  if (!reference) return undefined;
  const pool = graph.moduleDeclarations(folder).find((d) => d.declaration.type === 'google_iam_workload_identity_pool' && d.declaration.name === reference[1]);
  return pool ? literalAttribute(pool.declaration, 'workload_identity_pool_id') : undefined;
}
