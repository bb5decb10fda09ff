import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { assertBuilt, findingKeys, fixture, runCli, workspace } from './helpers';

// Which files a scan reads: default path, .gitignore, skipped folders, explicit files, and how
// paths are written back.

const PROVIDER = ['main.tf:3:1 provider-static-credentials', 'main.tf:5:17 hardcoded-secret'];
const under = (folder: string, keys: string[]): string[] => keys.map((k) => `${folder}/${k}`);

describe('keyless scan: files', { concurrency: true }, () => {
  before(assertBuilt);

  test('with no PATH it scans the current folder, paths relative to it', async () => {
    const cwd = workspace({ 'main.tf': fixture('provider.tf'), '.github/workflows/deploy.yml': fixture('workflow.yml'), 'clean.tf': fixture('clean.tf') });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.equal(run.code, 1);
    assert.deepEqual(findingKeys(run.stdout), ['.github/workflows/deploy.yml:11:9 static-cloud-credentials', ...PROVIDER]);
  });

  test('.gitignore is honoured, at the root and in subfolders', async () => {
    // A repository: outside one (and any .keyless.yaml), a PATH is its own workspace, with no folder above it.
    const cwd = workspace({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'generated/\n*.secret.tf\n',
      'main.tf': fixture('provider.tf'),
      'generated/main.tf': fixture('provider.tf'),
      'prod.secret.tf': fixture('provider.tf'),
      'modules/.gitignore': 'vendored.tf\n',
      'modules/vendored.tf': fixture('provider.tf'),
      'modules/kept.tf': fixture('one-line-provider.tf'),
    });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    const kept = ['modules/kept.tf:2:1 provider-static-credentials', 'modules/kept.tf:2:32 hardcoded-secret'];
    assert.deepEqual(findingKeys(run.stdout), [...PROVIDER, ...kept]);
    // A walk that starts lower down still honours the .gitignore files above it.
    fs.writeFileSync(path.join(cwd, 'modules', 'prod.secret.tf'), fixture('provider.tf'));
    const sub = await runCli(['scan', '--format', 'json', 'modules'], { cwd });
    assert.deepEqual(findingKeys(sub.stdout), kept);
  });

  test('in a git repository, the .gitignore files between the repository root and the current folder apply', async () => {
    const root = workspace({ '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': 'generated/\n', 'app/generated/main.tf': fixture('provider.tf'), 'app/main.tf': fixture('clean.tf') });
    const cwd = path.join(root, 'app');
    const walked = await runCli(['scan', '--format', 'json'], { cwd });
    assert.deepEqual(findingKeys(walked.stdout), []);
    // Named on the command line, an ignored folder is scanned, as an ignored file is.
    const named = await runCli(['scan', '--format', 'json', 'generated'], { cwd });
    assert.deepEqual(findingKeys(named.stdout), under('generated', PROVIDER));
  });

  test('node_modules, .git and .terraform are never walked', async () => {
    const cwd = workspace({
      'node_modules/pkg/main.tf': fixture('provider.tf'),
      '.git/hooks/main.tf': fixture('provider.tf'),
      '.terraform/modules/m/main.tf': fixture('provider.tf'),
      'infra/main.tf': fixture('provider.tf'),
    });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.deepEqual(findingKeys(run.stdout), under('infra', PROVIDER));
  });

  test('a file named on the command line is scanned even when .gitignore excludes it', async () => {
    const cwd = workspace({ '.gitignore': 'ignored/\n', 'ignored/main.tf': fixture('provider.tf') });
    const walked = await runCli(['scan', '--format', 'json'], { cwd });
    assert.deepEqual(findingKeys(walked.stdout), []);
    assert.equal(walked.code, 0);
    const named = await runCli(['scan', '--format', 'json', 'ignored/main.tf'], { cwd });
    assert.deepEqual(findingKeys(named.stdout), under('ignored', PROVIDER));
    assert.equal(named.code, 1);
  });

  test('paths are written as given: folders joined, ./ dropped, absolute kept', async () => {
    const cwd = workspace({ 'infra/main.tf': fixture('provider.tf') });
    const relative = await runCli(['scan', '--format', 'json', './infra/'], { cwd });
    assert.deepEqual(findingKeys(relative.stdout), under('infra', PROVIDER));
    const file = await runCli(['scan', '--format', 'json', './infra/main.tf'], { cwd });
    assert.deepEqual(findingKeys(file.stdout), under('infra', PROVIDER));
    const absolute = await runCli(['scan', '--format', 'json', path.join(cwd, 'infra')], { cwd });
    assert.deepEqual(findingKeys(absolute.stdout), under(path.join(cwd, 'infra').split(path.sep).join('/'), PROVIDER));
    const outside = await runCli(['scan', '--format', 'json', '../infra'], { cwd: path.join(cwd, 'infra') });
    assert.deepEqual(findingKeys(outside.stdout), under('../infra', PROVIDER));
  });

  test('several paths: each file once, sorted by path then position, the same on every run', async () => {
    const cwd = workspace({
      'b/main.tf': fixture('provider.tf'),
      'a/one.tf': fixture('one-line-provider.tf'),
      'a/z.yml': fixture('publish.yml'),
      'c.tf': fixture('broken.tf'),
    });
    const args = ['scan', '--format', 'json', '--fail-on', 'never', 'b', 'c.tf', 'a', 'b/main.tf', '.'];
    const first = await runCli(args, { cwd });
    assert.deepEqual(findingKeys(first.stdout), [
      'a/one.tf:2:1 provider-static-credentials',
      'a/one.tf:2:32 hardcoded-secret',
      'a/z.yml:17:11 static-registry-token',
      ...under('b', PROVIDER),
      'c.tf:2:1 long-lived-key',
    ]);
    const second = await runCli(args, { cwd });
    assert.equal(second.stdout, first.stdout);
    assert.equal(first.code, 0);
  });

  test('files of no known kind are passed over, and named ones get a note', async () => {
    const cwd = workspace({ 'README.md': 'AKIAIOSFODNN7EXAMPLE\n', 'main.tf': fixture('clean.tf') });
    const walked = await runCli(['scan'], { cwd });
    assert.equal(walked.code, 0);
    assert.equal(walked.stderr, 'no findings in 1 file\n');
    const named = await runCli(['scan', 'README.md'], { cwd });
    assert.equal(named.code, 0);
    assert.match(named.stderr, /^note: README\.md: not scanned: Keyless reads \.tf, \.tfvars, \.tf\.json, \.yml, \.yaml and \.json files\nno findings in 0 files\n$/);
  });

  test('notes (a Helm template) go to stderr as "note: file: ..."', async () => {
    const cwd = workspace({ 'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' });
    const run = await runCli(['scan'], { cwd });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^note: chart\/templates\/deployment\.yaml: Helm template: [^\n]+\nno findings in 1 file\n$/);
  });

  test('files over the size limit are skipped with a note, whether or not they are read', async () => {
    const padding = `# ${'x'.repeat(1022)}\n`;
    // 5 MB is read and refused by the engine; 13 MB is refused from its size alone.
    const cwd = workspace({ 'big.yaml': padding.repeat(5 * 1024), 'huge.yaml': padding.repeat(13 * 1024), 'main.tf': fixture('clean.tf') });
    const run = await runCli(['scan'], { cwd });
    assert.equal(run.code, 0);
    assert.equal(run.stderr, 'note: big.yaml: skipped: larger than 2 MB\nnote: huge.yaml: skipped: larger than 2 MB\nno findings in 3 files\n');
  });

  test('a byte-order mark is not a column', async () => {
    const providerLine = fixture('one-line-provider.tf').split('\n')[1]!;
    const cwd = workspace({ 'main.tf': `\uFEFF${providerLine}\n` });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.deepEqual(findingKeys(run.stdout), ['main.tf:1:1 provider-static-credentials', 'main.tf:1:32 hardcoded-secret']);
  });

  test('a file that cannot be read is an entry in errors and the scan goes on', async () => {
    const cwd = workspace({ 'main.tf': fixture('provider.tf'), 'locked.tf': fixture('clean.tf') });
    // The folder must be readable by the unprivileged user the CLI may run as; the file must not.
    fs.chmodSync(cwd, 0o755);
    fs.chmodSync(path.join(cwd, 'main.tf'), 0o644);
    fs.chmodSync(path.join(cwd, 'locked.tf'), 0o000);
    const run = await runCli(['scan', '--format', 'json'], { cwd, unprivileged: true });
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as { errors: unknown[] };
    assert.deepEqual(report.errors, [{ file: 'locked.tf', message: 'cannot read the file: permission denied' }]);
    assert.deepEqual(findingKeys(run.stdout), PROVIDER);
    assert.match(run.stderr, /^warning: locked\.tf: cannot read the file: permission denied$/m);
  });
});
