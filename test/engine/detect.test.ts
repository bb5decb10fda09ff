import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const dialect = (path: string, text: string): string | null => engine.analyze({ path, text }).dialect;

describe('dialect detection', () => {
  const workflow = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';

  test('GitHub Actions by path and by content', () => {
    assert.equal(dialect('.github/workflows/ci.yml', 'name: x\n'), 'github-actions');
    assert.equal(dialect('.github/workflows/ci.yaml', workflow), 'github-actions');
    assert.equal(dialect('ci/templates/build.yml', workflow), 'github-actions');
    assert.equal(dialect('ci/reusable.yml', 'on:\n  workflow_call:\njobs:\n  call:\n    uses: org/repo/.github/workflows/x.yml@v1\n'), 'github-actions');
  });

  test('composite actions by name and content', () => {
    const action = 'name: a\nruns:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n';
    assert.equal(dialect('deploy/action.yml', action), 'github-actions');
    assert.equal(dialect('deploy/whatever.yml', action), 'github-actions');
  });

  test('GitLab CI by path and by content', () => {
    assert.equal(dialect('.gitlab-ci.yml', 'x: 1\n'), 'gitlab-ci');
    assert.equal(dialect('ci/deploy.gitlab-ci.yml', 'x: 1\n'), 'gitlab-ci');
    assert.equal(dialect('ci/jobs.yml', 'stages: [build]\nbuild:\n  stage: build\n  script:\n    - make\n'), 'gitlab-ci');
  });

  test('CloudFormation in YAML and JSON, any name', () => {
    assert.equal(dialect('stack.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n'), 'cloudformation');
    assert.equal(dialect('stack.yml', 'Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n'), 'cloudformation');
    assert.equal(dialect('whatever.json', '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}'), 'cloudformation');
  });

  test('Kubernetes, including List and multi-document streams', () => {
    assert.equal(dialect('pod.yaml', 'apiVersion: v1\nkind: Pod\n'), 'kubernetes');
    assert.equal(dialect('all.yaml', '# c\n---\n---\napiVersion: v1\nkind: List\nitems: []\n'), 'kubernetes');
    assert.equal(dialect('pod.json', '{"apiVersion": "v1", "kind": "Pod"}'), 'kubernetes');
  });

  test('Terraform by extension', () => {
    assert.equal(dialect('main.tf', ''), 'terraform');
    assert.equal(dialect('prod.tfvars', 'a = 1\n'), 'terraform');
    assert.equal(dialect('main.tf.json', '{}'), 'terraform');
  });

  test('IAM policy JSON by content', () => {
    assert.equal(dialect('deploy.policy.json', '{"Version": "2012-10-17", "Statement": []}'), 'iam-policy');
    assert.equal(dialect('x.json', '{"Version": "2012-10-17", "Statement": {"Effect": "Allow"}}'), 'iam-policy');
  });

  test('everything else is not analyzed', () => {
    assert.equal(dialect('package.json', '{"name": "x"}'), null);
    assert.equal(dialect('docker-compose.yml', 'services:\n  web:\n    image: nginx\n'), null);
    assert.equal(dialect('README.md', '# x'), null);
  });

  test('Helm chart templates are skipped with a note, not errors', () => {
    const report = engine.analyze({ path: 'charts/app/templates/deployment.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' });
    assert.equal(report.dialect, null);
    assert.deepEqual(report.findings, []);
    assert.match(report.notes.join(' '), /Helm template/);
  });
});
