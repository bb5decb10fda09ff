import type { Authentication } from '../../../facts/model';
import { input, usesAction, type Job, type Step, type Workflow } from '../../../dialects/github-actions/model';
import { workspaceGraph } from '../../../graph/graph';
import { str, type Pair } from '../../../syntax/tree';
import type { FederationPlan, PlanFederation } from '../../../fixes/federation/federation';
import type { FixContext, FixProposal, ProposedEdit } from '../../../fixes/fixer';
import { askPlan, CloudSide, federationRequest, grantFor, identitySource, proposal, runsSelfHosted, SELF_HOSTED_WARNING, stepSite } from '../../../fixes/github-actions/context';
import { yamlString } from '../../../fixes/yaml-edit';
import { blockMap, fromMatrix, insertStepBefore, removePairs, replacePair, replaceValue, sourceOf } from '../../../fixes/github-actions/edit';

/**
 * Google Cloud, Azure and Vault logins to GitHub OIDC: `google-github-actions/auth` with a key,
 * `azure/login` with a secret, the Azure deploy actions with a publish profile, and
 * `hashicorp/vault-action` with a token or another static method.
 */

const GCP_VARIABLES = { provider: '${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}', account: '${{ vars.GCP_SERVICE_ACCOUNT }}' };
const AZURE_VARIABLES = { client: '${{ vars.AZURE_CLIENT_ID }}', tenant: '${{ vars.AZURE_TENANT_ID }}', subscription: '${{ vars.AZURE_SUBSCRIPTION_ID }}' };
const AZURE_LOGIN_REF = 'azure/login@v2';
const VAULT_ROLE_VARIABLE = '${{ vars.VAULT_ROLE }}';

/** The step's static inputs, when all are written in its own block `with:` (none from a matrix). */
function staticInputs(context: FixContext<Authentication>, step: Step, names: readonly string[]): { owner: Pair; pairs: Pair[] } | undefined {
  const block = blockMap(context.text, step.node, 'with');
  if (!block) return undefined;
  const pairs = block.map.pairs.filter((p) => names.includes(p.key));
  if (pairs.length === 0 || step.with.filter((p) => names.includes(p.key)).length !== pairs.length) return undefined;
  if (pairs.some((p) => fromMatrix(context.text, p.value?.span))) return undefined;
  return { owner: block.pair, pairs: pairs.sort((a, b) => a.keySpan.start - b.keySpan.start) };
}

/** Replaces the first static input by `lines` and removes the others. */
function swapInputs(text: string, inputs: { owner: Pair; pairs: Pair[] }, lines: readonly string[]): ProposedEdit[] | undefined {
  const [first, ...rest] = inputs.pairs as [Pair, ...Pair[]];
  const replaced = lines.length > 0 ? replacePair(text, first, lines) : undefined;
  const removal = removePairs(text, inputs.owner, lines.length > 0 ? rest : inputs.pairs);
  if (!removal || (lines.length > 0 && !replaced)) return undefined;
  return [...(replaced ? [replaced] : []), ...removal];
}

function planFor(context: FixContext<Authentication>, plan: PlanFederation, workflow: Workflow, job: Job, cloud: 'gcp' | 'azure'): { cloud: CloudSide; plan: FederationPlan | undefined } {
  const side = new CloudSide();
  const planned = askPlan(plan, federationRequest(context, workflow, job, cloud), context.workspace);
  return { cloud: side, plan: planned && side.add(planned) ? planned : undefined };
}

function warnings(job: Job): string[] {
  return runsSelfHosted(job) ? [SELF_HOSTED_WARNING] : [];
}

/** `credentials_json` → `workload_identity_provider` + `service_account`. */
export function rewriteGoogleAuth(context: FixContext<Authentication>, plan: PlanFederation): FixProposal[] {
  const found = stepSite(context);
  if (!found || found.auth.target !== 'gcp' || !usesAction(found.step, 'google-github-actions/auth')) return [];
  const { workflow, job, step } = found;
  const { text } = context;
  const inputs = staticInputs(context, step, ['credentials_json']);
  const grant = grantFor(text, workflow, job, true);
  if (!inputs || !grant) return [];
  const { cloud, plan: planned } = planFor(context, plan, workflow, job, 'gcp');
  const identity = planned?.identity.cloud === 'gcp' ? planned.identity : undefined;
  const provider = identity ? yamlString(identity.workloadIdentityProvider) : GCP_VARIABLES.provider;
  const account = identity ? yamlString(identity.serviceAccount) : GCP_VARIABLES.account;
  const edits: ProposedEdit[] = [...grant];
  const lines = input(step, 'workload_identity_provider') ? [] : [`workload_identity_provider: ${provider}`];
  // A service account already named stays, unless the plan names the one its trust admits.
  const existingAccount = input(step, 'service_account');
  if (!existingAccount) lines.push(`service_account: ${account}`);
  else if (identity) {
    const replaced = replaceValue(text, existingAccount, account);
    if (!replaced) return [];
    edits.push(replaced);
  }
  const swapped = swapInputs(text, inputs, lines);
  if (!swapped) return [];
  edits.push(...swapped);
  const followUps = identity
    ? [`The job now impersonates ${identity.serviceAccount} through Workload Identity Federation.`]
    : identitySource(planned, 'the workload identity provider and the service account to impersonate', ['GCP_WORKLOAD_IDENTITY_PROVIDER', 'GCP_SERVICE_ACCOUNT']);
  return [proposal('Replace the service-account key with Workload Identity Federation', edits, cloud, warnings(job), followUps)];
}

interface AzureIds {
  client: string;
  tenant: string;
  subscription: string;
}

function azureIds(planned: FederationPlan | undefined): AzureIds {
  const identity = planned?.identity.cloud === 'azure' ? planned.identity : undefined;
  return identity ? { client: yamlString(identity.clientId), tenant: yamlString(identity.tenantId), subscription: yamlString(identity.subscriptionId) } : AZURE_VARIABLES;
}

const AZURE_SOURCE = ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_SUBSCRIPTION_ID'];

/** `azure/login` with `creds` (or a client secret) → `client-id` + `tenant-id` + `subscription-id`. */
export function rewriteAzureLogin(context: FixContext<Authentication>, plan: PlanFederation): FixProposal[] {
  const found = stepSite(context);
  if (!found || found.auth.target !== 'azure' || !usesAction(found.step, 'azure/login')) return [];
  const { workflow, job, step } = found;
  const { text } = context;
  const inputs = staticInputs(context, step, ['creds', 'client-secret']);
  const grant = grantFor(text, workflow, job, true);
  if (!inputs || !grant) return [];
  const { cloud, plan: planned } = planFor(context, plan, workflow, job, 'azure');
  const ids = azureIds(planned);
  const edits: ProposedEdit[] = [...grant];
  const lines: string[] = [];
  // Ids already written stay (a secret's client keeps its id), unless the plan's identity replaces them.
  const wanted: [string, string][] = [['client-id', ids.client], ['tenant-id', ids.tenant]];
  if (str(input(step, 'allow-no-subscriptions')?.value) !== 'true') wanted.push(['subscription-id', ids.subscription]);
  for (const [name, value] of wanted) {
    const existing = input(step, name);
    if (!existing) lines.push(`${name}: ${value}`);
    else if (planned) {
      const replaced = replaceValue(text, existing, value);
      if (!replaced) return [];
      edits.push(replaced);
    }
  }
  const swapped = swapInputs(text, inputs, lines);
  if (!swapped) return [];
  edits.push(...swapped);
  const what = inputs.pairs.some((p) => p.key === 'creds') ? 'creds' : 'client secret';
  return [proposal(`Replace the ${what} with an OIDC login`, edits, cloud, warnings(job), azureFollowUps(planned))];
}

/** Which app the login uses: the plan's (named), else the ids the user defines as variables. */
function azureFollowUps(planned: FederationPlan | undefined): string[] {
  if (planned?.identity.cloud === 'azure') return [`The job now logs in as client ${planned.identity.clientId} with a federated credential.`];
  return identitySource(undefined, "the app registration's client id, its tenant and the subscription", AZURE_SOURCE);
}

/**
 * `azure/webapps-deploy` / `Azure/functions-action` with `publish-profile` → the deploy without
 * it, after an OIDC `azure/login` (the job's own, when one runs before it).
 */
export function rewriteAzureDeploy(context: FixContext<Authentication>, plan: PlanFederation): FixProposal[] {
  const found = stepSite(context);
  if (!found || found.auth.target !== 'azure' || !usesAction(found.step, 'azure/webapps-deploy', 'azure/functions-action')) return [];
  const { workflow, job, step } = found;
  const { text } = context;
  const inputs = staticInputs(context, step, ['publish-profile']);
  if (!inputs) return [];
  const removal = removePairs(text, inputs.owner, inputs.pairs);
  if (!removal) return [];
  const login = job.steps.find((s) => s.index < step.index && usesAction(s, 'azure/login'));
  const edits: ProposedEdit[] = [...removal];
  if (login) {
    // The job logs in already: the deploy uses that session. Its login, if static, is its own finding.
    const federated = input(login, 'client-id') !== undefined && !input(login, 'creds') && !input(login, 'client-secret');
    if (federated) {
      const grant = grantFor(text, workflow, job, true);
      if (!grant) return [];
      edits.push(...grant);
    }
    return [proposal('Deploy without the publish profile, with the azure/login session of the job', edits, undefined, warnings(job))];
  }
  const grant = grantFor(text, workflow, job, true);
  if (!grant) return [];
  const { cloud, plan: planned } = planFor(context, plan, workflow, job, 'azure');
  const ids = azureIds(planned);
  const insertion = insertStepBefore(text, step, [
    'name: Log in to Azure',
    `uses: ${AZURE_LOGIN_REF}`,
    'with:',
    `  client-id: ${ids.client}`,
    `  tenant-id: ${ids.tenant}`,
    `  subscription-id: ${ids.subscription}`,
  ]);
  if (!insertion) return [];
  edits.push(...grant, insertion);
  return [proposal('Replace the publish profile with an OIDC azure/login step', edits, cloud, warnings(job), azureFollowUps(planned))];
}

/** Inputs of vault-action's static methods: the secret, and what goes with it. */
const VAULT_STATIC = ['token', 'secretId', 'roleId', 'username', 'password', 'githubToken'];

/**
 * `hashicorp/vault-action` with a token (or AppRole, userpass, GitHub-token login) → `method: jwt`
 * with a role and an explicit audience. The audience is the Vault address, as Vault's JWT auth
 * expects (the role's `bound_audiences` names its own server); vault-action's default, `sigstore`,
 * names something else.
 */
export function rewriteVaultAction(context: FixContext<Authentication>): FixProposal[] {
  const found = stepSite(context);
  if (!found || found.auth.target !== 'vault' || !usesAction(found.step, 'hashicorp/vault-action')) return [];
  const { workflow, job, step } = found;
  const { text } = context;
  // `path` mounts the old method somewhere; the JWT mount is elsewhere and only the user knows where.
  if (input(step, 'path')) return [];
  const inputs = staticInputs(context, step, VAULT_STATIC);
  const url = sourceOf(text, input(step, 'url')?.value ?? null);
  const grant = grantFor(text, workflow, job, true);
  if (!inputs || !url || !grant) return [];
  const edits: ProposedEdit[] = [...grant];
  const lines: string[] = [];
  const method = input(step, 'method');
  if (!method) lines.push('method: jwt');
  else {
    const replaced = replaceValue(text, method, 'jwt');
    if (!replaced) return [];
    edits.push(replaced);
  }
  const known = vaultRole(context, workflow);
  if (!input(step, 'role')) lines.push(`role: ${known ?? VAULT_ROLE_VARIABLE}`);
  if (!input(step, 'jwtGithubAudience')) lines.push(`jwtGithubAudience: ${url}`);
  const swapped = swapInputs(text, inputs, lines);
  if (!swapped) return [];
  edits.push(...swapped);
  const role = input(step, 'role') ? 'its role' : known ? `role "${known}", as elsewhere in the workspace` : 'the role in the repository variable VAULT_ROLE';
  const followUps = [
    `Bind the Vault JWT role (${role}) to this repository's GitHub OIDC tokens with bound_audiences ${url}.`,
    ...(input(step, 'role') || known ? [] : identitySource(undefined, 'the Vault JWT role to log in as', ['VAULT_ROLE'])),
  ];
  return [proposal('Log in to Vault with GitHub OIDC (method: jwt)', edits, undefined, warnings(job), followUps)];
}

/**
 * A Vault JWT role the workspace already logs in with from GitHub Actions (this workflow or
 * another), when there is exactly one, written literally.
 */
function vaultRole(context: FixContext<Authentication>, workflow: Workflow): string | undefined {
  const roles = new Set<string>();
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      if (!usesAction(step, 'hashicorp/vault-action') || str(input(step, 'method')?.value)?.toLowerCase() !== 'jwt') continue;
      const role = str(input(step, 'role')?.value);
      if (role && !role.includes('${{')) roles.add(role);
    }
  }
  for (const auth of workspaceGraph(context.workspace).authentications()) {
    if (isVaultOidc(auth) && auth.session?.role && !auth.session.role.value.includes('${{')) roles.add(auth.session.role.value);
  }
  return roles.size === 1 ? [...roles][0] : undefined;
}

function isVaultOidc(auth: Authentication): boolean {
  return auth.target === 'vault' && auth.method === 'oidc' && auth.principal.kind === 'ci-job' && auth.principal.platform === 'github-actions';
}
