import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { assertBuilt, fixture, REPO_ROOT, runCli, workspace } from './helpers';

// Arguments, usage errors and exit status 2: nothing here depends on what the engine finds.

const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

describe('keyless command line', { concurrency: true }, () => {
  let cwd: string;
  before(() => {
    assertBuilt();
    cwd = workspace({ 'main.tf': fixture('provider.tf') });
  });

  test('--help prints the usage on stdout and exits 0', async () => {
    for (const args of [['--help'], ['-h'], ['scan', '--help']]) {
      const run = await runCli(args, { cwd });
      assert.equal(run.code, 0, args.join(' '));
      assert.match(run.stdout, /^Usage: keyless scan \[options\] \[PATH\.\.\.\]/);
      for (const option of ['--format', '--output', '--fail-on', '--config', '--help', '--version']) assert.ok(run.stdout.includes(option), option);
      assert.equal(run.stderr, '');
    }
  });

  test('--version prints the version from package.json', async () => {
    const run = await runCli(['--version'], { cwd });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `${version}\n`);
  });

  test('an unknown option is a usage error: exit 2, named on stderr, nothing on stdout', async () => {
    const run = await runCli(['scan', '--frobnicate', '.'], { cwd });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^keyless: unknown option "--frobnicate"\nRun "keyless --help" for usage\.\n$/);
  });

  test('an unknown format or threshold, or an option without its value, is a usage error', async () => {
    const cases: [string[], RegExp][] = [
      [['scan', '--format', 'xml'], /--format must be one of text, json, sarif, github, gitlab \(got "xml"\)/],
      [['scan', '--format=yaml'], /--format must be one of text, json, sarif, github, gitlab \(got "yaml"\)/],
      [['scan', '--fail-on', 'critical'], /--fail-on must be one of error, warning, info, never \(got "critical"\)/],
      [['scan', '--output'], /option --output needs a value/],
      [['scan', '--help=yes'], /option --help takes no value/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { cwd });
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    }
  });

  test('a missing or unknown command is a usage error', async () => {
    const none = await runCli([], { cwd });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^keyless: missing command/);
    const unknown = await runCli(['check', '.'], { cwd });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^keyless: unknown command "check"/);
  });

  test('a missing path exits 2 with "no such file or directory", and nothing is scanned', async () => {
    const run = await runCli(['scan', 'main.tf', 'nope.tf', '--format', 'json'], { cwd });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'keyless: no such file or directory: nope.tf\n');
    assert.equal(run.stdout, '');
  });

  test('a missing --config file exits 2', async () => {
    const run = await runCli(['scan', '--config', 'elsewhere/keyless.yaml'], { cwd });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'keyless: no such file or directory: elsewhere/keyless.yaml\n');
  });

  test('`--` ends the options: what follows is a path', async () => {
    const run = await runCli(['scan', '--format', 'json', '--', '--not-an-option.tf'], { cwd });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'keyless: no such file or directory: --not-an-option.tf\n');
  });
});
