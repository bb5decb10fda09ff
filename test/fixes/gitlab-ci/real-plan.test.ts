import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Engine } from '../../../server/src/engine/analyze';
import type { Fix } from '../../../server/src/engine/finding';
import type { WorkspaceContext, WorkspaceFile } from '../../../server/src/engine/workspace';
import { planFederation } from '../../../server/src/fixes/federation/plan';
import { applyEdits } from '../../../server/src/fixes/text';
import { applied, only, theEngine } from './harness';
import { readOrWriteGolden } from '../golden';

/**
 * The GitLab rewrites with the real planner: reusing a role the workspace defines, taking the
 * audience the account's OIDC provider accepts, and — registered, through the engine, as the
 * editor gets them — on the example pipeline in the example workspace.
 */
const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
const PIPELINE = '.gitlab-ci.yml';
const REPOSITORY = { host: 'gitlab.com', owner: 'acme/platform', name: 'site' };

let engine: Engine;
before(async () => {
  engine = await theEngine();
});

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
    const fix = only(DEPLOY, 'static-cloud-credentials', 3, planFederation, workspaceWith({ 'infra/iam.tf': PROVIDER('https://gitlab.com') + ROLE }));
    assert.match(fix.title, /: assume role gitlab-deploy$/);
    assert.equal(fix.creates, undefined);
    const fixed = applied(DEPLOY, fix);
    assert.match(fixed, /AWS_ROLE_ARN: arn:aws:iam::\$\{AWS_ACCOUNT_ID\}:role\/gitlab-deploy\n/);
    assert.match(fixed, /aud: https:\/\/gitlab\.com\n/);
  });

  test('a role for another branch is not reused: one is written for main', () => {
    const fix = only(DEPLOY.replace('[main]', '[release]'), 'static-cloud-credentials', 3, planFederation, workspaceWith({ 'infra/iam.tf': PROVIDER('https://gitlab.com') + ROLE }));
    assert.equal(fix.creates?.length, 1);
    assert.match(fix.creates![0]!.text, /project_path:acme\/platform\/site:ref_type:branch:ref:release/);
    assert.deepEqual(engine.analyze({ path: fix.creates![0]!.path, text: fix.creates![0]!.text }).errors, []);
  });

  test("the token asks for the audience the account's provider accepts", () => {
    const fix = only(DEPLOY, 'static-cloud-credentials', 3, planFederation, workspaceWith({ 'infra/oidc.tf': PROVIDER('gitlab-ci') }));
    assert.match(applied(DEPLOY, fix), /AWS_ID_TOKEN:\n {6}aud: gitlab-ci\n/);
    assert.match(fix.creates![0]!.text, /"gitlab\.com:aud" = "gitlab-ci"/);
  });
});

describe('examples/.gitlab-ci.yml through the engine', () => {
  let workspace: WorkspaceContext;
  before(() => {
    const files: Record<string, string> = {};
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const file of walk(EXAMPLES)) {
      const relative = path.relative(EXAMPLES, file).split(path.sep).join('/');
      if (relative === PIPELINE || relative.startsWith('.github/')) continue;
      if (engine.facts({ path: relative, text: fs.readFileSync(file, 'utf8') })) files[relative] = fs.readFileSync(file, 'utf8');
    }
    workspace = workspaceWith(files);
  });

  function rewrites(text: string): { rule: string; line: number; fix: Fix }[] {
    const report = engine.analyze({ path: PIPELINE, text }, { workspace });
    return report.findings.flatMap((f) => f.fixes.filter((fix) => !fix.title.startsWith('Suppress')).map((fix) => ({ rule: f.rule, line: f.range.start.line + 1, fix })));
  }

  test('every rewrite applied in turn: no static credential or registry token is left, and the pipeline still parses', () => {
    let text = fs.readFileSync(path.join(EXAMPLES, PIPELINE), 'utf8');
    const titles: string[] = [];
    for (let round = 0; round < 10; round++) {
      const [next] = rewrites(text);
      if (!next) break;
      assert.equal(next.fix.safe, false, 'OIDC rewrites are never applied unattended');
      titles.push(next.fix.title);
      text = applyEdits(text, next.fix.edits.filter((e) => e.path === PIPELINE));
    }
    assert.deepEqual(titles.map((t) => t.replace(/ in job .*/, '')), [
      'Use GitLab OIDC for AWS',
      'Use GitLab OIDC for Google Cloud',
      'Publish to PyPI with trusted publishing',
      'Read SLACK_WEBHOOK_TOKEN from a masked CI/CD variable',
    ]);
    const report = engine.analyze({ path: PIPELINE, text }, { workspace });
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.findings.map((f) => f.rule), [], 'the Slack token, which no OIDC rewrite replaces, is read from a CI/CD variable too');
    assert.equal(text, readOrWriteGolden(path.join(__dirname, 'golden'), 'examples.fixed.gitlab-ci.yml', text));
  });
});
