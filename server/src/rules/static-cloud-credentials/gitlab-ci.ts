import type { PipelineJob } from '../../dialects/gitlab-ci/model';
import { AWS_PROGRAMS } from '../../iam/aws-programs';
import { flagValue, shellCommands } from '../../syntax/shell';
import { isSeq, type DataNode, type ScalarNode } from '../../syntax/tree';
import type { PlanFederation } from '../../fixes/federation/federation';
import type { Fixer, FixProposal } from '../../fixes/fixer';
import { GITLAB_SESSION_NAME } from '../../fixes/session-name';
import { deleteItem, replaceItem } from '../../fixes/gitlab-ci/edits';
import type { Authentication } from '../../facts/model';
import {
  cloudAudience,
  keepsOtherKeys,
  commandText,
  gitlabFix,
  jobList,
  jobsRunningCommand,
  loginLine,
  planJobs,
  program,
  proposal,
  removeVariables,
  scriptsRead,
  variableCarrier,
  variableLines,
  variableTaken,
  withNotes,
  type GitlabFix,
  type Titled,
  type LoginLine,
  type Planned,
  type VariableCarrier,
} from '../../fixes/gitlab-ci/common';
import { configMaps, effectiveLines, entrySource } from '../../dialects/gitlab-ci/assembly';
import { giveJobs, type Needs } from '../../fixes/gitlab-ci/placement';
import { gitlabSubjectClaim, tokenSubject } from '../../dialects/gitlab-ci/subject';
import { literalVariable } from '../../fixes/gitlab-ci/usage';

/**
 * The GitLab CI side of the OIDC migration for `static-cloud-credentials`: key variables and
 * key-file logins become an `id_tokens:` token exchanged for the cloud's short-lived credentials,
 * in the form each cloud documents for GitLab. Every rewrite is unsafe (the cloud must trust the
 * token first) and is offered only when the whole change can be made without guessing.
 */
export function gitlabCloudFixer(plan: PlanFederation): Fixer<Authentication> {
  return (fix) => {
    const gl = gitlabFix(fix);
    if (!gl || gl.auth.method !== 'static') return [];
    if (gl.site.line) {
      const login = loginLine(gl);
      if (!login) return [];
      if (gl.auth.target === 'gcp') return gcpLogin(gl, plan, login);
      if (gl.auth.target === 'azure') return azureLogin(gl, plan, login);
      if (gl.auth.target === 'vault') return vaultLogin(gl, login);
      return [];
    }
    const vc = variableCarrier(gl);
    if (!vc) return [];
    switch (gl.auth.target) {
      case 'aws':
        return awsVariables(gl, plan, vc);
      case 'gcp':
        return gcpVariables(gl, plan, vc);
      case 'azure':
        return azureVariables(gl, vc);
      case 'vault':
        return vaultVariables(gl, vc);
      default:
        return [];
    }
  };
}

const GCP_PROGRAMS = new Set(['gcloud', 'gsutil', 'bq', 'terraform', 'terragrunt', 'tofu', 'pulumi']);
const AZURE_PROGRAMS = new Set(['az', 'azcopy', 'func', 'terraform', 'terragrunt', 'tofu', 'pulumi']);

const usesAws = (words: readonly string[]): boolean => AWS_PROGRAMS.has(program(words) ?? '');
const usesGcp = (words: readonly string[]): boolean => GCP_PROGRAMS.has(program(words) ?? '');
const usesAzure = (words: readonly string[]): boolean => AZURE_PROGRAMS.has(program(words) ?? '');
const usesVault = (words: readonly string[]): boolean => program(words) === 'vault';

/**
 * The jobs a variable rewrite serves: every job that takes the keys from a job or template, but
 * only those that visibly use the cloud when the keys are global (the others just lose them).
 */
function servedJobs(gl: GitlabFix, vc: VariableCarrier, uses: (words: readonly string[]) => boolean): { jobs: PipelineJob[]; dropped: boolean } {
  if (vc.carrier.kind !== 'global') return { jobs: vc.jobs, dropped: false };
  const jobs = jobsRunningCommand(gl, vc.jobs, uses);
  return { jobs, dropped: jobs.length < vc.jobs.length };
}

/** Said when global keys stay with the jobs that use the cloud only. */
function dropped(yes: boolean): string[] {
  return yes ? ['the other jobs lose the keys'] : [];
}

/** An audience for a title: GitLab's own variable is spelled out. */
function audienceText(aud: string): string {
  return aud === '$CI_SERVER_URL' ? "the GitLab instance's URL" : aud;
}

// --------------------------------------------------------------------------------------------
// AWS: the SDKs' web-identity variables

/**
 * Where the token is written for the SDKs and the CLI to read. Outside the project folder, so that
 * `artifacts:` and `cache:` never pick it up, and named after the job, since shell runners share
 * `/tmp` between concurrent jobs; the subshell's umask keeps it from other local users.
 */
const AWS_TOKEN_FILE = '/tmp/aws-web-identity-token-$CI_JOB_ID';
const AWS_WRITE_TOKEN = '(umask 077 && printf "%s" "$AWS_ID_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE")';

/**
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` → an `AWS_ID_TOKEN` ID token written to
 * `AWS_WEB_IDENTITY_TOKEN_FILE`, with `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`: the variables
 * every AWS SDK and both CLIs read in their default credential chain, so `aws`, Terraform, the CDK
 * and SDK code all assume the role without a login step, and re-assume it when the session
 * expires (an `assume-role-with-web-identity` call exporting keys would not).
 */
function awsVariables(gl: GitlabFix, plan: PlanFederation, vc: VariableCarrier): FixProposal[] {
  const { ctx } = gl;
  const { jobs, dropped: others } = servedJobs(gl, vc, usesAws);
  if (jobs.length === 0 || scriptsRead(gl, vc.jobs, vc.pairs.map((p) => p.key)) || keepsOtherKeys(gl, jobs, vc.pairs)) return [];
  const withRole = jobs.filter((job) => entrySource(ctx.pipeline, job, 'variables', 'AWS_ROLE_ARN').kind !== 'none');
  if (withRole.length > 0 && withRole.length < jobs.length) return [];
  const ownRole = withRole.length > 0;
  const planned: Planned = ownRole ? { groups: undefined, creates: [], edits: [], notes: [] } : planJobs(gl, plan, 'aws', jobs);
  const roleOf = new Map<PipelineJob, string>();
  for (const group of planned.groups ?? []) {
    if (group.plan.identity.cloud !== 'aws') return [];
    for (const job of group.jobs) roleOf.set(job, group.plan.identity.roleArn);
  }
  const roles = new Set(roleOf.values());
  const shared: [string, string][] = [['AWS_WEB_IDENTITY_TOKEN_FILE', AWS_TOKEN_FILE], ['AWS_ROLE_SESSION_NAME', GITLAB_SESSION_NAME]];
  if (roles.size === 1) shared.unshift(['AWS_ROLE_ARN', [...roles][0]!]);
  const names = [...shared.map(([n]) => n), ...(roleOf.size > 0 ? ['AWS_ROLE_ARN'] : [])];
  if (variableTaken(gl, jobs, names, vc.pairs)) return [];

  const jobVariables = new Map<PipelineJob, [string, string][]>();
  if (vc.carrier.kind === 'global') {
    for (const job of jobs) jobVariables.set(job, roles.size > 1 ? [['AWS_ROLE_ARN', roleOf.get(job)!], ...shared] : shared);
    if (!removeVariables(ctx, vc, [])) return [];
  } else {
    if (roles.size > 1) for (const job of jobs) jobVariables.set(job, [['AWS_ROLE_ARN', roleOf.get(job)!]]);
    if (!removeVariables(ctx, vc, variableLines(shared))) return [];
  }
  const aud = cloudAudience(gl.fix.workspace, planned, 'aws');
  const needs: Needs = { idTokens: [{ name: 'AWS_ID_TOKEN', aud }], jobVariables, setup: { lines: [AWS_WRITE_TOKEN], needsLogin: usesAws } };
  if (!giveJobs(ctx, vc.carrier, jobs, needs)) return [];

  const where = `Use GitLab OIDC for AWS in ${jobList(jobs)}`;
  let title: Titled;
  if (ownRole) title = withNotes(`${where}: assume the role in AWS_ROLE_ARN`, dropped(others));
  else if (!planned.groups) title = withNotes(where, [`set the CI/CD variable AWS_ROLE_ARN to a role that trusts this project's ID tokens with audience ${audienceText(aud)}`, ...dropped(others)]);
  else title = withNotes(`${where}: assume ${roleDescription(planned)}`, [...planned.notes, ...dropped(others)]);
  return proposal(title, ctx, planned);
}

/** The roles the jobs assume, for the title (the files that write them are follow-ups: review and apply them). */
function roleDescription(planned: Planned): string {
  const groups = planned.groups ?? [];
  const names = [...new Set(groups.map((g) => (g.plan.identity.cloud === 'aws' ? g.plan.identity.roleName : '')))];
  return `${names.length === 1 ? 'role' : 'roles'} ${names.join(', ')}`;
}

// --------------------------------------------------------------------------------------------
// Google Cloud: Workload Identity Federation through a credential configuration file

const GCP_TOKEN_FILE = '/tmp/gcp-id-token-$CI_JOB_ID';
const GCP_CREDENTIALS_FILE = '/tmp/gcp-credentials-$CI_JOB_ID.json';
const GCP_WRITE_TOKEN = `(umask 077 && printf "%s" "$GCP_ID_TOKEN" > "${GCP_TOKEN_FILE}")`;

/**
 * GitLab's documented exchange, done by gcloud: the ID token written to a file, a credential
 * configuration pointing at it (`create-cred-config --credential-source-file`), and `gcloud auth
 * login --cred-file` with it. The configuration is also what Google's client libraries read from
 * `GOOGLE_APPLICATION_CREDENTIALS`, and they re-read the token file when they refresh.
 */
function gcpLoginLines(provider: string, serviceAccount: string, output: string): string[] {
  return [
    GCP_WRITE_TOKEN,
    `gcloud iam workload-identity-pools create-cred-config "${provider}" --service-account="${serviceAccount}" --credential-source-file="${GCP_TOKEN_FILE}" --output-file="${output}"`,
    `gcloud auth login --cred-file="${output}"`,
  ];
}

interface GcpIdentity {
  provider: string;
  serviceAccount: string;
  /** The token's audience: the provider's default one (its resource name), which GitLab expands when it is a variable. */
  aud: string;
  jobVariables: Map<PipelineJob, [string, string][]>;
  title: Titled;
}

/**
 * The provider and service account the lines name: literally when one plan covers every job,
 * through per-job variables when plans differ, and from CI/CD variables the user sets otherwise.
 */
function gcpIdentity(gl: GitlabFix, planned: Planned, jobs: readonly PipelineJob[], account: string | undefined, others: boolean): GcpIdentity | undefined {
  const groups = planned.groups;
  const where = `Use GitLab OIDC for Google Cloud in ${jobList(jobs)}`;
  if (!groups) {
    const variables = account === undefined ? 'variables GCP_WORKLOAD_IDENTITY_PROVIDER and GCP_SERVICE_ACCOUNT' : 'variable GCP_WORKLOAD_IDENTITY_PROVIDER';
    return {
      provider: '$GCP_WORKLOAD_IDENTITY_PROVIDER',
      serviceAccount: account ?? '$GCP_SERVICE_ACCOUNT',
      aud: cloudAudience(gl.fix.workspace, planned, 'gcp'),
      jobVariables: new Map(),
      title: withNotes(where, [`set the CI/CD ${variables} to a provider and service account that trust this project`, ...dropped(others)]),
    };
  }
  const identities: { provider: string; serviceAccount: string }[] = [];
  for (const group of groups) {
    if (group.plan.identity.cloud !== 'gcp') return undefined;
    identities.push({ provider: group.plan.identity.workloadIdentityProvider, serviceAccount: group.plan.identity.serviceAccount });
  }
  const accounts = [...new Set(identities.map((i) => i.serviceAccount))];
  const title = withNotes(where, [`the jobs now impersonate ${accounts.join(', ')}`, ...planned.notes, ...dropped(others)]);
  if (new Set(identities.map((i) => `${i.provider} ${i.serviceAccount}`)).size === 1) {
    const only = identities[0]!;
    return { ...only, aud: cloudAudience(gl.fix.workspace, planned, 'gcp', only.provider), jobVariables: new Map(), title };
  }
  const jobVariables = new Map<PipelineJob, [string, string][]>();
  groups.forEach((group, i) => {
    for (const job of group.jobs) jobVariables.set(job, [['GCP_WORKLOAD_IDENTITY_PROVIDER', identities[i]!.provider], ['GCP_SERVICE_ACCOUNT', identities[i]!.serviceAccount]]);
  });
  if (variableTaken(gl, jobs, ['GCP_WORKLOAD_IDENTITY_PROVIDER', 'GCP_SERVICE_ACCOUNT'], [])) return undefined;
  return { provider: '$GCP_WORKLOAD_IDENTITY_PROVIDER', serviceAccount: '$GCP_SERVICE_ACCOUNT', aud: cloudAudience(gl.fix.workspace, planned, 'gcp'), jobVariables, title };
}

/** `gcloud auth activate-service-account [ACCOUNT] --key-file FILE` → the federated login, in its place. */
function gcpLogin(gl: GitlabFix, plan: PlanFederation, login: LoginLine): FixProposal[] {
  const { ctx } = gl;
  const words = login.command.words;
  if (words[0] !== 'gcloud' || words[1] !== 'auth' || words[2] !== 'activate-service-account') return [];
  const keyFile = flagValue(words, '--key-file');
  if (!keyFile) return [];
  const rest = words.slice(3);
  const positional = rest.filter((w, i) => !w.startsWith('-') && !/^--[a-z-]+$/.test(rest[i - 1] ?? ''));
  const account = positional.length === 1 && positional[0]!.includes('@') && !positional[0]!.includes('$') ? positional[0] : undefined;
  const planned = planJobs(gl, plan, 'gcp', login.jobs);
  const identity = gcpIdentity(gl, planned, login.jobs, account, false);
  if (!identity) return [];
  if (!ctx.edits.add(replaceItem(ctx.text, login.line.node, gcpLoginLines(identity.provider, identity.serviceAccount, GCP_CREDENTIALS_FILE)))) return [];
  // The line that wrote the key to the file goes too: nothing reads the file any more.
  for (const writer of keyFileWriters(gl, login.line.node, keyFile)) if (!ctx.edits.add(deleteItem(ctx.text, writer))) return [];
  if (!giveJobs(ctx, login.carrier, login.jobs, { idTokens: [{ name: 'GCP_ID_TOKEN', aud: identity.aud }], jobVariables: identity.jobVariables })) return [];
  return proposal(identity.title, ctx, planned);
}

/**
 * Earlier items of the login's own sequence whose one command writes the key file from a variable
 * (`echo "$GCP_KEY" > key.json`, `… | base64 -d > key.json`).
 */
function keyFileWriters(gl: GitlabFix, login: ScalarNode, keyFile: string): ScalarNode[] {
  const target = keyFile.replace(/^\.\//, '');
  const redirect = new RegExp(`(?:^|\\s)>\\s*["']?(?:\\./)?${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`);
  const writers: ScalarNode[] = [];
  for (const item of siblingsBefore(gl, login)) {
    if (typeof item.value !== 'string' || shellCommands(item.value).length === 0) continue;
    const source = item.value.trim();
    if (!/\$/.test(source) || /&&|\|\||;/.test(source) || !redirect.test(source)) continue;
    writers.push(item);
  }
  return writers;
}

function siblingsBefore(gl: GitlabFix, node: ScalarNode): ScalarNode[] {
  for (const map of configMaps(gl.site.pipeline)) {
    for (const pair of map.pairs) {
      const seq: DataNode | null = pair.value;
      if (!isSeq(seq) || seq.tag) continue;
      const at = seq.items.indexOf(node);
      if (at > 0) return seq.items.slice(0, at).filter((i): i is ScalarNode => i.kind === 'scalar');
    }
  }
  return [];
}

/**
 * `GOOGLE_CREDENTIALS` and its kin → the same exchange before the job's scripts, with
 * `GOOGLE_APPLICATION_CREDENTIALS` naming the credential configuration for Terraform and the client
 * libraries. It needs gcloud in the job's image, so it is offered only to jobs that run gcloud.
 */
function gcpVariables(gl: GitlabFix, plan: PlanFederation, vc: VariableCarrier): FixProposal[] {
  const { ctx } = gl;
  const { jobs, dropped: others } = servedJobs(gl, vc, usesGcp);
  if (jobs.length === 0 || jobsRunningCommand(gl, jobs, (w) => program(w) === 'gcloud').length < jobs.length) return [];
  if (scriptsRead(gl, vc.jobs, vc.pairs.map((p) => p.key)) || keepsOtherKeys(gl, jobs, vc.pairs)) return [];
  const planned = planJobs(gl, plan, 'gcp', jobs);
  const identity = gcpIdentity(gl, planned, jobs, undefined, others);
  if (!identity) return [];
  const shared: [string, string][] = [['GOOGLE_APPLICATION_CREDENTIALS', GCP_CREDENTIALS_FILE]];
  if (variableTaken(gl, jobs, ['GOOGLE_APPLICATION_CREDENTIALS'], vc.pairs)) return [];
  const jobVariables = new Map(identity.jobVariables);
  if (vc.carrier.kind === 'global') {
    for (const job of jobs) jobVariables.set(job, [...(jobVariables.get(job) ?? []), ...shared]);
    if (!removeVariables(ctx, vc, [])) return [];
  } else if (!removeVariables(ctx, vc, variableLines(shared))) {
    return [];
  }
  const lines = gcpLoginLines(identity.provider, identity.serviceAccount, '$GOOGLE_APPLICATION_CREDENTIALS');
  if (!giveJobs(ctx, vc.carrier, jobs, { idTokens: [{ name: 'GCP_ID_TOKEN', aud: identity.aud }], jobVariables, setup: { lines, needsLogin: usesGcp } })) return [];
  return proposal(identity.title, ctx, planned);
}

// --------------------------------------------------------------------------------------------
// Azure: a federated credential on the app registration

/**
 * `az login --service-principal -u ID -p SECRET --tenant T` → `--federated-token "$AZURE_ID_TOKEN"`
 * in place of the secret, as GitLab documents it. The app stays the same unless a plan names
 * another.
 */
function azureLogin(gl: GitlabFix, plan: PlanFederation, login: LoginLine): FixProposal[] {
  const { ctx } = gl;
  const words = [...login.command.words];
  if (words[0] !== 'az' || words[1] !== 'login') return [];
  const planned = planJobs(gl, plan, 'azure', login.jobs);
  const identities = new Set((planned.groups ?? []).map((g) => (g.plan.identity.cloud === 'azure' ? `${g.plan.identity.clientId} ${g.plan.identity.tenantId}` : '')));
  const planIdentity = planned.groups && identities.size === 1 ? planned.groups[0]!.plan.identity : undefined;
  const kept: string[] = [];
  const set = (flags: readonly string[], value: string | undefined): boolean => {
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const flag = flags.find((f) => word === f || word.startsWith(`${f}=`));
      if (!flag) continue;
      if (value !== undefined) words.splice(i, word === flag ? 2 : 1, flag, value);
      return true;
    }
    return false;
  };
  const secretFlags = ['-p', '--password', '--secret', '--client-secret'];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const flag = secretFlags.find((f) => word === f || word.startsWith(`${f}=`));
    if (flag) {
      if (word === flag) i++;
      continue;
    }
    kept.push(word);
  }
  words.splice(0, words.length, ...kept);
  const azure = planIdentity?.cloud === 'azure' ? planIdentity : undefined;
  if (!set(['-u', '--username'], azure?.clientId) || !set(['-t', '--tenant'], azure?.tenantId)) return [];
  const command = commandText(words);
  if (!command) return [];
  if (!ctx.edits.add(replaceItem(ctx.text, login.line.node, [`${command} --federated-token "$AZURE_ID_TOKEN"`]))) return [];
  const aud = cloudAudience(gl.fix.workspace, planned, 'azure');
  if (!giveJobs(ctx, login.carrier, login.jobs, { idTokens: [{ name: 'AZURE_ID_TOKEN', aud }] })) return [];
  const title = azure
    ? withNotes(`Use GitLab OIDC for Azure in ${jobList(login.jobs)}`, [`the jobs now log in as app ${azure.clientId} with a federated credential`, ...planned.notes])
    : withNotes(`Use GitLab OIDC for Azure in ${jobList(login.jobs)}`, [`add a federated credential for ${subjectHint(gl, login.jobs)} with audience ${aud} to the app registration`]);
  return proposal(title, ctx, azure ? planned : undefined);
}

/** The `sub` a federated credential must match, when the project and one branch are known. */
function subjectHint(gl: GitlabFix, jobs: readonly PipelineJob[]): string {
  const repository = gl.fix.workspace.repository;
  const branches = new Set(jobs.map((job) => tokenSubject(gl.ctx.pipeline, job)).map((subject) => (subject.kind === 'branch' ? subject.name : undefined)));
  const branch = branches.size === 1 ? [...branches][0] : undefined;
  const claim = repository && branch ? gitlabSubjectClaim(repository, { kind: 'branch', name: branch }) : undefined;
  return claim ?? "this project's branch";
}

const AZURE_TOKEN_FILE = '/tmp/azure-id-token-$CI_JOB_ID';
const AZURE_WRITE_TOKEN = '(umask 077 && printf "%s" "$AZURE_ID_TOKEN" > "$AZURE_FEDERATED_TOKEN_FILE")';

/**
 * `ARM_CLIENT_SECRET` → `ARM_USE_OIDC` with the token in `ARM_OIDC_TOKEN` (what the azurerm and
 * azuread providers read); `AZURE_CLIENT_SECRET` → `AZURE_FEDERATED_TOKEN_FILE` (what the Azure
 * Identity libraries' workload identity credential reads). The client and tenant ids stay as they
 * are: the app registration gets a federated credential instead of its secret.
 */
function azureVariables(gl: GitlabFix, vc: VariableCarrier): FixProposal[] {
  const { ctx } = gl;
  const names = vc.pairs.map((p) => p.key);
  if (!names.every((n) => n === 'ARM_CLIENT_SECRET' || n === 'AZURE_CLIENT_SECRET')) return [];
  const { jobs, dropped: others } = servedJobs(gl, vc, usesAzure);
  if (jobs.length === 0 || scriptsRead(gl, vc.jobs, names) || keepsOtherKeys(gl, jobs, vc.pairs)) return [];
  const aud = cloudAudience(gl.fix.workspace, { groups: undefined, creates: [], edits: [], notes: [] }, 'azure');
  const shared: [string, string][] = [];
  const idTokens: { name: string; aud: string }[] = [];
  let setup: Needs['setup'];
  if (names.includes('ARM_CLIENT_SECRET')) {
    shared.push(['ARM_USE_OIDC', 'true']);
    idTokens.push({ name: 'ARM_OIDC_TOKEN', aud });
  }
  if (names.includes('AZURE_CLIENT_SECRET')) {
    shared.push(['AZURE_FEDERATED_TOKEN_FILE', AZURE_TOKEN_FILE]);
    idTokens.push({ name: 'AZURE_ID_TOKEN', aud });
    setup = { lines: [AZURE_WRITE_TOKEN], needsLogin: usesAzure };
  }
  if (variableTaken(gl, jobs, shared.map(([n]) => n), vc.pairs)) return [];
  const jobVariables = new Map<PipelineJob, [string, string][]>();
  if (vc.carrier.kind === 'global') {
    for (const job of jobs) jobVariables.set(job, shared);
    if (!removeVariables(ctx, vc, [])) return [];
  } else if (!removeVariables(ctx, vc, variableLines(shared))) {
    return [];
  }
  if (!giveJobs(ctx, vc.carrier, jobs, { idTokens, jobVariables, ...(setup ? { setup } : {}) })) return [];
  return proposal(withNotes(`Use GitLab OIDC for Azure in ${jobList(jobs)}`, [`add a federated credential for ${subjectHint(gl, jobs)} with audience ${aud} to the app registration`, ...dropped(others)]), ctx);
}

// --------------------------------------------------------------------------------------------
// HashiCorp Vault: JWT auth with the ID token

/**
 * GitLab's documented Vault login: `vault write auth/jwt/login role=… jwt=$VAULT_ID_TOKEN`, its
 * token exported as `VAULT_TOKEN`. The role comes from `VAULT_AUTH_ROLE`, the CI/CD variable GitLab's
 * own Vault integration reads (Keyless sees no Vault roles in the workspace to pick from).
 */
function vaultExport(flags: readonly string[]): string {
  const extra = flags.length > 0 ? `${flags.join(' ')} ` : '';
  return `export VAULT_TOKEN="$(vault write -field=token ${extra}auth/jwt/login role="$VAULT_AUTH_ROLE" jwt="$VAULT_ID_TOKEN")"`;
}

/** The Vault address the token is for: the login's `-address`, else `VAULT_ADDR` as the jobs set it, else the variable itself. */
function vaultAudience(gl: GitlabFix, jobs: readonly PipelineJob[], address: string | undefined): string {
  if (address && /^https?:\/\/[^\s$]+$/.test(address)) return address.replace(/\/+$/, '');
  const set = new Set(jobs.map((job) => literalVariable(gl.ctx.pipeline, job, 'VAULT_ADDR')));
  const only = set.size === 1 ? [...set][0] : undefined;
  return only && /^https?:\/\//.test(only) ? only.replace(/\/+$/, '') : '$VAULT_ADDR';
}

const VAULT_KEPT_FLAGS = ['-address', '-namespace', '-ca-cert', '-ca-path', '-tls-server-name'];

function vaultLogin(gl: GitlabFix, login: LoginLine): FixProposal[] {
  const { ctx } = gl;
  const words = login.command.words;
  if (words[0] !== 'vault' || words[1] !== 'login') return [];
  const flags: string[] = [];
  for (const flag of VAULT_KEPT_FLAGS) {
    const value = flagValue(words, flag, `-${flag}`);
    if (value !== undefined) flags.push(`${flag}=${value}`);
  }
  const flagText = commandText(flags);
  if (flagText === undefined) return [];
  const aud = vaultAudience(gl, login.jobs, flagValue(words, '-address', '--address'));
  if (!ctx.edits.add(replaceItem(ctx.text, login.line.node, [vaultExport(flagText ? [flagText] : [])]))) return [];
  if (!giveJobs(ctx, login.carrier, login.jobs, { idTokens: [{ name: 'VAULT_ID_TOKEN', aud }] })) return [];
  return proposal(vaultTitle(login.jobs, aud), ctx);
}

function vaultTitle(jobs: readonly PipelineJob[], aud: string, others = false): Titled {
  return withNotes(`Use GitLab OIDC for Vault in ${jobList(jobs)}`, [`set the CI/CD variable VAULT_AUTH_ROLE to a JWT role bound to this project with audience ${aud}`, ...dropped(others)]);
}

/**
 * `VAULT_TOKEN` in `variables:` → the same login before the job's scripts. It needs the vault CLI,
 * so it is offered only to jobs that run it; `after_script` runs in a shell of its own, without
 * the exported token, so a job whose `after_script` reads it is left alone.
 */
function vaultVariables(gl: GitlabFix, vc: VariableCarrier): FixProposal[] {
  const { ctx } = gl;
  if (!vc.pairs.every((p) => p.key === 'VAULT_TOKEN')) return [];
  const { jobs, dropped: others } = servedJobs(gl, vc, usesVault);
  if (jobs.length === 0 || jobsRunningCommand(gl, jobs, usesVault).length < jobs.length || keepsOtherKeys(gl, jobs, vc.pairs)) return [];
  const afterScripts = vc.jobs.some((job) => effectiveLines(ctx.pipeline, job, ['after_script']).some((line) => /\$\{?VAULT_TOKEN\b/.test(line.value as string)));
  if (afterScripts) return [];
  const dropReaders = vc.carrier.kind === 'global' ? vc.jobs.filter((j) => !jobs.includes(j)) : [];
  if (scriptsRead(gl, dropReaders, ['VAULT_TOKEN'])) return [];
  const aud = vaultAudience(gl, jobs, undefined);
  if (!removeVariables(ctx, vc, [])) return [];
  if (!giveJobs(ctx, vc.carrier, jobs, { idTokens: [{ name: 'VAULT_ID_TOKEN', aud }], setup: { lines: [vaultExport([])], needsLogin: usesVault } })) return [];
  return proposal(vaultTitle(jobs, aud, others), ctx);
}
