import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import type { RepositoryRef } from '../../../server/src/facts/repository';
import type { FederationPlan, FederationRequest } from '../../../server/src/fixes/federation/federation';
import type { JobUsage } from '../../../server/src/iam/least-privilege';
import { planFederation } from '../../../server/src/fixes/federation/plan';
import { workspaceOf } from '../../rules/fix-harness';

/**
 * planFederation: reuse before write, never an unscoped trust, the subject forms, where the
 * written IaC goes and in which dialect, and that what it writes parses and passes Keyless's own
 * trust rules.
 */

const ACME: RepositoryRef = { host: 'github.com', owner: 'acme', name: 'app' };
const NO_USAGE: JobUsage = { commands: [], actions: [] };

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function request(overrides: Partial<FederationRequest> = {}): FederationRequest {
  return {
    cloud: 'aws',
    issuer: 'github',
    subject: { kind: 'environment', name: 'production' },
    job: { name: 'deploy', file: '.github/workflows/deploy.yml' },
    usage: NO_USAGE,
    region: 'eu-west-1',
    ...overrides,
  };
}

function plan(files: Record<string, string>, req: Partial<FederationRequest> = {}, repository: RepositoryRef | null = ACME, immutableSubjects = false): FederationPlan | undefined {
  return planFederation(request(req), workspaceOf(engine, new Map(Object.entries(files)), { ...(repository ? { repository } : {}), immutableSubjects }));
}

/**
 * The file a plan creates for the identity (the account's OIDC provider, when written, has a file
 * of its own), every created file checked to parse and to pass the trust rules.
 */
function created(result: FederationPlan | undefined): { path: string; text: string } {
  assert.ok(result, 'a plan');
  for (const file of result.creates) {
    const report = engine.analyze({ path: file.path, text: file.text });
    assert.deepEqual(report.errors, [], `${file.path} parses:\n${file.text}`);
    assert.notEqual(report.dialect, null);
    const trustFindings = report.findings.filter((f) => f.rule.startsWith('oidc-trust') || f.rule === 'long-session');
    assert.deepEqual(trustFindings.map((f) => `${f.rule}: ${f.message}`), [], 'the written trust passes the trust rules');
  }
  const identity = result.creates.filter((c) => !/keyless-oidc-provider-/.test(c.path));
  assert.equal(identity.length, 1);
  return identity[0]!;
}

function providerFile(result: FederationPlan | undefined): { path: string; text: string } | undefined {
  return result?.creates.find((c) => /keyless-oidc-provider-/.test(c.path));
}

const SCOPED_ROLE = `
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:acme/app:environment:production"
        }
      }
    }]
  })
}
`;

describe('planFederation: reuse', () => {
  test('a role scoped to exactly this repository and environment is reused, its ARN built from the one account the workspace shows', () => {
    const result = plan({ 'infra/iam.tf': SCOPED_ROLE, 'infra/bucket.tf': 'resource "aws_s3_bucket_policy" "x" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "s3:GetObject", Resource = "*" }] })\n}\n' });
    assert.deepEqual(result, { identity: { cloud: 'aws', roleArn: 'arn:aws:iam::123456789012:role/deploy', roleName: 'deploy' }, reused: true, creates: [], edits: [], notes: [] });
  });

  test('the ARN is the literal one a workflow names, with its path', () => {
    const role = SCOPED_ROLE.replace('name = "deploy"', 'name = "deploy"\n  path = "/ci/"');
    const workflow = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::210987654321:role/ci/deploy\n';
    const result = plan({ 'iam.tf': role, '.github/workflows/other.yml': workflow });
    assert.equal(result?.identity.cloud === 'aws' && result.identity.roleArn, 'arn:aws:iam::210987654321:role/ci/deploy');
  });

  test('without an account id, the ARN names it as a variable, with a note (GitHub and GitLab forms)', () => {
    const noAccount = SCOPED_ROLE.replace('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', '${aws_iam_openid_connect_provider.github.arn}');
    const github = plan({ 'iam.tf': noAccount });
    assert.equal(github?.reused, true);
    assert.equal(github?.identity.cloud === 'aws' && github.identity.roleArn, 'arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/deploy');
    assert.match(github!.notes.join('\n'), /AWS_ACCOUNT_ID/);
    const gitlabRole = noAccount.replace(/token\.actions\.githubusercontent\.com:aud" = "sts\.amazonaws\.com"/, 'gitlab.com:aud" = "https://gitlab.com"').replace('"token.actions.githubusercontent.com:sub" = "repo:acme/app:environment:production"', '"gitlab.com:sub" = "project_path:platform/app:ref_type:branch:ref:main"').replace('${aws_iam_openid_connect_provider.github.arn}', 'arn:aws:iam::${var.account}:oidc-provider/gitlab.com');
    const gitlab = plan({ 'iam.tf': gitlabRole }, { issuer: 'gitlab', subject: { kind: 'branch', name: 'main' }, job: { name: 'deploy', file: '.gitlab-ci.yml' } }, { host: 'gitlab.com', owner: 'platform', name: 'app' });
    assert.equal(gitlab?.reused, true);
    assert.equal(gitlab?.identity.cloud === 'aws' && gitlab.identity.roleArn, 'arn:aws:iam::${AWS_ACCOUNT_ID}:role/deploy');
  });

  test('a reused role that checks another audience says which one the job must request (in the words the GitLab rewrite reads)', () => {
    const role = SCOPED_ROLE.replace('token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"', 'gitlab.com:aud" = "sts.amazonaws.com"')
      .replace('"token.actions.githubusercontent.com:sub" = "repo:acme/app:environment:production"', '"gitlab.com:sub" = "project_path:platform/app:ref_type:branch:ref:main"')
      .replace('oidc-provider/token.actions.githubusercontent.com', 'oidc-provider/gitlab.com');
    const result = plan({ 'iam.tf': role }, { issuer: 'gitlab', subject: { kind: 'branch', name: 'main' }, job: { name: 'deploy', file: '.gitlab-ci.yml' } }, { host: 'gitlab.com', owner: 'platform', name: 'app' });
    assert.equal(result?.reused, true);
    assert.match(result!.notes.join('\n'), /id_tokens must request `aud: sts\.amazonaws\.com`/);
  });

  test('a role whose trust is a policy document data source is reused through its reference', () => {
    const files = {
      'iam.tf': `resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`,
      'trust.tf': `data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/app:ref:refs/heads/main"]
    }
  }
}
`,
    };
    const result = plan(files, { subject: { kind: 'branch', name: 'main' } });
    assert.equal(result?.reused, true);
    assert.equal(result?.identity.cloud === 'aws' && result.identity.roleName, 'deploy');
  });

  test('a CloudFormation role with a literal RoleName is reused', () => {
    const template = `Resources:
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deploy
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Federated: arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:sub: repo:acme/app:environment:production
`;
    assert.equal(plan({ 'template.yaml': template })?.reused, true);
  });

  test('an unscoped role is never reused: StringLike wildcards, several subjects, ForAllValues', () => {
    const variants = [
      SCOPED_ROLE.replace('StringEquals = {', 'StringLike = {').replace('repo:acme/app:environment:production', 'repo:acme/*'),
      SCOPED_ROLE.replace('"repo:acme/app:environment:production"', '["repo:acme/app:environment:production", "repo:acme/other:environment:production"]'),
      SCOPED_ROLE.replace('StringEquals = {', '"ForAllValues:StringEquals" = {'),
    ];
    for (const role of variants) {
      const result = plan({ 'iam.tf': role });
      assert.equal(result?.reused, false, role);
    }
  });

  test('a role scoped to another environment is not reused', () => {
    assert.equal(plan({ 'iam.tf': SCOPED_ROLE }, { subject: { kind: 'environment', name: 'staging' } })?.reused, false);
  });

  test('immutable subjects: only a trust in the immutable form is reused', () => {
    const repository = { ...ACME, ownerId: '1001', repoId: '2002' };
    assert.equal(plan({ 'iam.tf': SCOPED_ROLE }, {}, repository, true)?.reused, false);
    assert.equal(plan({ 'iam.tf': SCOPED_ROLE.replace('repo:acme/app:', 'repo:acme@1001/app@2002:') }, {}, repository, true)?.reused, true);
  });
});

describe('planFederation: writing', () => {
  test('Terraform beside the existing modules: provider, a role trusted by this subject only, an hour-long session', () => {
    const result = plan({ 'infra/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "acme-site"\n}\n', 'infra/vars.tf': 'variable "x" {}\n', 'modules/net/main.tf': 'resource "aws_vpc" "v" {}\n' });
    const file = created(result);
    assert.equal(file.path, 'infra/keyless-oidc-app-production.tf');
    assert.equal(result?.reused, false);
    assert.deepEqual(result?.edits, []);
    assert.match(file.text, /^# Written by Keyless/);
    const provider = providerFile(result);
    assert.equal(provider?.path, 'infra/keyless-oidc-provider-github.tf');
    assert.match(provider!.text, /^# Written by Keyless/);
    assert.match(provider!.text, /resource "aws_iam_openid_connect_provider" "github" \{\n {2}url {12}= "https:\/\/token\.actions\.githubusercontent\.com"\n {2}client_id_list = \["sts\.amazonaws\.com"\]\n\}/);
    assert.match(provider!.text, /No thumbprint_list/);
    assert.match(file.text, /Federated = aws_iam_openid_connect_provider\.github\.arn/);
    assert.match(file.text, /name {17}= "gha-app-production"/);
    assert.match(file.text, /max_session_duration = 3600/);
    assert.match(file.text, /"token\.actions\.githubusercontent\.com:aud" = "sts\.amazonaws\.com"/);
    assert.match(file.text, /"token\.actions\.githubusercontent\.com:sub" = "repo:acme\/app:environment:production"/);
    assert.equal(result?.identity.cloud === 'aws' && result.identity.roleArn, 'arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/gha-app-production');
  });

  test('a branch subject, and the role name from repository and branch', () => {
    const file = created(plan({ 'main.tf': '' }, { subject: { kind: 'branch', name: 'release/v2' } }));
    assert.match(file.text, /repo:acme\/app:ref:refs\/heads\/release\/v2/);
    assert.match(file.text, /"gha-app-release-v2"/);
    assert.equal(file.path, 'keyless-oidc-app-release-v2.tf');
  });

  test('immutable subjects with known ids: the trust names owner and repository by id', () => {
    const file = created(plan({ 'main.tf': '' }, {}, { ...ACME, ownerId: '1001', repoId: '2002' }, true));
    assert.match(file.text, /"repo:acme@1001\/app@2002:environment:production"/);
  });

  test('CloudFormation YAML in the templates\' folder when the workspace has no Terraform', () => {
    const result = plan({ 'cfn/site.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n' });
    const file = created(result);
    assert.equal(file.path, 'cfn/keyless-oidc-app-production.yaml');
    assert.match(providerFile(result)!.text, /Type: AWS::IAM::OIDCProvider/);
    assert.equal(providerFile(result)!.path, 'cfn/keyless-oidc-provider-github.yaml');
    assert.match(file.text, /Federated: !Sub 'arn:\$\{AWS::Partition\}:iam::\$\{AWS::AccountId\}:oidc-provider\/token\.actions\.githubusercontent\.com'|Federated: !Sub arn:\$\{AWS::Partition\}:iam::\$\{AWS::AccountId\}:oidc-provider\/token\.actions\.githubusercontent\.com/);
    assert.match(result!.notes.join('\n'), /Deploy cfn\/keyless-oidc-provider-github\.yaml before this template/);
    assert.match(file.text, /MaxSessionDuration: 3600/);
    assert.match(file.text, /token\.actions\.githubusercontent\.com:sub: repo:acme\/app:environment:production/);
    assert.match(file.text, /Value: !GetAtt GhaAppProductionRole\.Arn/);
  });

  test('infra/ at the repository\'s top when the workspace has no IaC', () => {
    assert.equal(created(plan({})).path, 'infra/keyless-oidc-app-production.tf');
    assert.equal(created(plan({}, { job: { name: 'deploy', file: 'svc/.github/workflows/deploy.yml' } })).path, 'svc/infra/keyless-oidc-app-production.tf');
  });

  test('the OIDC provider is reused: referenced in the same module, by ARN or looked up by URL elsewhere', () => {
    const provider = 'resource "aws_iam_openid_connect_provider" "actions" {\n  url            = "https://token.actions.githubusercontent.com"\n  client_id_list = ["sts.amazonaws.com"]\n}\n';
    const same = created(plan({ 'infra/oidc.tf': provider, 'infra/main.tf': '' }));
    assert.match(same.text, /Federated = aws_iam_openid_connect_provider\.actions\.arn/);
    assert.doesNotMatch(same.text, /resource "aws_iam_openid_connect_provider"/);
    const lookup = created(plan({ 'account/oidc.tf': provider, 'infra/main.tf': '', 'infra/b.tf': '' }));
    assert.match(lookup.text, /data "aws_iam_openid_connect_provider" "gha_app_production" \{\n {2}url = "https:\/\/token\.actions\.githubusercontent\.com"/);
    const byArn = created(plan({ 'account/oidc.tf': provider, 'infra/main.tf': 'locals {\n  role = "arn:aws:iam::123456789012:role/x"\n}\n', 'infra/b.tf': '' }));
    assert.match(byArn.text, /Federated = "arn:aws:iam::123456789012:oidc-provider\/token\.actions\.githubusercontent\.com"/);
  });

  test('a generated file of the same name is rewritten, not duplicated; someone else\'s is left alone', () => {
    const firstPlan = plan({ 'infra/main.tf': '' });
    const first = created(firstPlan);
    const provider = providerFile(firstPlan)!;
    const again = plan({ 'infra/main.tf': '', [provider.path]: provider.text, [first.path]: first.text.replace('"repo:acme/app:environment:production"', '"repo:acme/app:environment:prod"') });
    assert.deepEqual(again?.creates, []);
    assert.equal(again?.edits.length, 1);
    assert.equal(again?.edits[0]!.path, first.path);
    assert.equal(again?.edits[0]!.newText, first.text);
    assert.equal(plan({ 'infra/main.tf': '', [first.path]: '# mine\n' }), undefined);
    assert.equal(plan({ 'infra/main.tf': '', [provider.path]: '# mine\n' }), undefined);
  });

  test('plans for two environments applied together write the account\'s provider once: the same file, the same text', () => {
    const production = plan({ 'infra/main.tf': '' });
    const staging = plan({ 'infra/main.tf': '' }, { subject: { kind: 'environment', name: 'staging' } });
    assert.deepEqual(providerFile(production), providerFile(staging));
    assert.notEqual(created(production).path, created(staging).path);
  });

  test('a written file already in the workspace is reused: the second plan writes nothing', () => {
    const firstPlan = plan({ 'infra/main.tf': 'locals {\n  x = "arn:aws:iam::123456789012:role/x"\n}\n' });
    const first = created(firstPlan);
    const second = plan({ 'infra/main.tf': 'locals {\n  x = "arn:aws:iam::123456789012:role/x"\n}\n', [first.path]: first.text, [providerFile(firstPlan)!.path]: providerFile(firstPlan)!.text });
    assert.deepEqual(second, { identity: { cloud: 'aws', roleArn: 'arn:aws:iam::123456789012:role/gha-app-production', roleName: 'gha-app-production' }, reused: true, creates: [], edits: [], notes: [] });
  });

  test('GitLab: the instance is the issuer and the audience; the subject names project and branch', () => {
    const result = plan({}, { issuer: 'gitlab', subject: { kind: 'branch', name: 'main' }, job: { name: 'deploy', file: '.gitlab-ci.yml' } }, { host: 'gitlab.com', owner: 'platform/web', name: 'app' });
    const file = created(result);
    assert.equal(providerFile(result)?.path, 'infra/keyless-oidc-provider-gitlab.tf');
    assert.match(providerFile(result)!.text, /url {12}= "https:\/\/gitlab\.com"/);
    assert.match(providerFile(result)!.text, /client_id_list = \["https:\/\/gitlab\.com"\]/);
    assert.match(file.text, /"gitlab\.com:aud" = "https:\/\/gitlab\.com"/);
    assert.match(file.text, /"gitlab\.com:sub" = "project_path:platform\/web\/app:ref_type:branch:ref:main"/);
    assert.match(file.text, /"gitlab-app-main"/);
  });

  test('no honest plan: no repository, an unknown subject, a GitLab environment, an issuer the host does not serve', () => {
    assert.equal(plan({}, {}, null), undefined);
    assert.equal(plan({}, { subject: { kind: 'unknown' } }), undefined);
    assert.equal(plan({}, { issuer: 'gitlab', job: { name: 'd', file: '.gitlab-ci.yml' } }, { host: 'gitlab.com', owner: 'g', name: 'p' }), undefined);
    assert.equal(plan({}, { issuer: 'gitlab' }), undefined);
  });

  test('a role name the workspace already uses for another trust is told apart', () => {
    const other = SCOPED_ROLE.replace('name = "deploy"', 'name = "gha-app-production"').replace('environment:production', 'environment:staging');
    assert.match(created(plan({ 'iam.tf': other })).text, /"gha-app-production-oidc"/);
  });

  test('terraform apply: no guess, a note in the plan and in the file', () => {
    const result = plan({ 'main.tf': '' }, { usage: { commands: [['terraform', 'apply', '-auto-approve']], actions: [] } });
    const file = created(result);
    assert.match(result!.notes.join('\n'), /terraform apply.*permissions of everything the Terraform code manages/);
    // First what every written file asks (review it, apply it), then this plan's own note.
    assert.match(file.text, /Needs a person:\n# - Review this file, then apply it with terraform apply[^\n]*\n(?:#   [^\n]*\n)*# - `terraform apply` needs the permissions/);
    assert.doesNotMatch(file.text, /aws_iam_role_policy/);
  });

  test('inferred permissions become the role\'s policy, pinned to what the job names', () => {
    const usage: JobUsage = { commands: [['aws', 's3', 'sync', './public', 's3://acme-site', '--delete']], actions: [] };
    const file = created(plan({ 'main.tf': 'locals {\n  x = "arn:aws:iam::123456789012:role/x"\n}\n' }, { usage }));
    assert.match(file.text, /resource "aws_iam_role_policy" "gha_app_production"/);
    assert.match(file.text, /Resource = \["arn:aws:s3:::acme-site"\]/);
    assert.match(file.text, /Action {3}= \["s3:DeleteObject", "s3:PutObject"\]/);
    const noAccount = created(plan({ 'main.tf': '' }, { usage: { commands: [['aws', 'ecs', 'update-service', '--cluster', 'prod', '--service', 'web']], actions: [] } }));
    assert.match(noAccount.text, /"arn:aws:ecs:eu-west-1:\$\{data\.aws_caller_identity\.gha_app_production\.account_id\}:service\/prod\/web"/);
    assert.match(noAccount.text, /data "aws_caller_identity" "gha_app_production" \{\}/);
  });
});

describe('planFederation: Google Cloud and Azure', () => {
  test('GCP: pool, a provider whose condition names the repository, a binding of the exact subject', () => {
    const result = plan({ 'infra/main.tf': 'resource "google_service_account" "deploy" {\n  account_id = "deploy"\n  project    = "acme-prod"\n}\n' }, { cloud: 'gcp' });
    const file = created(result);
    assert.match(file.text, /resource "google_iam_workload_identity_pool" "github"/);
    assert.match(file.text, /attribute_condition {16}= "assertion\.repository == 'acme\/app'"/);
    assert.match(file.text, /service_account_id = google_service_account\.deploy\.name/);
    assert.match(file.text, /member {13}= "principal:\/\/iam\.googleapis\.com\/\$\{google_iam_workload_identity_pool\.github\.name\}\/subject\/repo:acme\/app:environment:production"/);
    assert.deepEqual(result?.identity, { cloud: 'gcp', workloadIdentityProvider: 'projects/${{ vars.GCP_PROJECT_NUMBER }}/locations/global/workloadIdentityPools/github-actions/providers/gh-app', serviceAccount: 'deploy@acme-prod.iam.gserviceaccount.com' });
  });

  test('GCP: the module\'s pool and a provider that admits this repository are reused', () => {
    const module = `resource "google_iam_workload_identity_pool" "ci" {
  workload_identity_pool_id = "ci"
}

resource "google_iam_workload_identity_pool_provider" "app" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.ci.workload_identity_pool_id
  workload_identity_pool_provider_id = "app"
  attribute_condition                = "assertion.repository == 'acme/app'"
  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
  }
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
`;
    const result = plan({ 'infra/wif.tf': module, 'infra/sa.tf': 'resource "google_service_account" "deploy" {\n  account_id = "deploy"\n}\n' }, { cloud: 'gcp' });
    const file = created(result);
    assert.doesNotMatch(file.text, /resource "google_iam_workload_identity_pool"/);
    assert.match(file.text, /\$\{google_iam_workload_identity_pool\.ci\.name\}\/subject\/repo:acme\/app:environment:production/);
    assert.equal(result?.identity.cloud === 'gcp' && result.identity.workloadIdentityProvider, 'projects/${{ vars.GCP_PROJECT_NUMBER }}/locations/global/workloadIdentityPools/ci/providers/app');
    // The account's project is not written: its email is a variable (with a note).
    assert.equal(result?.identity.cloud === 'gcp' && result.identity.serviceAccount, '${{ vars.GCP_SERVICE_ACCOUNT }}');
    assert.match(result!.notes.join('\n'), /GCP_SERVICE_ACCOUNT/);
  });

  test('GCP: a binding of the workspace for this subject is reused as it is', () => {
    const binding = `resource "google_service_account_iam_member" "deploy" {
  service_account_id = "projects/acme-prod/serviceAccounts/deploy@acme-prod.iam.gserviceaccount.com"
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/ci/subject/repo:acme/app:environment:production"
}

resource "google_iam_workload_identity_pool_provider" "app" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "app"
  attribute_condition                = "assertion.repository == 'acme/app'"
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
`;
    assert.deepEqual(plan({ 'wif.tf': binding }, { cloud: 'gcp' }), {
      identity: { cloud: 'gcp', workloadIdentityProvider: 'projects/123456/locations/global/workloadIdentityPools/ci/providers/app', serviceAccount: 'deploy@acme-prod.iam.gserviceaccount.com' },
      reused: true,
      creates: [],
      edits: [],
      notes: [],
    });
  });

  test('Azure: a federated credential with the exact subject on a new application, ids as variables', () => {
    const result = plan({}, { cloud: 'azure' });
    const file = created(result);
    assert.match(file.text, /resource "azuread_application_federated_identity_credential" "gha_app_production"/);
    assert.match(file.text, /subject {8}= "repo:acme\/app:environment:production"/);
    assert.match(file.text, /audiences {6}= \["api:\/\/AzureADTokenExchange"\]/);
    assert.deepEqual(result?.identity, { cloud: 'azure', clientId: '${{ vars.AZURE_CLIENT_ID }}', tenantId: '${{ vars.AZURE_TENANT_ID }}', subscriptionId: '${{ vars.AZURE_SUBSCRIPTION_ID }}' });
  });

  test('Azure: the module\'s user-assigned identity gets an azurerm credential', () => {
    const identity = 'resource "azurerm_user_assigned_identity" "deploy" {\n  name                = "deploy"\n  resource_group_name = "rg"\n  location            = "westeurope"\n}\n';
    const file = created(plan({ 'infra/identity.tf': identity }, { cloud: 'azure' }));
    assert.match(file.text, /resource "azurerm_federated_identity_credential" "gha_app_production"/);
    assert.match(file.text, /parent_id {11}= azurerm_user_assigned_identity\.deploy\.id/);
  });

  test('Azure: a credential of the workspace with this exact subject is reused; GitLab ids are GitLab variables', () => {
    const credential = 'resource "azuread_application_federated_identity_credential" "x" {\n  application_id = azuread_application.x.id\n  display_name   = "x"\n  audiences      = ["api://AzureADTokenExchange"]\n  issuer         = "https://gitlab.com"\n  subject        = "project_path:g/p:ref_type:branch:ref:main"\n}\n';
    const result = plan({ 'a.tf': credential }, { cloud: 'azure', issuer: 'gitlab', subject: { kind: 'branch', name: 'main' }, job: { name: 'd', file: '.gitlab-ci.yml' } }, { host: 'gitlab.com', owner: 'g', name: 'p' });
    assert.equal(result?.reused, true);
    assert.deepEqual(result?.identity, { cloud: 'azure', clientId: '${AZURE_CLIENT_ID}', tenantId: '${AZURE_TENANT_ID}', subscriptionId: '${AZURE_SUBSCRIPTION_ID}' });
  });
});
