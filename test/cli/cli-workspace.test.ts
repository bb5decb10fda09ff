import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { assertBuilt, findingKeys, REPO_ROOT, runCli, workspace } from './helpers';

// `keyless scan` and `keyless fix` take the repository that holds each PATH as the workspace,
// wherever they run: its config, its git remote, its files (and nothing outside it), diff paths
// from its root. Run here from the repository, from its parent folder and from an unrelated folder.

const remote = (name: string): string => `[core]\n\tbare = false\n[remote "origin"]\n\turl = https://github.com/acme/${name}.git\n`;
const WORKFLOW = '.github/workflows/deploy.yml';
const TRUSTS = ['terraform/keyless-oidc-provider-github.tf', 'terraform/keyless-oidc-site-main.tf', 'terraform/keyless-oidc-site-production.tf'];

/**
 * `outer/` holding `site/` (a clone of github.com/acme/site: examples/ with a .git/config remote)
 * and, beside it, a role that already trusts acme/site in production: were the parent folder walked,
 * the fix would reuse that role and write no trust.
 */
function parentAndRepository(): { outer: string; repo: string } {
  const outer = workspace({
    'site/.git/config': remote('site'),
    'elsewhere/role.tf': `resource "aws_iam_role" "deploy" {
  name = "gha-site-production"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
      Condition = { StringEquals = {
        "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
        "token.actions.githubusercontent.com:sub" = "repo:acme/site:environment:production"
      } }
    }]
  })
}
`,
  });
  const repo = path.join(outer, 'site');
  fs.cpSync(path.join(REPO_ROOT, 'examples'), repo, { recursive: true });
  return { outer, repo };
}

function under(prefix: string, keys: readonly string[]): string[] {
  return keys.map((key) => `${prefix}/${key}`);
}

function diffHeaders(diff: string): string[] {
  return diff.split('\n').filter((line) => /^(?:---|\+\+\+) /.test(line));
}

before(assertBuilt);

describe('the workspace is the repository that holds PATH', () => {
  test('scan: the same findings from the repository, its parent folder and an unrelated folder; config from the repository root', async () => {
    const { outer, repo } = parentAndRepository();
    fs.writeFileSync(path.join(repo, '.keyless.yaml'), 'ignore:\n  - "policies/**"\nrules:\n  long-lived-key: warning\n');
    // A config in the parent folder is not the repository's: it must not apply.
    fs.writeFileSync(path.join(outer, '.keyless.yaml'), 'rules:\n  hardcoded-secret: off\n');
    const inside = await runCli(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: repo });
    const keys = findingKeys(inside.stdout);
    assert.ok(keys.some((k) => k.endsWith('hardcoded-secret')), 'the parent folder’s config does not apply');
    assert.ok(!keys.some((k) => k.startsWith('policies/')), 'the repository’s ignore globs apply');
    assert.ok(keys.length > 5, keys.join('\n'));

    const fromParent = await runCli(['scan', '--format', 'json', '--fail-on', 'never', 'site'], { cwd: outer });
    assert.deepEqual(findingKeys(fromParent.stdout), under('site', keys));
    const elsewhere = workspace({});
    const fromAnywhere = await runCli(['scan', '--format', 'json', '--fail-on', 'never', repo], { cwd: elsewhere });
    assert.deepEqual(findingKeys(fromAnywhere.stdout), under(repo.split(path.sep).join('/'), keys));
    const severities = (JSON.parse(fromParent.stdout) as { findings: { rule: string; severity: string }[] }).findings.filter((f) => f.rule === 'long-lived-key');
    assert.ok(severities.length > 0 && severities.every((f) => f.severity === 'warning'), 'the repository’s rule settings apply from the parent folder');
  });

  test('fix --dry-run: the same diff from the repository, its parent folder and an unrelated folder, headers from the repository root', async () => {
    const { outer, repo } = parentAndRepository();
    const inside = await runCli(['fix', '--unsafe', '--dry-run', '--fail-on', 'never', WORKFLOW], { cwd: repo });
    assert.deepEqual(diffHeaders(inside.stdout), [
      `--- a/${WORKFLOW}`,
      `+++ b/${WORKFLOW}`,
      ...TRUSTS.flatMap((file) => ['--- /dev/null', `+++ b/${file}`]),
    ]);
    const fromParent = await runCli(['fix', '--unsafe', '--dry-run', '--fail-on', 'never', `site/${WORKFLOW}`], { cwd: outer });
    assert.equal(fromParent.stdout, inside.stdout, 'the parent folder is not the workspace: the role beside the repository is not reused');
    const fromAnywhere = await runCli(['fix', '--unsafe', '--dry-run', '--fail-on', 'never', path.join(repo, WORKFLOW)], { cwd: workspace({}) });
    assert.equal(fromAnywhere.stdout, inside.stdout);
    assert.ok(!/^(?:---|\+\+\+) [ab]\/\//m.test(fromAnywhere.stdout), 'never a//absolute/path');
  });

  test('fix from an unrelated folder: trust files written into the repository, nothing beside the command', async () => {
    const { repo } = parentAndRepository();
    const cwd = workspace({});
    const run = await runCli(['fix', '--unsafe', '--format', 'json', path.join(repo, '.github')], { cwd });
    assert.equal(run.code, 0, run.stderr);
    for (const file of TRUSTS) assert.ok(fs.existsSync(path.join(repo, file)), `${file} is written into the repository`);
    assert.match(fs.readFileSync(path.join(repo, 'terraform/keyless-oidc-site-production.tf'), 'utf8'), /repo:acme\/site:environment:production/);
    assert.deepEqual(fs.readdirSync(cwd), [], 'nothing is written where the command ran');
    assert.deepEqual(JSON.parse(run.stdout).findings, []);
  });

  test('PATHs in two repositories: each its own workspace, remote and files', async () => {
    const outer = workspace({ 'site/.git/config': remote('site'), 'api/.git/config': remote('api') });
    for (const name of ['site', 'api']) fs.cpSync(path.join(REPO_ROOT, 'examples', '.github'), path.join(outer, name, '.github'), { recursive: true });
    fs.mkdirSync(path.join(outer, 'api', 'infra'));
    fs.writeFileSync(path.join(outer, 'api', 'infra', 'main.tf'), 'terraform {}\n');
    const run = await runCli(['fix', '--unsafe', '--fail-on', 'never', `site/${WORKFLOW}`, `api/${WORKFLOW}`], { cwd: outer });
    assert.equal(run.code, 0, run.stderr);
    assert.match(fs.readFileSync(path.join(outer, 'site', 'infra', 'keyless-oidc-site-production.tf'), 'utf8'), /repo:acme\/site:environment:production/);
    // Each repository's trust sits beside its own IaC and names its own remote.
    assert.match(fs.readFileSync(path.join(outer, 'api', 'infra', 'keyless-oidc-api-production.tf'), 'utf8'), /repo:acme\/api:environment:production/);
    assert.ok(!fs.existsSync(path.join(outer, 'infra')), 'nothing written at the parent folder');
  });

  test('outside any repository and config, a folder named twice (itself and inside another PATH) is one workspace, walked once', async () => {
    const cwd = workspace({ 'infra/main.tf': 'resource "aws_iam_access_key" "ci" {\n  user = "ci"\n}\n' });
    const run = await runCli(['scan', '--format', 'json', 'infra', '.'], { cwd });
    assert.deepEqual(findingKeys(run.stdout), ['infra/main.tf:1:1 long-lived-key']);
  });
});

describe('keyless fix: next steps', () => {
  test('text and JSON say what is left for a person: variables, created files, keys to revoke (masked), once each', async () => {
    const { repo } = parentAndRepository();
    const json = await runCli(['fix', '--unsafe', '--dry-run', '--format', 'json', '--fail-on', 'never'], { cwd: repo });
    const report = JSON.parse(json.stderr.slice(0, json.stderr.indexOf('\n}\n') + 3)) as { followUps: string[] };
    const steps = report.followUps;
    assert.ok(Array.isArray(steps) && steps.length >= 5, JSON.stringify(steps));
    assert.equal(new Set(steps).size, steps.length, 'each step once');
    for (const file of TRUSTS) assert.ok(steps.includes(`Review ${file} (created), then apply it with terraform apply, before the job next runs.`), file);
    assert.ok(steps.some((s) => /^Set the repository variable AWS_ACCOUNT_ID\b/.test(s) || /set the repository variable AWS_ACCOUNT_ID/.test(s)), 'the account id the trust needs');
    assert.ok(steps.some((s) => /^Register \.github\/workflows\/deploy\.yml as a trusted publisher in the package's settings on npmjs\.com/.test(s)), 'the npm trusted publisher');
    const revoke = steps.filter((s) => s.startsWith('Revoke '));
    assert.ok(revoke.some((s) => s.startsWith('Revoke the AWS access key id AKIA…LE once the new login works')), 'the literal key removed from the smoke test’s env');
    for (const step of revoke) assert.match(step, /^Revoke the [\w .-]+ (?:[^ ]{4}…[^ ]{2}|written in \S+) once/, 'named masked');
    // Ordered as a person does them: variables, then files, then registrations, keys last.
    const order = (prefix: RegExp): number => steps.findIndex((s) => prefix.test(s));
    assert.ok(order(/^Set /) < order(/^Review /) && order(/^Review /) < order(/^Register /) && order(/^Register /) < order(/^Revoke /), steps.join('\n'));
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']) assert.ok(!json.stdout.includes(secret) && !json.stderr.includes(secret));

    const text = await runCli(['fix', '--unsafe', '--fail-on', 'never', WORKFLOW], { cwd: repo });
    assert.equal(text.code, 0, text.stderr);
    const section = text.stdout.slice(text.stdout.indexOf('Next steps:\n'));
    assert.ok(section.startsWith('Next steps:\n  - '), text.stdout);
    assert.match(section, /\n {2}- Review terraform\/keyless-oidc-site-production\.tf \(created\), then apply it with terraform apply/);
    assert.match(section, /\n {2}- Revoke the AWS access key id AKIA…LE /);
    // The created files say it first too.
    assert.match(fs.readFileSync(path.join(repo, TRUSTS[2]!), 'utf8'), /^# Written by Keyless: [^]*?# Needs a person:\n# - Review this file, then apply it with terraform apply/);
    // Nothing left to fix: no next steps.
    const again = await runCli(['fix', '--unsafe', '--format', 'json', '--fail-on', 'never', WORKFLOW], { cwd: repo });
    assert.deepEqual(JSON.parse(again.stdout).followUps, []);
    const scan = await runCli(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: repo });
    assert.equal('followUps' in JSON.parse(scan.stdout), false, 'scan reports have no followUps');
  });
});

describe('keyless fix --dry-run as a patch', () => {
  const git = (cwd: string, ...args: string[]): { status: number | null; stderr: string } => {
    const result = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8' });
    return { status: result.status, stderr: result.stderr };
  };

  test('a diff that quotes no credential applies with git apply, and gives what keyless fix writes', async (t) => {
    if (spawnSync('git', ['--version']).status !== 0) {
      t.skip('git is not installed');
      return;
    }
    const files = {
      '.github/workflows/deploy.yml':
        'name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      # keys from the repository secrets\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n          aws-region: eu-west-1\n      - run: aws s3 sync site s3://example-site\n',
      'terraform/main.tf': 'provider "aws" {\n  region = "eu-west-1"\n}\n',
    };
    const repo = workspace(files);
    const fixedRepo = workspace(files);
    for (const dir of [repo, fixedRepo]) {
      assert.equal(git(dir, 'init', '-q').status, 0);
      assert.equal(git(dir, 'remote', 'add', 'origin', 'https://github.com/acme/site.git').status, 0);
      assert.equal(git(dir, 'add', '-A').status, 0);
      assert.equal(git(dir, 'commit', '-qm', 'init').status, 0);
    }
    // From a folder below the root: the diff still names files from the root.
    const dry = await runCli(['fix', '--unsafe', '--dry-run', '..'], { cwd: path.join(repo, 'terraform') });
    assert.doesNotMatch(dry.stderr, /note: .*masked/, 'nothing was masked');
    fs.writeFileSync(path.join(repo, '..', `${path.basename(repo)}.patch`), dry.stdout);
    const patch = path.join(repo, '..', `${path.basename(repo)}.patch`);
    // git reads a patch's paths from the top of the work tree, as `git diff` writes them.
    const check = git(repo, 'apply', '--check', patch);
    assert.equal(check.status, 0, check.stderr);
    assert.equal(git(repo, 'apply', patch).status, 0);
    fs.rmSync(patch);
    await runCli(['fix', '--unsafe'], { cwd: fixedRepo });
    for (const file of [...Object.keys(files), 'terraform/keyless-oidc-provider-github.tf', 'terraform/keyless-oidc-site-production.tf']) {
      assert.equal(fs.readFileSync(path.join(repo, file), 'utf8'), fs.readFileSync(path.join(fixedRepo, file), 'utf8'), file);
    }
  });

  test('a diff that removes a credential masks it and says it is for review, not for git apply', async () => {
    const { repo } = parentAndRepository();
    const run = await runCli(['fix', '--unsafe', '--dry-run', '--fail-on', 'never', WORKFLOW], { cwd: repo });
    assert.match(run.stdout, /\n- +AWS_ACCESS_KEY_ID: AKIA\*+LE\n/);
    assert.match(run.stderr, /^note: 2 lines of the diff hold a credential, masked: it is for review and does not apply as a patch; run keyless fix without --dry-run to apply it$/m);
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']) assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret));
  });
});
