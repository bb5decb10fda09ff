import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readPipeline } from '../../../server/src/dialects/gitlab-ci/model';
import { tokenSubject } from '../../../server/src/dialects/gitlab-ci/subject';
import { parseYaml } from '../../../server/src/syntax/yaml';
import { EMPTY_WORKSPACE, type WorkspaceContext } from '../../../server/src/facts/workspace';
import type { FederationRequest } from '../../../server/src/fixes/federation/federation';
import { fakePlanner, fixerProposals } from '../../rules/fix-harness';

const GITLAB_WORKSPACE: WorkspaceContext = { ...EMPTY_WORKSPACE, repository: { host: 'gitlab.com', owner: 'acme/platform', name: 'site' } };

/** The cloud rewrites of a pipeline with a planner that reuses an identity: what the planner was asked. */
function offer(text: string): { requests: FederationRequest[] } {
  const planner = fakePlanner('reuse');
  fixerProposals('static-cloud-credentials', '.gitlab-ci.yml', text, planner, GITLAB_WORKSPACE);
  return planner;
}

/**
 * The subject a GitLab job's token can prove: GitLab's `sub` is
 * `project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH`, so a job is scoped by the one literal
 * branch its `rules:` or `only:` allow, and by nothing else (its environment is not in `sub`).
 */
function scopeOf(jobYaml: string, name = 'deploy', before = ''): string {
  const pipeline = readPipeline(parseYaml(`${before}${name}:\n${jobYaml}  script:\n    - aws s3 ls\n`).documents[0]!.root)!;
  const scope = tokenSubject(pipeline, pipeline.jobs.find((j) => j.name === name)!);
  return scope.kind === 'unknown' ? 'unknown' : `${scope.kind}:${scope.name}`;
}

describe('GitLab subject scope', () => {
  test('rules: one branch in every rule that can run the job', () => {
    assert.equal(scopeOf('  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n'), 'branch:main');
    assert.equal(scopeOf("  rules:\n    - if: '$CI_COMMIT_REF_NAME == \"release\" && $CI_PIPELINE_SOURCE == \"push\"'\n      when: manual\n"), 'branch:release');
    assert.equal(scopeOf('  rules:\n    - if: \'"main" == $CI_COMMIT_BRANCH\'\n'), 'branch:main');
    assert.equal(scopeOf('  rules:\n    - if: $CI_PIPELINE_SOURCE == "schedule"\n      when: never\n    - if: $CI_COMMIT_BRANCH == "main"\n'), 'branch:main');
  });

  test('rules: several branches, an alternative, a catch-all rule, the default branch by name → unknown', () => {
    assert.equal(scopeOf('  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n    - if: $CI_COMMIT_BRANCH == "staging"\n'), 'unknown');
    assert.equal(scopeOf('  rules:\n    - if: $CI_COMMIT_BRANCH == "main" || $CI_COMMIT_TAG\n'), 'unknown');
    assert.equal(scopeOf('  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n    - when: manual\n'), 'unknown');
    assert.equal(scopeOf('  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n'), 'unknown');
    assert.equal(scopeOf('  rules:\n    - if: $CI_COMMIT_BRANCH =~ /^release/\n'), 'unknown');
  });

  test('only: one literal ref', () => {
    assert.equal(scopeOf('  only: [main]\n'), 'branch:main');
    assert.equal(scopeOf('  only: main\n'), 'branch:main');
    assert.equal(scopeOf('  only:\n    refs: [main]\n    variables: [$DEPLOY == "yes"]\n'), 'branch:main');
    assert.equal(scopeOf('  only: [branches]\n'), 'unknown');
    assert.equal(scopeOf('  only: [/^release-.*$/]\n'), 'unknown');
    assert.equal(scopeOf('  only: [main, staging]\n'), 'unknown');
  });

  test('an environment alone does not scope a GitLab token', () => {
    assert.equal(scopeOf('  environment: production\n'), 'unknown');
    assert.equal(scopeOf('  environment: production\n  only: [main]\n'), 'branch:main');
  });

  test('rules come through extends', () => {
    assert.equal(scopeOf('  extends: .main-only\n', 'deploy', '.main-only:\n  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n'), 'branch:main');
  });
});

test('the request the planner gets: issuer, subject, job, what it runs, its region', () => {
  const { requests } = offer(`deploy:
  variables:
    AWS_ACCESS_KEY_ID: $KEY_ID
    AWS_SECRET_ACCESS_KEY: $SECRET
    AWS_DEFAULT_REGION: eu-west-1
  only: [main]
  script:
    - aws s3 sync public s3://example-site
    - aws cloudfront create-invalidation --distribution-id E123 --paths "/*"
`);
  assert.equal(requests.length, 1);
  const [request] = requests;
  assert.equal(request!.cloud, 'aws');
  assert.equal(request!.issuer, 'gitlab');
  assert.deepEqual(request!.subject, { kind: 'branch', name: 'main' });
  assert.deepEqual(request!.job, { name: 'deploy', file: '.gitlab-ci.yml' });
  assert.equal(request!.region, 'eu-west-1');
  assert.deepEqual(request!.usage.commands, [['aws', 's3', 'sync', 'public', 's3://example-site'], ['aws', 'cloudfront', 'create-invalidation', '--distribution-id', 'E123', '--paths', '/*']]);
});

test('jobs on one branch share one request (and one role); on unknown subjects nothing is asked', () => {
  const text = `variables:
  AWS_ACCESS_KEY_ID: $KEY_ID
  AWS_SECRET_ACCESS_KEY: $SECRET
a:
  only: [main]
  script: [aws s3 ls]
b:
  only: [main]
  script: [terraform apply]
`;
  const { requests } = offer(text);
  assert.equal(requests.length, 1);
  assert.equal(requests[0]!.job.name, 'a, b');
  assert.equal(offer(text.replace('only: [main]\n  script: [aws s3 ls]', 'script: [aws s3 ls]')).requests.length, 0);
});
