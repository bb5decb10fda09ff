import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import type { WorkspaceContext, WorkspaceFile } from '../../../server/src/facts/workspace';
import { planFederation } from '../../../server/src/fixes/federation/plan';
import type { FixProposal } from '../../../server/src/fixes/fixer';
import { applyEdits } from '../../../server/src/fixes/text';
import { fixerProposals } from '../../rules/fix-harness';

/**
 * The GitLab rewrites with the real planner: reusing a role the workspace defines, and taking the
 * audience the account's OIDC provider accepts. (Through the engine, on the example pipeline in the
 * example workspace: the fix case test/rules/static-cloud-credentials/fixes/gitlab-examples.)
 */
const PIPELINE = '.gitlab-ci.yml';
const REPOSITORY = { host: 'gitlab.com', owner: 'acme/platform', name: 'site' };

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

/** The one proposal for the finding on `line`. */
function only(text: string, rule: string, line: number, workspace: WorkspaceContext): FixProposal {
  const offered = fixerProposals(rule, PIPELINE, text, planFederation, workspace);
  const found = offered.filter((o) => o.line === line);
  assert.equal(found.length, 1, `one finding of ${rule} on line ${line}: ${JSON.stringify(offered.map((o) => o.line))}`);
  assert.equal(found[0]!.proposals.length, 1, `one fix for ${rule} on line ${line}`);
  return found[0]!.proposals[0]!;
}

/** The pipeline after a proposal's edits to it. */
function applied(text: string, proposal: FixProposal): string {
  return applyEdits(text, proposal.edits.filter((e) => e.path === undefined || e.path === PIPELINE));
}

function workspaceWith(files: Record<string, string>): WorkspaceContext {
  const map = new Map<string, WorkspaceFile>();
  for (const [file, text] of Object.entries(files)) map.set(file, { ...engine.facts({ path: file, text })!, text });
  return { files: map, repository: REPOSITORY, immutableSubjects: false };
}

const PROVIDER = (audience: string): string => `resource "aws_iam_openid_connect_provider" "gitlab" {
  url            = "https://gitlab.com"
  client_id_list = ["${audience}"]
}
`;

const ROLE = `resource "aws_iam_role" "deploy" {
  name = "gitlab-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.gitlab.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "gitlab.com:aud" = "https://gitlab.com"
          "gitlab.com:sub" = "project_path:acme/platform/site:ref_type:branch:ref:main"
        }
      }
    }]
  })
}
`;

const DEPLOY = `deploy:
  variables:
    AWS_ACCESS_KEY_ID: $KEY_ID
    AWS_SECRET_ACCESS_KEY: $SECRET
  only: [main]
  script:
    - aws s3 sync public s3://example-site
`;

describe('GitLab CI rewrites with the real planner', () => {
  test('a role of the workspace trusted by this project on main is reused: nothing is written', () => {
    const fix = only(DEPLOY, 'static-cloud-credentials', 3, workspaceWith({ 'infra/iam.tf': PROVIDER('https://gitlab.com') + ROLE }));
    assert.match(fix.title, /: assume role gitlab-deploy$/);
    assert.equal(fix.creates, undefined);
    const fixed = applied(DEPLOY, fix);
    assert.match(fixed, /AWS_ROLE_ARN: arn:aws:iam::\$\{AWS_ACCOUNT_ID\}:role\/gitlab-deploy\n/);
    assert.match(fixed, /aud: https:\/\/gitlab\.com\n/);
  });

  test('a role for another branch is not reused: one is written for main', () => {
    const fix = only(DEPLOY.replace('[main]', '[release]'), 'static-cloud-credentials', 3, workspaceWith({ 'infra/iam.tf': PROVIDER('https://gitlab.com') + ROLE }));
    assert.equal(fix.creates?.length, 1);
    assert.match(fix.creates![0]!.text, /project_path:acme\/platform\/site:ref_type:branch:ref:release/);
    assert.deepEqual(engine.analyze({ path: fix.creates![0]!.path, text: fix.creates![0]!.text }).errors, []);
  });

  test("the token asks for the audience the account's provider accepts", () => {
    const fix = only(DEPLOY, 'static-cloud-credentials', 3, workspaceWith({ 'infra/oidc.tf': PROVIDER('gitlab-ci') }));
    assert.match(applied(DEPLOY, fix), /AWS_ID_TOKEN:\n {6}aud: gitlab-ci\n/);
    assert.match(fix.creates![0]!.text, /"gitlab\.com:aud" = "gitlab-ci"/);
  });
});
