import type { Authentication, Cloud, Credential } from '../../facts/model';
import type { TfBlock } from '../../dialects/terraform/model';
import { workspaceGraph, type GraphJob } from '../../graph/graph';
import type { Fixer, FixProposal, ProposedEdit } from '../../fixes/fixer';
import { appendToBlock, deleteLines } from '../../fixes/hcl-edit';

/**
 * Removes a provider's static credential arguments. First, plainly: the provider then uses the
 * ambient credential chain, which is what works with the CI logins the workspace shows —
 * `aws-actions/configure-aws-credentials` exports temporary keys (`AWS_ACCESS_KEY_ID`,
 * `AWS_SESSION_TOKEN`), GitLab's web-identity flow sets `AWS_ROLE_ARN` and
 * `AWS_WEB_IDENTITY_TOKEN_FILE` (which the AWS SDK also reads ambiently),
 * `google-github-actions/auth` sets `GOOGLE_APPLICATION_CREDENTIALS`, `azure/login` leaves an Azure
 * CLI session; on a laptop, a profile, SSO or `gcloud auth application-default login`.
 *
 * Second, where it is right, the provider's own federated form: `assume_role_with_web_identity`
 * (aws) only when a CI job that runs Terraform sets `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`
 * (the block reads them; with configure-aws-credentials they are not set and `terraform plan`
 * would fail), and `use_oidc = true` (azurerm, azuread) only when such a job logs in to Azure by
 * OIDC or sets `ARM_USE_OIDC`. Unsafe: Terraform authenticates differently afterwards. The
 * variables that fed the arguments stay: other code may use them.
 */
export const fixProviderStaticCredentials: Fixer<Authentication> = ({ about: auth, text, workspace }) => {
  const block = auth.syntax as TfBlock | undefined;
  if (!block || typeof block.attributes !== 'function') return [];
  const removals: ProposedEdit[] = [];
  const removed: Credential[] = [];
  for (const credential of auth.credentials) {
    if (credential.origin !== 'reference') continue;
    const edit = deleteLines(text, credential.nameSpan);
    if (!edit) return [];
    removals.push(edit);
    removed.push(credential);
  }
  const provider = auth.principal.kind === 'terraform-provider' ? auth.principal.provider : '';
  const cloud = cloudOf(provider, auth.target);
  const jobs = workspaceGraph(workspace).jobs.filter(runsTerraform);
  const revoke = revocation(removed, text);
  const fixes: FixProposal[] = [
    {
      title: `Remove provider "${provider}"'s static credentials (ambient credential chain)`,
      safe: false,
      edits: removals,
      followUps: [...ambientNotes(cloud, jobs), ...revoke],
    },
  ];
  const federated = federatedForm(provider, block, jobs);
  if (federated) {
    const addition = appendToBlock(text, block, federated.lines);
    if (addition) fixes.push({ title: `Use ${federated.name} in provider "${provider}" (no static credentials)`, safe: false, edits: [...removals, addition], followUps: [federated.note, ...revoke] });
  }
  return fixes;
};

function cloudOf(provider: string, target: Authentication['target']): Cloud | undefined {
  if (provider === 'aws') return 'aws';
  if (provider === 'google' || provider === 'google-beta') return 'gcp';
  if (provider === 'azurerm' || provider === 'azuread') return 'azure';
  return target === 'aws' || target === 'gcp' || target === 'azure' ? target : undefined;
}

/** How each CI login hands the ambient chain its credentials, by cloud, for the notes. */
const LOGIN_HINT: Record<'aws' | 'gcp' | 'azure', string> = {
  aws: 'aws-actions/configure-aws-credentials with role-to-assume (GitLab: id_tokens with AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE)',
  gcp: 'google-github-actions/auth with workload_identity_provider (GitLab: a credential configuration from gcloud iam workload-identity-pools create-cred-config)',
  azure: 'azure/login with client-id, tenant-id and subscription-id (OIDC)',
};
const LOCAL_HINT: Record<'aws' | 'gcp' | 'azure', string> = {
  aws: 'a profile or SSO (AWS_PROFILE)',
  gcp: 'gcloud auth application-default login',
  azure: 'az login',
};

/** What the ambient chain will find in each job that runs Terraform, and what is missing. */
function ambientNotes(cloud: Cloud | undefined, jobs: readonly TerraformJob[]): string[] {
  if (cloud !== 'aws' && cloud !== 'gcp' && cloud !== 'azure') return [];
  if (jobs.length === 0) {
    return [`Terraform now reads credentials from its environment. In CI, log in before it runs: ${LOGIN_HINT[cloud]}. Locally: ${LOCAL_HINT[cloud]}.`];
  }
  const notes: string[] = [];
  for (const job of jobs.slice(0, 3)) {
    const where = jobsPhrase([job]);
    const logins = job.authentications.filter((a) => a.target === cloud);
    const federated = logins.find((a) => a.method !== 'static');
    if (federated) notes.push(`${capitalized(where)} logs in with ${federated.mechanism} before Terraform: the provider uses that session.`);
    else if (cloud === 'aws' && job.terraform.variables.includes('AWS_ROLE_ARN') && job.terraform.variables.includes('AWS_WEB_IDENTITY_TOKEN_FILE')) notes.push(`${capitalized(where)} sets AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE: the provider assumes that role.`);
    else if (logins.length > 0) notes.push(`${capitalized(where)} still logs in with stored keys: apply the static-cloud-credentials fix there.`);
    else notes.push(`${capitalized(where)} runs Terraform with no ${cloud === 'gcp' ? 'Google Cloud' : cloud === 'aws' ? 'AWS' : 'Azure'} login Keyless can see: add one before it (${LOGIN_HINT[cloud]}).`);
  }
  if (jobs.length > 3) notes.push(`${jobs.length - 3} more jobs run Terraform: check their logins too.`);
  return notes;
}

/** The key behind the removed arguments (a variable, a file): to deactivate once nothing reads it. */
function revocation(removed: readonly Credential[], text: string): string[] {
  const names = removed.map((c) => (c.origin === 'reference' ? c.name : '')).filter(Boolean);
  if (names.length === 0) return [];
  // A literal value: the follow-up every fix shares (follow-ups.ts) names it, masked, to revoke.
  const literal = removed.some((c) => c.origin === 'reference' && c.valueSpan && /^["<]/.test(text.slice(c.valueSpan.start, c.valueSpan.start + 1)));
  if (literal) return [];
  const sources = removed.flatMap((c) => (c.origin === 'reference' && c.valueSpan ? [text.slice(c.valueSpan.start, c.valueSpan.end)] : [])).filter((s) => s.length <= 80 && !s.includes('\n'));
  return [`Once nothing else reads it, deactivate the key behind ${sources.length > 0 ? sources.join(', ') : names.join(', ')} and delete it where it is kept (tfvars, TF_VAR_ variables, CI secrets, key files).`];
}

/** A CI job of the workspace that runs Terraform (`CiJob.terraform`): what the provider's credentials come from there. */
type TerraformJob = GraphJob & Required<Pick<GraphJob, 'terraform'>>;

function runsTerraform(job: GraphJob): job is TerraformJob {
  return job.terraform !== undefined;
}

/** `job "plan" in .gitlab-ci.yml` (and how many more). */
function jobsPhrase(jobs: readonly TerraformJob[]): string {
  const first = jobs[0]!;
  const more = jobs.length - 1;
  return `job "${first.name}" in ${first.file}${more > 0 ? ` (and ${more} more)` : ''}`;
}

function capitalized(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

function federatedForm(provider: string, block: TfBlock, jobs: readonly TerraformJob[]): { name: string; lines: string[]; note: string } | undefined {
  if (provider === 'aws' && block.blocks('assume_role_with_web_identity').length === 0) {
    const setting = jobs.filter((j) => j.terraform.variables.includes('AWS_ROLE_ARN') && j.terraform.variables.includes('AWS_WEB_IDENTITY_TOKEN_FILE'));
    if (setting.length === 0) return undefined;
    const where = jobsPhrase(setting);
    return {
      name: 'assume_role_with_web_identity',
      lines: [
        '# role_arn and web_identity_token_file come from AWS_ROLE_ARN and',
        `# AWS_WEB_IDENTITY_TOKEN_FILE, which ${where} sets.`,
        'assume_role_with_web_identity {',
        '  session_name = "terraform"',
        '}',
      ],
      note: `The block reads AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, which ${where} sets; anywhere else Terraform runs must set them too.`,
    };
  }
  if ((provider === 'azurerm' || provider === 'azuread') && !block.attribute('use_oidc')) {
    const oidc = jobs.filter((j) => j.terraform.enabled.includes('ARM_USE_OIDC') || j.authentications.some((a) => a.target === 'azure' && a.method === 'oidc'));
    if (oidc.length === 0) return undefined;
    return {
      name: 'OIDC (use_oidc = true)',
      lines: ['use_oidc = true'],
      note: `${capitalized(jobsPhrase(oidc))} logs in to Azure by OIDC: the provider needs ARM_CLIENT_ID, ARM_TENANT_ID and ARM_SUBSCRIPTION_ID (or client_id, tenant_id, subscription_id) and the job's id-token permission.`,
    };
  }
  return undefined;
}
