import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import { applyEdits } from '../../../server/src/fixes/text';
import { judgeSessionName } from '../../../server/src/rules/unattributed-session';

/**
 * A fixed session name is fixed by adding the run's ids to it (so that a trust testing
 * `sts:RoleSessionName` against its prefix still matches), or by replacing it when its length or
 * characters cannot take them. The fixture suite holds the findings; this holds the rewritten text.
 */
let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function fixed(path: string, text: string): string[] {
  const report = engine.analyze({ path, text });
  return report.findings
    .filter((f) => f.rule === 'unattributed-session')
    .flatMap((f) => f.fixes.filter((x) => !x.title.startsWith('Suppress')))
    .map((fix) => applyEdits(text, fix.edits.filter((e) => e.path === path)));
}

const workflow = (name: string): string => `on: push
permissions:
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          role-session-name: ${name} # why this name
          aws-region: us-east-1
`;

describe('unattributed-session fix of a fixed name', () => {
  test('GitHub: a plain or quoted literal keeps its text and gains the run ids', () => {
    const path = '.github/workflows/deploy.yml';
    assert.deepEqual(fixed(path, workflow('GitHubActions')), [workflow('GitHubActions-${{ github.run_id }}-${{ github.run_attempt }}')]);
    assert.deepEqual(fixed(path, workflow("'terraform'")), [workflow("'terraform-${{ github.run_id }}-${{ github.run_attempt }}'")]);
  });

  test('GitHub: a name with expressions or shell syntax is replaced', () => {
    const path = '.github/workflows/deploy.yml';
    assert.deepEqual(fixed(path, workflow('gha-$GITHUB_RUN_ID')), [workflow('gha-${{ github.run_id }}-${{ github.run_attempt }}')]);
    assert.deepEqual(fixed(path, workflow('${{ github.sha }}')), [workflow('gha-${{ github.run_id }}-${{ github.run_attempt }}')]);
  });

  test('GitLab: the ids join the word, after a closing single quote', () => {
    const path = '.gitlab-ci.yml';
    const pipeline = (name: string): string => `deploy:
  id_tokens:
    AWS_ID_TOKEN:
      aud: sts.amazonaws.com
  script:
    - aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/deploy --role-session-name ${name} --web-identity-token "$AWS_ID_TOKEN"
`;
    assert.deepEqual(fixed(path, pipeline('deploy')), [pipeline('deploy-${CI_PIPELINE_ID}-${CI_JOB_ID}')]);
    assert.deepEqual(fixed(path, pipeline('"deploy"')), [pipeline('"deploy-${CI_PIPELINE_ID}-${CI_JOB_ID}"')]);
    assert.deepEqual(fixed(path, pipeline("'deploy'")), [pipeline(`'deploy'"-\${CI_PIPELINE_ID}-\${CI_JOB_ID}"`)]);
  });

  test('GitLab: the name is edited where it follows its flag, not where the role repeats it', () => {
    const path = '.gitlab-ci.yml';
    const quoted = (name: string): string => `deploy:
  id_tokens:
    AWS_ID_TOKEN:
      aud: sts.amazonaws.com
  script:
    - "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/deploy --role-session-name ${name} --web-identity-token $AWS_ID_TOKEN"
`;
    assert.deepEqual(fixed(path, quoted('\\"deploy\\"')), [quoted('\\"deploy-${CI_PIPELINE_ID}-${CI_JOB_ID}\\"')]);
    assert.deepEqual(fixed(path, quoted('deploy')), [quoted('deploy-${CI_PIPELINE_ID}-${CI_JOB_ID}')]);
  });
});

test('GitHub run: scripts get the shell form, at the command that assumes the role', () => {
  const path = '.github/workflows/deploy.yml';
  const script = (first: string, second: string): string => `on: push
permissions:
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: |
          aws sts assume-role-with-web-identity --role-arn "$ROLE" ${first} --web-identity-token "$TOKEN"
          aws sts assume-role-with-web-identity ${second} --web-identity-token "$TOKEN"
`;
  const before = script('--role-session-name deploy', '--role-arn "$ROLE"');
  assert.deepEqual(fixed(path, before), [
    script('--role-session-name deploy-${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}', '--role-arn "$ROLE"'),
    script('--role-session-name deploy', '--role-session-name "gha-${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}" --role-arn "$ROLE"'),
  ]);
});

describe('judgeSessionName', () => {
  test('run ids count, in expressions and shell variables', () => {
    for (const name of ['gha-${{ github.run_id }}', '${{ github.run_number }}', "x-${{ github['run_attempt'] }}"]) assert.equal(judgeSessionName(name, 'workflow-input').kind, 'run-specific', name);
    for (const name of ['gl-$CI_PIPELINE_ID', 'gl-${CI_JOB_ID}', 'p$CI_PIPELINE_IID', 'gha-$GITHUB_RUN_ID']) assert.equal(judgeSessionName(name, 'shell').kind, 'run-specific', name);
  });
  test('commit, job, matrix, time and random parts do not', () => {
    for (const name of ['${{ github.sha }}', 'x-${{ matrix.os }}-${{ github.job }}', 'GitHubActions', 'gha-$GITHUB_RUN_ID']) assert.equal(judgeSessionName(name, 'workflow-input').kind, 'fixed', name);
    for (const name of ['gl-$CI_COMMIT_SHA', 'x-$(date +%s)', 'x-$RANDOM', 'x-$$', 'terraform', 'x-${CI_PROJECT_NAME}']) assert.equal(judgeSessionName(name, 'shell').kind, 'fixed', name);
  });
  test('what the file cannot see is not judged', () => {
    for (const name of ['${{ inputs.name }}', 'x-${{ env.NAME }}', '${{ steps.a.outputs.b }}', '${{ needs.a.outputs.b }}', '${{ github.event.inputs.name }}']) assert.equal(judgeSessionName(name, 'workflow-input').kind, 'unknown', name);
    for (const name of ['$SESSION', 'x-$(./name.sh)', '${NAME:-x}']) assert.equal(judgeSessionName(name, 'shell').kind, 'unknown', name);
  });
});

test('a hostile session name is not scanned (no quadratic regular expression on a megabyte)', () => {
  const started = Date.now();
  assert.equal(judgeSessionName('${{'.repeat(300_000), 'workflow-input').kind, 'unknown');
  assert.equal(judgeSessionName('${'.repeat(500_000), 'shell').kind, 'unknown');
  assert.ok(Date.now() - started < 100);
});
