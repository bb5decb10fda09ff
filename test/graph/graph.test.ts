import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import type { WorkspaceContext, WorkspaceFile } from '../../server/src/facts/workspace';
import type { RepositoryRef } from '../../server/src/facts/repository';
import { assumedRoleName, sharedSubject, workspaceGraph } from '../../server/src/graph/graph';
import { issuerHost, subjectClaim } from '../../server/src/graph/tokens';

/**
 * The workspace graph answers from every file's facts (`Engine.facts`, as a workspace index keeps
 * them): jobs with the token subject each carries, the roles their logins assume, which roles
 * admit which subject, accounts and ARNs, modules.
 */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const ACME: RepositoryRef = { host: 'github.com', owner: 'acme', name: 'app' };

function workspace(texts: Record<string, string>, repository: RepositoryRef | undefined = ACME): WorkspaceContext {
  const files = new Map<string, WorkspaceFile>();
  for (const [path, text] of Object.entries(texts)) {
    const read = engine.facts({ path, text });
    if (read) files.set(path, { ...read, text });
  }
  return { files, immutableSubjects: false, ...(repository ? { repository } : {}) };
}

const DEPLOY = `on: [push, pull_request]
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    permissions:
      id-token: write
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/ci/deploy
          aws-region: eu-west-1
  gated:
    runs-on: ubuntu-latest
    if: github.ref == 'refs/heads/release' && github.event_name == 'push'
    steps:
      - run: echo
`;

const ROLE = `resource "aws_iam_role" "deploy" {
  name = "deploy"
  path = "/ci/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
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

describe('jobs and their token subjects', () => {
  test('GitHub: an environment, or the branch the triggers or the job condition pin', () => {
    const graph = workspaceGraph(workspace({ '.github/workflows/deploy.yml': DEPLOY }));
    assert.deepEqual(
      graph.jobs.map((j) => [j.name, j.issuer, j.tokenSubject]),
      [
        ['deploy', 'github', { kind: 'environment', name: 'production' }],
        ['gated', 'github', { kind: 'branch', name: 'release' }],
      ],
    );
    const [deploy] = graph.jobAuthentications((auth) => auth.target === 'aws');
    assert.equal(deploy!.job, 'deploy');
    assert.equal(assumedRoleName(deploy!.auth), 'deploy');
    assert.equal(subjectClaim('github', ACME, deploy!.subject, false), 'repo:acme/app:environment:production');
    assert.equal(issuerHost('github', ACME), 'token.actions.githubusercontent.com');
  });

  test('GitLab: the assembled job (rules through extends); templates carry no subject', () => {
    const pipeline = `.main-only:
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
  id_tokens:
    AWS_ID_TOKEN:
      aud: https://gitlab.com
deploy:
  extends: .main-only
  script:
    - aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/deploy --web-identity-token "$AWS_ID_TOKEN" --role-session-name "ci-$CI_JOB_ID"
`;
    const gitlab: RepositoryRef = { host: 'gitlab.com', owner: 'acme/platform', name: 'site' };
    const graph = workspaceGraph(workspace({ '.gitlab-ci.yml': pipeline }, gitlab));
    assert.deepEqual(
      graph.jobs.map((j) => [j.name, j.hidden, j.tokenSubject, j.idTokenAudiences]),
      [
        ['.main-only', true, { kind: 'unknown' }, ['https://gitlab.com']],
        ['deploy', false, { kind: 'branch', name: 'main' }, []],
      ],
    );
    const shared = sharedSubject(graph.jobAuthentications((auth) => auth.target === 'aws'));
    assert.deepEqual(shared, { issuer: 'gitlab', subject: { kind: 'branch', name: 'main' } });
    assert.equal(subjectClaim('gitlab', gitlab, shared!.subject, false), 'project_path:acme/platform/site:ref_type:branch:ref:main');
  });

  test('what a job hands Terraform', () => {
    const workflow = `on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    env:
      ARM_USE_OIDC: true
    steps:
      - uses: hashicorp/setup-terraform@v3
      - run: export TF_VAR_X=1 && terraform plan
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: echo
`;
    const graph = workspaceGraph(workspace({ '.github/workflows/plan.yml': workflow }));
    assert.deepEqual(graph.jobs.find((j) => j.name === 'plan')!.terraform, { variables: ['ARM_USE_OIDC', 'TF_VAR_X'], enabled: ['ARM_USE_OIDC'] });
    assert.equal(graph.jobs.find((j) => j.name === 'lint')!.terraform, undefined);
  });
});

describe('roles, trusts and accounts', () => {
  test('a role whose trust admits exactly one subject, its ARN and account', () => {
    const graph = workspaceGraph(workspace({ '.github/workflows/deploy.yml': DEPLOY, 'infra/role.tf': ROLE }));
    assert.deepEqual(graph.roles.map((r) => [r.path, r.identity.roleName]), [['infra/role.tf', 'deploy']]);
    const admitting = graph.rolesAdmittingOnly('token.actions.githubusercontent.com', 'repo:acme/app:environment:production');
    assert.deepEqual(admitting.map((r) => r.identity.name), ['deploy']);
    assert.deepEqual(graph.rolesAdmittingOnly('token.actions.githubusercontent.com', 'repo:acme/app:ref:refs/heads/main'), []);
    assert.equal(graph.soleAccount(), '123456789012');
    assert.equal(graph.roleArn('deploy', '/ci/'), 'arn:aws:iam::123456789012:role/ci/deploy');
    assert.equal(graph.roleArn('deploy', undefined), undefined);
    assert.deepEqual(graph.moduleFiles('infra').map((f) => f.path), ['infra/role.tf']);
  });

  test('built once per set of files; a changed file makes a new graph', () => {
    const context = workspace({ 'infra/role.tf': ROLE });
    const graph = workspaceGraph(context);
    assert.equal(workspaceGraph(context), graph);
    const files = context.files as Map<string, WorkspaceFile>;
    const read = engine.facts({ path: 'infra/other.tf', text: ROLE.replace(/deploy/g, 'other') })!;
    files.set('infra/other.tf', { ...read, text: '' });
    const next = workspaceGraph(context);
    assert.notEqual(next, graph);
    assert.deepEqual(next.roles.map((r) => r.identity.roleName), ['deploy', 'other']);
  });
});
