import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

/**
 * A clone without ../shared/ (the corpus, RULES.md, the SARIF schema) must not pass the checks
 * that need it as if they had run: each reports itself skipped, with a reason, so the runner's
 * summary counts it. This runs those tests against an empty folder in place of ../shared/ and
 * holds them to it; and it keeps new tests on the one helper (test/shared.ts) that knows where
 * the folder is and how to skip.
 */

const ROOT = path.resolve(__dirname, '..', '..');

function testSources(dir = path.join(ROOT, 'test')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'node_modules' || entry.name === 'golden' ? [] : testSources(full);
    return /\.(ts|mjs|js)$/.test(entry.name) ? [full] : [];
  });
}

test('only test/shared.ts names the ../shared folder: every other test asks it', () => {
  const own = path.join(ROOT, 'test', 'shared.ts');
  const self = __filename;
  // A path built to the folder (path.join(…, 'shared'), '../../shared/…'), not an import of the helper.
  const direct = /(?<!from )['"`](?:\.\.\/)+shared\b|['"`]shared['"`]/;
  const offenders = testSources()
    .filter((file) => file !== own && file !== self)
    .filter((file) => fs.readFileSync(file, 'utf8').split('\n').some((line) => !/^\s*(\/\/|\*|\/\*)/.test(line) && direct.test(line)))
    .map((file) => path.relative(ROOT, file));
  assert.deepEqual(offenders, [], 'use sharedPath / unlessShared from test/shared.ts');
});

test('without ../shared/, every check that needs it is reported skipped, none passes, none fails', { timeout: 300_000 }, () => {
  const files = testSources()
    .filter((file) => file.endsWith('.test.ts') && file !== __filename)
    .filter((file) => /\b(unlessShared|seedSets)\b/.test(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(ROOT, file));
  assert.ok(files.length >= 7, `the suites that read ../shared/: ${files.join(', ')}`);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-no-shared-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, KEYLESS_SHARED_DIR: empty };
    // This file runs under the test runner too: its children must not report into this run.
    delete env.NODE_TEST_CONTEXT;
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=tap', "--test-name-pattern=corpus|shared|SARIF 2\\.1\\.0 schema|GitLab's (SAST report )?schema", ...files],
      { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(run.stdout)?.[1] ?? NaN);
    const summary = `tests ${count('tests')}, pass ${count('pass')}, fail ${count('fail')}, skipped ${count('skipped')}`;
    assert.equal(run.status, 0, `${summary}\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
    assert.equal(count('fail'), 0, summary);
    assert.equal(count('pass'), 0, `a test that needs ../shared/ passed without it (${summary}):\n${run.stdout.split('\n').filter((l) => /^\s*ok /.test(l) && !/# SKIP/.test(l)).join('\n')}`);
    // Node 20 also reports the tests the name pattern left out as skipped; only ours carry a reason.
    const reasons = run.stdout.split('\n').filter((l) => /# SKIP/.test(l) && !/# SKIP test name does not match pattern$/.test(l));
    for (const line of reasons) assert.match(line, /not found \(a clone outside the workplace\): .+ not checked/, line);
    // The corpus, the catalog, the SARIF and GitLab schemas, fix safety, mutation, and the corpus halves of
    // the invariance (3) and incremental-YAML (2) suites.
    assert.ok(reasons.length >= 10, `${reasons.length} skipped with a reason (${summary}):\n${reasons.join('\n')}`);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
