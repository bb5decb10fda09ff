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
