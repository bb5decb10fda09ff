import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { assertBuilt, findingKeys, REPO_ROOT, runCli, workspace } from './helpers';
import { MIXED_FIXES_WORKFLOW } from '../fixtures/workflows';

// `keyless fix` as users run it: the built CLI in a child process, on scratch copies of examples/
// that are clones of github.com/acme/site (a .git/config with that remote).

const GIT_CONFIG = '[core]\n\tbare = false\n[remote "origin"]\n\turl = https://github.com/acme/site.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';
const WORKFLOW = '.github/workflows/deploy.yml';
const SUMMARY = /^(\d+) fix(?:es)? applied in (\d+) files? \((\d+) files? created\); (\d+) findings? left( \(dry run: nothing written\))?$/m;

/** A scratch copy of examples/ with a git remote, plus `files`. */
function exampleRepository(files: Record<string, string> = {}): string {
  const root = workspace({ '.git/config': GIT_CONFIG, ...files });
  fs.cpSync(path.join(REPO_ROOT, 'examples'), root, { recursive: true });
  return root;
}

/** Every file of a tree (but .git), path → text: to see what a run changed. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(full);
      } else {
        files.set(path.relative(root, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
      }
    }
  };
  walk(root);
  return files;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file)).sort();
}

function summary(stderr: string): { applied: number; files: number; created: number; left: number; dryRun: boolean } {
  const match = SUMMARY.exec(stderr);
  assert.ok(match, `a summary line on stderr:\n${stderr}`);
  return { applied: Number(match[1]), files: Number(match[2]), created: Number(match[3]), left: Number(match[4]), dryRun: match[5] !== undefined };
}

const MIXED = MIXED_FIXES_WORKFLOW;

before(assertBuilt);

describe('keyless fix', () => {
  test('--help prints the fix usage; the top-level help lists both commands', async () => {
    const cwd = workspace({});
    const fixHelp = await runCli(['fix', '--help'], { cwd });
    assert.equal(fixHelp.code, 0);
    assert.match(fixHelp.stdout, /^Usage: keyless fix \[options\] \[PATH\.\.\.\]/);
    for (const option of ['--rule', '--unsafe', '--dry-run', '--format', '--output', '--fail-on', '--config']) assert.ok(fixHelp.stdout.includes(option), option);
    const help = await runCli(['--help'], { cwd });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: keyless scan /);
    assert.match(help.stdout, /\nUsage: keyless fix /);
  });

  test('--dry-run prints a diff of every change, credential values masked, and writes nothing', async () => {
    const cwd = exampleRepository();
    const before = snapshot(cwd);
    const run = await runCli(['fix', '--unsafe', '--dry-run', '--format', 'json'], { cwd });
    assert.equal(run.code, 1, 'findings are left');
    assert.deepEqual(changedFiles(before, snapshot(cwd)), [], 'nothing written');
    // The diff is standard output; the report goes to standard error beside it.
    assert.match(run.stdout, /^--- a\/\.github\/workflows\/deploy\.yml\n\+\+\+ b\/\.github\/workflows\/deploy\.yml\n@@ /);
    assert.match(run.stdout, /\n--- \/dev\/null\n\+\+\+ b\/terraform\/keyless-oidc-site-production\.tf\n@@ -0,0 \+1,\d+ @@\n\+# Written by Keyless/);
    assert.match(run.stdout, /\n\+ +role-to-assume: arn:aws:iam::\$\{\{ vars\.AWS_ACCOUNT_ID \}\}:role\/gha-site-production\n/);
    assert.match(run.stdout, /\n- +AWS_ACCESS_KEY_ID: AKIA\*+LE\n/, 'the removed key line is masked');
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'xoxb-']) assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${secret} is never printed`);
    const counts = summary(run.stderr);
    assert.equal(counts.dryRun, true);
    assert.ok(counts.applied >= 4 && counts.created === 3, JSON.stringify(counts));
    const report = run.stderr.slice(0, run.stderr.indexOf('\n}\n') + 3);
    assert.equal(findingKeys(report).length, counts.left, 'the report is of what would be left');
  });

  test('rewrites the workflow to OIDC and creates the trust files; a second run changes nothing', async () => {
    const cwd = exampleRepository();
    const before = snapshot(cwd);
    const run = await runCli(['fix', '--unsafe', WORKFLOW, '--format', 'json'], { cwd });
    assert.equal(run.code, 0, `nothing at error level is left in the workflow:\n${run.stdout}\n${run.stderr}`);
    const after = snapshot(cwd);
    assert.deepEqual(changedFiles(before, after), [
      WORKFLOW,
      'terraform/keyless-oidc-provider-github.tf',
      'terraform/keyless-oidc-site-main.tf',
      'terraform/keyless-oidc-site-production.tf',
    ]);
    const workflow = after.get(WORKFLOW)!;
    assert.match(workflow, /role-to-assume: arn:aws:iam::\$\{\{ vars\.AWS_ACCOUNT_ID \}\}:role\/gha-site-production/);
    assert.match(workflow, /id-token: write/);
    assert.ok(!workflow.includes('aws-access-key-id') && !workflow.includes('AKIAIOSFODNN7EXAMPLE'));
    assert.match(after.get('terraform/keyless-oidc-site-production.tf')!, /"token\.actions\.githubusercontent\.com:sub" = "repo:acme\/site:environment:production"/);
    // Four fixes: the deploy job's rewrite, the smoke test's literal keys read from secrets (hardcoded-secret), then its
    // rewrite (a round later: both rewrites would write the provider), trusted publishing.
    assert.deepEqual(summary(run.stderr), { applied: 4, files: 4, created: 3, left: 0, dryRun: false });
    assert.deepEqual(JSON.parse(run.stdout).findings, []);

    const again = await runCli(['fix', '--unsafe', WORKFLOW], { cwd });
    assert.equal(again.code, 0);
    assert.deepEqual(changedFiles(after, snapshot(cwd)), [], 'the second run changes nothing');
    assert.deepEqual(summary(again.stderr), { applied: 0, files: 0, created: 0, left: 0, dryRun: false });
  });

  test('without --unsafe only safe fixes apply; --rule limits to the rules named', async () => {
    const cwd = exampleRepository({ '.github/workflows/mixed.yml': MIXED });
    const mixed = '.github/workflows/mixed.yml';

    const onlyUnsafe = await runCli(['fix', '--rule', 'static-cloud-credentials', mixed, '--format', 'json'], { cwd });
    assert.equal(summary(onlyUnsafe.stderr).applied, 0, 'the rewrite is unsafe: not applied without --unsafe');
    assert.equal(fs.readFileSync(path.join(cwd, mixed), 'utf8'), MIXED);

    const safe = await runCli(['fix', mixed, '--format', 'json', '--fail-on', 'never'], { cwd });
    assert.equal(safe.code, 0);
    // Left: the static keys and the legacy job on the default token (workflow-permissions), both unsafe to fix.
    assert.deepEqual(summary(safe.stderr), { applied: 1, files: 1, created: 0, left: 2, dryRun: false });
    assert.equal(fs.readFileSync(path.join(cwd, mixed), 'utf8'), MIXED.replace('role-duration-seconds: 43200', 'role-duration-seconds: 3600'));
    assert.deepEqual(findingKeys(safe.stdout), [`${mixed}:2:1 workflow-permissions`, `${mixed}:21:9 static-cloud-credentials`]);

    const rewrite = await runCli(['fix', '--unsafe', '--rule=hardcoded-secret,static-cloud-credentials', mixed], { cwd });
    assert.equal(rewrite.code, 0);
    assert.equal(summary(rewrite.stderr).applied, 1);
    assert.ok(fs.existsSync(path.join(cwd, 'terraform', 'keyless-oidc-site-main.tf')), 'the trust of branch main is written');
    // The rule filter held: the example workflow beside it was not touched.
    assert.equal(fs.readFileSync(path.join(cwd, WORKFLOW), 'utf8'), fs.readFileSync(path.join(REPO_ROOT, 'examples', WORKFLOW), 'utf8'));
  });

  test('never writes keyless-ignore comments, and never overwrites a file a fix would create', async () => {
    const mine = '# mine, kept out of git\n';
    const cwd = exampleRepository({ '.gitignore': 'terraform/keyless-oidc-site-production.tf\n' });
    fs.writeFileSync(path.join(cwd, 'terraform', 'keyless-oidc-site-production.tf'), mine);
    const run = await runCli(['fix', '--unsafe', WORKFLOW], { cwd });
    assert.equal(fs.readFileSync(path.join(cwd, 'terraform', 'keyless-oidc-site-production.tf'), 'utf8'), mine);
    const workflow = fs.readFileSync(path.join(cwd, WORKFLOW), 'utf8');
    assert.ok(workflow.includes('aws-access-key-id'), 'the rewrite that would overwrite the file is not applied');
    assert.ok(!workflow.includes('keyless-ignore'));
    // The workflow-permissions fix did apply: the job blocks it writes move the step down four lines.
    assert.match(run.stdout, /deploy\.yml:21:9 error static-cloud-credentials/);
    assert.equal(run.code, 1);
  });

  test('exit 2 on a usage error, a missing path or a file that cannot be written', async () => {
    const cwd = exampleRepository();
    for (const [args, message] of [
      [['fix', '--rule', 'no-such-rule'], /--rule: unknown rule "no-such-rule"/],
      [['fix', '--frobnicate'], /unknown option "--frobnicate"\nRun "keyless fix --help" for usage/],
      [['fix', '--format', 'xml'], /--format must be one of text, json, sarif/],
      [['fix', 'missing.yml'], /no such file or directory: missing\.yml/],
    ] as const) {
      const run = await runCli(args, { cwd });
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    }
    // Readable, not writable, for the unprivileged user the CLI runs as under root.
    for (const dir of ['', '.github', '.github/workflows', 'terraform']) fs.chmodSync(path.join(cwd, dir), 0o755);
    fs.chmodSync(path.join(cwd, '.git'), 0o755);
    fs.chmodSync(path.join(cwd, '.git', 'config'), 0o644);
    fs.chmodSync(path.join(cwd, WORKFLOW), 0o444);
    const locked = await runCli(['fix', '--unsafe', WORKFLOW], { cwd, unprivileged: true });
    assert.equal(locked.code, 2, locked.stderr);
    assert.match(locked.stderr, /keyless: cannot write (?:\.github\/workflows\/deploy\.yml|terraform\/keyless-oidc-[a-z-]+\.tf): permission denied/);
  });

  test('exit status follows what is left: 0 below --fail-on, 1 at or above it', async () => {
    const cwd = exampleRepository({ '.github/workflows/mixed.yml': MIXED });
    const mixed = '.github/workflows/mixed.yml';
    const left = await runCli(['fix', mixed, '--dry-run'], { cwd });
    assert.equal(left.code, 1, 'the static keys are left, an error');
    const never = await runCli(['fix', mixed, '--dry-run', '--fail-on', 'never'], { cwd });
    assert.equal(never.code, 0);
    const fixed = await runCli(['fix', '--unsafe', mixed], { cwd });
    assert.equal(fixed.code, 0);
    assert.equal(summary(fixed.stderr).left, 0);
  });
});
