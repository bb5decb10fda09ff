import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { readWorkflow } from '../../../server/src/dialects/github-actions/model';
import { workflowTokenNeeds, type TokenNeeds } from '../../../server/src/dialects/github-actions/token-needs';
import { Engine } from '../../../server/src/engine/analyze';
import { parseYaml } from '../../../server/src/syntax/yaml';
import { createEngine } from '../../../server/src/workspace/grammar';

/**
 * What the fixture and fix suites do not show: the severity and words of each finding, and what
 * the inference of a job's needs makes of each kind of step.
 */
let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const PATH = '.github/workflows/ci.yml';

function findings(text: string): { line: number; severity: string; message: string; titles: string[] }[] {
  return engine
    .analyze({ path: PATH, text })
    .findings.filter((f) => f.rule === 'workflow-permissions')
    .map((f) => ({ line: f.range.start.line + 1, severity: f.severity, message: f.message, titles: f.fixes.map((x) => x.title).filter((t) => !t.startsWith('Suppress')) }));
}

describe('workflow-permissions findings', () => {
  test('a workflow-level shorthand that no job inherits is info, and says why', () => {
    const [finding, ...rest] = findings(`on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - run: echo a
`);
    assert.equal(rest.length, 0);
    assert.equal(finding!.severity, 'info');
    assert.match(finding!.message, /reaches no job today/);
    assert.deepEqual(finding!.titles, ['Set permissions: {} (every job sets its own)']);
  });

  test('the untrusted trigger is named, with what it does', () => {
    const [finding] = findings(`on: pull_request_target
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo a
`);
    assert.equal(finding!.severity, 'warning');
    assert.match(finding!.message, /`pull_request_target` runs with the base repository's token and secrets for pull requests anyone can open from a fork/);
    assert.match(finding!.message, /job `a` runs with the repository's default GITHUB_TOKEN/);
  });

  test('the jobs on the default are the ones named; those with their own block are not', () => {
    const [finding] = findings(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo a
  b:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - run: echo b
`);
    assert.match(finding!.message, /so job `a` runs with/);
    assert.doesNotMatch(finding!.message, /`b`/);
  });

  test('write-all and read-all say what they reach', () => {
    const [write, read] = findings(`on: push
permissions: read-all
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: write-all
    steps:
      - run: echo a
  b:
    runs-on: ubuntu-latest
    steps:
      - run: echo b
`).sort((x, y) => y.line - x.line);
    assert.match(write!.message, /^Job `a` sets `permissions: write-all`: its GITHUB_TOKEN has write access to every scope \(push code and tags/);
    assert.match(read!.message, /^`permissions: read-all` gives job `b` a GITHUB_TOKEN with read access to every scope/);
  });

  test('an expression or a typo in permissions: is not judged', () => {
    assert.deepEqual(findings(`on: push
permissions: \${{ fromJSON(vars.PERMISSIONS) }}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo a
  b:
    runs-on: ubuntu-latest
    steps:
      - run: echo b
`), []);
  });
});

function needs(text: string): Map<string, TokenNeeds> {
  const parsed = parseYaml(text);
  const workflow = readWorkflow(parsed.documents[0]!.root);
  assert.ok(workflow);
  return workflowTokenNeeds(workflow, text);
}

function job(steps: string, env = ''): TokenNeeds {
  return needs(`on: push
jobs:
  j:
    runs-on: ubuntu-latest
${env}    steps:
${steps}`).get('j')!;
}

const scopes = (n: TokenNeeds): Record<string, string> => Object.fromEntries(n.scopes);

describe('what a job needs of its token', () => {
  test('actions from the table, with their input conditions', () => {
    assert.deepEqual(scopes(job('      - uses: actions/checkout@v4\n')), { contents: 'read' });
    assert.deepEqual(scopes(job('      - uses: actions/checkout@v4\n        with:\n          token: ${{ secrets.PAT }}\n')), {});
    assert.deepEqual(scopes(job('      - uses: actions/checkout@v4\n        with:\n          token: ${{ github.token }}\n')), { contents: 'read' });
    assert.deepEqual(scopes(job('      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: ${{ secrets.GITHUB_TOKEN }}\n')), { packages: 'write' });
    assert.deepEqual(scopes(job('      - uses: docker/login-action@v3\n        with:\n          registry: docker.io\n')), {});
    assert.deepEqual(scopes(job('      - uses: actions/stale@v9\n        with:\n          delete-branch: false\n')), { actions: 'write', issues: 'write', 'pull-requests': 'write' });
    assert.deepEqual(scopes(job('      - uses: actions/stale@v9\n        with:\n          delete-branch: true\n')), { actions: 'write', issues: 'write', 'pull-requests': 'write', contents: 'write' });
    assert.deepEqual(scopes(job('      - uses: github/codeql-action/upload-sarif@v3\n')), { 'security-events': 'write', actions: 'read', contents: 'read' });
  });

  test('an OIDC login needs id-token: write, as the OIDC rule reads it', () => {
    const n = job('      - uses: google-github-actions/auth@v2\n        with:\n          workload_identity_provider: projects/1/locations/global/workloadIdentityPools/p/providers/g\n');
    assert.deepEqual(scopes(n), { 'id-token': 'write' });
    assert.deepEqual(n.unknown, []);
    assert.deepEqual(scopes(job('      - run: npm publish --provenance\n')), { 'id-token': 'write' });
  });

  test('unknown actions and called workflows are named; github-script is known only with its own token', () => {
    const n = job('      - uses: example-org/thing@v1\n      - uses: ./local-action\n      - uses: actions/github-script@v7\n');
    assert.deepEqual(n.unknown, ['example-org/thing', './local-action', 'actions/github-script']);
    assert.equal(n.known, 0);
    assert.deepEqual(job('      - uses: actions/github-script@v7\n        with:\n          github-token: ${{ secrets.BOT }}\n').unknown, []);
    const called = needs('on: push\njobs:\n  call:\n    uses: ./.github/workflows/build.yml\n').get('call')!;
    assert.deepEqual(called.unknown, ['./.github/workflows/build.yml']);
  });

  test('gh and git in scripts, with the token they use', () => {
    assert.deepEqual(scopes(job('      - run: gh pr create --fill && gh release view v1\n')), { 'pull-requests': 'write', contents: 'read' });
    assert.deepEqual(scopes(job('      - run: gh pr merge --squash "$PR"\n')), { 'pull-requests': 'write', contents: 'write' });
    assert.deepEqual(scopes(job('      - run: gh pr comment 1 --body hi\n        env:\n          GH_TOKEN: ${{ secrets.BOT_PAT }}\n')), {});
    assert.deepEqual(scopes(job('      - run: gh pr comment 1 --body hi\n', '    env:\n      GH_TOKEN: ${{ github.token }}\n')), { 'pull-requests': 'write' });
    assert.deepEqual(job('      - run: gh api repos/x/y\n').unknown, ['gh api repos/x/y']);
    assert.deepEqual(scopes(job('      - uses: actions/checkout@v4\n      - run: |\n          git commit -am bump\n          git -C . push origin main\n')), { contents: 'write' });
    assert.deepEqual(scopes(job('      - uses: actions/checkout@v4\n        with:\n          ssh-key: ${{ secrets.DEPLOY_KEY }}\n      - run: git push\n')), {});
    assert.deepEqual(scopes(job('      - run: docker push ghcr.io/example/app:1\n')), { packages: 'write' });
    assert.deepEqual(scopes(job('      - run: docker push example/app:1\n')), {});
  });

  test('a script the job token is handed to: programs that may use it are unknown, text tools are not', () => {
    const handed = job('      - run: |\n          echo start\n          npx semantic-release\n          curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n');
    assert.deepEqual(handed.unknown, ['npx semantic-release', 'curl']);
    const notHanded = job('      - run: |\n          npx semantic-release\n          make test\n');
    assert.deepEqual(notHanded.unknown, []);
    assert.equal(notHanded.known, 1);
  });
});

describe('workflow-permissions fix titles', () => {
  test('a step with a known command and an unknown one: what was inferred is written, the unknown named', () => {
    const [finding] = findings(`on: pull_request_target
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          gh pr edit "$PR" --add-label ok
          curl -s https://example.com
        env:
          GH_TOKEN: \${{ github.token }}
`);
    assert.deepEqual(finding!.titles, ['Set permissions; could not infer what curl needs']);
  });

  test('titles stay within 80 characters, however long the names', () => {
    const long = 'a-very-long-organization-name/an-even-longer-action-name-for-deploying';
    const [job, workflow] = findings(`on: push
permissions: write-all
jobs:
  a-job-with-a-name-long-enough-to-crowd-the-menu:
    runs-on: ubuntu-latest
    permissions: write-all
    steps:
      - uses: actions/checkout@v4
      - uses: ${long}@v1
      - uses: other-org/second@v1
  b:
    runs-on: ubuntu-latest
    steps:
      - uses: ${long}@v1
      - uses: actions/checkout@v4
`).sort((x, y) => y.line - x.line);
    for (const title of [...job!.titles, ...workflow!.titles]) assert.ok(title.length <= 80, title);
    assert.deepEqual(workflow!.titles, ['Set permissions; 1 use could not be inferred']);
  });
});
