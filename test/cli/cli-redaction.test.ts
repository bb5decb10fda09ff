import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { digitlessSecret, fakeKeyPair, LEAK_CLASSES, plantedIn } from '../property/leak-classes';
import { assertBuilt, fixture, runCli, workspace, type Run } from './helpers';

// Secrets are toxic: no credential value reaches any output, in any format, on either stream,
// including the source lines the text format quotes and the rule pages SARIF embeds.

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const ENV_KEYS_WORKFLOW = `name: ci
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: ${KEY_ID}
      AWS_SECRET_ACCESS_KEY: ${SECRET}
    steps:
      - run: aws s3 ls
`;

// The secret follows its name with a space, not ":" or "=": no detector names it, yet the line is
// quoted for the login command's finding.
const LOGIN_WORKFLOW = `name: login
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: aws configure set aws_access_key_id ${KEY_ID} && aws configure set aws_secret_access_key ${SECRET}
`;

function assertNoSecret(where: string, text: string): void {
  assert.ok(!text.includes(KEY_ID), `${where} contains the access key id`);
  assert.ok(!text.includes(SECRET), `${where} contains the secret access key`);
}

describe('keyless scan: credential values never leave the process', { concurrency: true }, () => {
  before(assertBuilt);

  const files = {
    'infra/main.tf': fixture('provider.tf'),
    'infra/one-line.tf': fixture('one-line-provider.tf'),
    '.github/workflows/env.yml': ENV_KEYS_WORKFLOW,
    '.github/workflows/login.yml': LOGIN_WORKFLOW,
  };

  for (const format of ['text', 'json', 'sarif']) {
    test(`--format ${format}: neither the key id nor the secret in stdout, stderr or --output`, async () => {
      const cwd = workspace(files);
      assert.ok(fs.readFileSync(path.join(cwd, 'infra/main.tf'), 'utf8').includes(KEY_ID), 'the fixture holds the key');
      const run = await runCli(['scan', '--format', format], { cwd });
      assert.equal(run.code, 1);
      assert.ok(run.stdout.length > 0);
      assertNoSecret('stdout', run.stdout);
      assertNoSecret('stderr', run.stderr);
      const written = await runCli(['scan', '--format', format, '--output', 'report.out'], { cwd });
      assertNoSecret('stderr', written.stderr);
      assertNoSecret('the --output file', fs.readFileSync(path.join(cwd, 'report.out'), 'utf8'));
    });
  }

  test('text: the quoted line keeps at most the first 4 and last 2 characters of each value', async () => {
    const cwd = workspace(files);
    const run = await runCli(['scan', '--format', 'text'], { cwd });
    assert.ok(run.stdout.includes('  5 |   access_key = "AKIA**************LE"'), run.stdout);
    assert.ok(run.stdout.includes('  2 | provider "aws" { access_key = "AKIA**************LE" }'), run.stdout);
    assert.ok(run.stdout.includes('  7 |       AWS_ACCESS_KEY_ID: AKIA**************LE'), run.stdout);
    assert.ok(run.stdout.includes(`aws_secret_access_key wJal${'*'.repeat(SECRET.length - 6)}EY`), run.stdout);
  });

  test('text: a value is masked even when hardcoded-secret is turned off or suppressed', async () => {
    const off = workspace({ ...files, '.keyless.yaml': 'rules:\n  hardcoded-secret: off\n' });
    const suppressed = workspace({ 'main.tf': `provider "aws" { access_key = "${KEY_ID}" } # keyless-ignore hardcoded-secret: rotated\n` });
    for (const cwd of [off, suppressed]) {
      const run = await runCli(['scan', '--format', 'text'], { cwd });
      assert.equal(run.code, 1);
      assert.ok(run.stdout.includes('provider-static-credentials'));
      assert.ok(!run.stdout.includes(' hardcoded-secret '), 'the rule did not report');
      assertNoSecret('stdout', run.stdout);
    }
  });
});

/** Every string of a parsed JSON or SARIF report, joined: where a message's quotes are not escaped. */
function stringsOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(stringsOf).join('\n');
  if (value !== null && typeof value === 'object') return Object.values(value).map(stringsOf).join('\n');
  return '';
}

// Each way a value has leaked (issue 7): names quoted by messages, parser errors quoting the source,
// printed source lines. One workspace holds a file per class with its own key pair; each format
// runs once, and each class is checked in each: its planted values absent from stdout and stderr,
// and its leak site exercised (the masked name, error or line is there).
describe('keyless scan: every way a value leaked is closed, in every format', { concurrency: true }, () => {
  const runs = new Map<string, Run>();
  before(async () => {
    assertBuilt();
    const cwd = workspace(Object.fromEntries(LEAK_CLASSES.map((c) => [c.path, c.text])));
    await Promise.all(['text', 'json', 'sarif'].map(async (format) => runs.set(format, await runCli(['scan', '--format', format], { cwd }))));
  });

  for (const leak of LEAK_CLASSES) {
    test(leak.name, () => {
      for (const [format, run] of runs) {
        assert.deepEqual(plantedIn(leak, run.stdout), [], `${format} stdout`);
        assert.deepEqual(plantedIn(leak, run.stderr), [], `${format} stderr`);
        const fileLine = run.stdout.split('\n').some((line) => line.includes(leak.path));
        const report = format === 'text' ? run.stdout + run.stderr : stringsOf(JSON.parse(run.stdout));
        if (leak.quotedIn === 'source-line') {
          assert.ok(format !== 'text' || report.includes(leak.marker), `the text report prints the masked line: ${leak.marker}`);
          assert.ok(fileLine || format === 'sarif', `${format} reports ${leak.path}`);
        } else {
          assert.ok(report.includes(leak.marker), `${format} quotes the masked ${leak.quotedIn}: ${leak.marker}`);
        }
        if (leak.rule !== undefined) assert.ok(run.stdout.includes(leak.rule), `${format} reports ${leak.rule}`);
      }
    });
  }
});

// `keyless fix --dry-run` prints the lines around each change: those are quoted from the file too.
// A context line holds a key id glued to a word and a secret with no digit and no name, and the
// removed lines hold the pair the fix takes out; none of them may print.
describe('keyless fix --dry-run: diff lines go through the same redactor', () => {
  const glued = fakeKeyPair('DIFFGLUE');
  const removed = fakeKeyPair('DIFFENV');
  const digitless = digitlessSecret('DIFFLINE');
  const WORKFLOW = `name: ci
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    # rotated: access${glued.keyId} ${digitless}
    env:
      AWS_ACCESS_KEY_ID: ${removed.keyId}
      AWS_SECRET_ACCESS_KEY: ${removed.secret}
    steps:
      - run: aws s3 ls
`;

  test('no planted value in the diff or the report beside it', async () => {
    assertBuilt();
    const cwd = workspace({ '.github/workflows/env.yml': WORKFLOW });
    const run = await runCli(['fix', '--unsafe', '--dry-run'], { cwd });
    assert.match(run.stdout, /^--- a\/\.github\/workflows\/env\.yml\n/, run.stderr);
    assert.match(run.stdout, /\n {5}# rotated: acce\*+\S\S diff\*+\S\S\n/, 'the context line is there, masked');
    assert.match(run.stdout, /\n- {6}AWS_ACCESS_KEY_ID: AKIA\*{14}\S\S\n/, 'the removed line is there, masked');
    for (const [what, pair] of [['glued', glued], ['removed', removed], ['digitless', { keyId: glued.keyId, secret: digitless }]] as const) {
      assert.deepEqual(plantedIn(pair, run.stdout), [], `${what}: stdout`);
      assert.deepEqual(plantedIn(pair, run.stderr), [], `${what}: stderr`);
    }
  });
});
