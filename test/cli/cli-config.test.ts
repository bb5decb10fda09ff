import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { assertBuilt, findingKeys, fixture, runCli, workspace } from './helpers';

// `.keyless.yaml` from the current folder (or --config): rule settings, ignore globs, and a broken
// config that is reported with its place and still applies where it is valid.

interface Finding {
  rule: string;
  severity: string;
  file: string;
}

function findings(stdout: string): Finding[] {
  return (JSON.parse(stdout) as { findings: Finding[] }).findings;
}

describe('keyless scan: .keyless.yaml', { concurrency: true }, () => {
  before(assertBuilt);

  test('a rule set to off reports nothing', async () => {
    const cwd = workspace({ 'main.tf': fixture('provider.tf'), '.keyless.yaml': 'rules:\n  provider-static-credentials: off\n' });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.deepEqual(findingKeys(run.stdout), ['main.tf:5:17 hardcoded-secret']);
  });

  test('a severity override changes the reported severity', async () => {
    const cwd = workspace({ 'main.tf': fixture('provider.tf'), '.keyless.yaml': 'rules:\n  hardcoded-secret: info\n' });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.deepEqual(
      findings(run.stdout).map((f) => `${f.rule} ${f.severity}`),
      ['provider-static-credentials error', 'hardcoded-secret info'],
    );
  });

  test('ignore globs, relative to the current folder, skip files and folders', async () => {
    const cwd = workspace({
      '.keyless.yaml': 'ignore:\n  - "legacy/**"\n  - "*.generated.tf"\n  - infra/sandbox\n',
      'legacy/main.tf': fixture('provider.tf'),
      'infra/app.generated.tf': fixture('provider.tf'),
      'infra/sandbox/main.tf': fixture('provider.tf'),
      'infra/main.tf': fixture('one-line-provider.tf'),
    });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.deepEqual(findingKeys(run.stdout), ['infra/main.tf:2:1 provider-static-credentials', 'infra/main.tf:2:32 hardcoded-secret']);
    // The globs are the workspace's: a scan started on a subfolder honours them all the same.
    const sub = await runCli(['scan', '--format', 'json', 'infra'], { cwd });
    assert.deepEqual(findingKeys(sub.stdout), ['infra/main.tf:2:1 provider-static-credentials', 'infra/main.tf:2:32 hardcoded-secret']);
  });

  test('a file named on the command line but matching an ignore glob is not scanned, and says why', async () => {
    const cwd = workspace({ '.keyless.yaml': 'ignore:\n  - "legacy/**"\n', 'legacy/main.tf': fixture('provider.tf') });
    const run = await runCli(['scan', 'legacy/main.tf'], { cwd });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^note: legacy\/main\.tf: not scanned: matches an "ignore" glob in \.keyless\.yaml$/m);
  });

  test('an invalid config names file:line:column on stderr, and its valid entries still apply', async () => {
    const config = ['rules:', '    provider-static-credentials: off', '    foo: warning', '    hardcoded-secret: loud', 'ignore:', '  - "legacy/**"', 'colour: yes', ''].join('\n');
    const cwd = workspace({ '.keyless.yaml': config, 'main.tf': fixture('provider.tf'), 'legacy/main.tf': fixture('provider.tf') });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.equal(run.code, 1);
    assert.deepEqual(run.stderr.split('\n').slice(0, 3), [
      '.keyless.yaml:3:5: unknown rule "foo"',
      '.keyless.yaml:4:23: rule "hardcoded-secret": expected off, error, warning or info',
      '.keyless.yaml:7:1: unknown key "colour" (expected "rules", "ignore" or "oidc")',
    ]);
    assert.deepEqual(findingKeys(run.stdout), ['main.tf:5:17 hardcoded-secret']);
  });

  test('YAML that does not parse is reported the same way and the defaults apply', async () => {
    const cwd = workspace({ '.keyless.yaml': 'rules: [off\n', 'main.tf': fixture('provider.tf') });
    const run = await runCli(['scan', '--format', 'json'], { cwd });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^\.keyless\.yaml:\d+:\d+: not valid YAML: /);
    assert.deepEqual(findingKeys(run.stdout), ['main.tf:3:1 provider-static-credentials', 'main.tf:5:17 hardcoded-secret']);
  });

  test('--config reads another file, named as given in its messages; ./.keyless.yaml is then not read', async () => {
    const cwd = workspace({
      '.keyless.yaml': 'rules:\n  hardcoded-secret: off\n',
      'ci/keyless.yaml': 'rules:\n  provider-static-credentials: off\n  nope: off\n',
      'main.tf': fixture('provider.tf'),
    });
    const run = await runCli(['scan', '--format', 'json', '--config', path.join('ci', 'keyless.yaml')], { cwd });
    assert.equal(run.stderr, 'ci/keyless.yaml:3:3: unknown rule "nope"\n');
    assert.deepEqual(findingKeys(run.stdout), ['main.tf:5:17 hardcoded-secret']);
  });
});
