import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertBuilt, fixture, runCli, workspace } from './helpers';

// Exit status 0/1 against each --fail-on threshold, with findings at each severity.

/** Exit status per `--fail-on` value (undefined: the option left out). */
async function exitCodes(cwd: string, thresholds: (string | undefined)[]): Promise<number[]> {
  return Promise.all(thresholds.map((t) => runCli(t === undefined ? ['scan'] : ['scan', '--fail-on', t], { cwd }).then((r) => r.code)));
}

describe('keyless scan: exit status', { concurrency: true }, () => {
  before(assertBuilt);

  test('no findings: 0 even at the lowest threshold', async () => {
    const cwd = workspace({ 'main.tf': fixture('clean.tf') });
    assert.deepEqual(await exitCodes(cwd, [undefined, 'info']), [0, 0]);
  });

  test('an error: 1 by default (the threshold is error) and at error, 0 with never', async () => {
    const cwd = workspace({ 'main.tf': fixture('provider.tf') });
    assert.deepEqual(await exitCodes(cwd, [undefined, 'error', 'never']), [1, 1, 0]);
  });

  test('only a warning: 0 by default, 1 from --fail-on warning down', async () => {
    const cwd = workspace({ '.github/workflows/release.yml': fixture('publish.yml') });
    assert.deepEqual(await exitCodes(cwd, [undefined, 'warning', 'info']), [0, 1, 1]);
  });

  test('only an info (a severity set in .keyless.yaml): 1 only for --fail-on info', async () => {
    const cwd = workspace({ '.github/workflows/release.yml': fixture('publish.yml'), '.keyless.yaml': 'rules:\n  static-registry-token: info\n' });
    assert.deepEqual(await exitCodes(cwd, ['warning', 'info']), [0, 1]);
  });

  test('the threshold counts effective severities: errors demoted to warning pass --fail-on error', async () => {
    const cwd = workspace({ 'main.tf': fixture('provider.tf'), '.keyless.yaml': 'rules:\n  hardcoded-secret: warning\n  provider-static-credentials: warning\n' });
    assert.deepEqual(await exitCodes(cwd, ['error', 'warning']), [0, 1]);
  });
});

describe('keyless scan: a file whose analysis could not complete', { concurrency: true }, () => {
  before(assertBuilt);

  // A billion-laughs bomb whose aliases a CloudFormation policy walks: the reader stops at the
  // alias budget; the key pair beside it is still found by the secret scan.
  const names = 'abcdefghi';
  const bomb = [`  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`, ...[...names.slice(1)].map((n, i) => `  ${n}: &${n} [${Array(9).fill(`*${names[i]}`).join(', ')}]`)].join('\n');
  const template = `AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n${bomb}\nResources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement: *i\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE\n          AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`;

  test('exit 2 whatever --fail-on says, the failure reported as an error, the key pair still found', async () => {
    const cwd = workspace({ 'template.yaml': template, 'main.tf': fixture('clean.tf') });
    assert.deepEqual(await exitCodes(cwd, [undefined, 'never']), [2, 2]);
    const json = await runCli(['scan', '--format', 'json', '--fail-on', 'never'], { cwd });
    assert.equal(json.code, 2);
    const report = JSON.parse(json.stdout) as { findings: { file: string; rule: string }[]; errors: { file: string; message: string }[] };
    assert.deepEqual(report.errors, [{ file: 'template.yaml', message: 'YAML aliases expand to more than 100,000 nodes (an alias bomb?): reading stopped there; the secret scan still ran' }]);
    assert.ok(report.findings.some((f) => f.file === 'template.yaml' && f.rule === 'hardcoded-secret'));
    const text = await runCli(['scan'], { cwd });
    assert.match(text.stderr, /^error: template\.yaml: YAML aliases expand/m);
    assert.ok(!text.stdout.includes('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'));
  });

  test('a syntax error the parser recovered from is not a failure: the exit status is the findings\'', async () => {
    const cwd = workspace({ 'main.tf': `${fixture('clean.tf')}\nresource "x" "y" {\n` });
    assert.deepEqual(await exitCodes(cwd, [undefined]), [0]);
  });
});
