import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { writeTree } from '../../bench/generate';
import { AUTO_WORKER_BYTES, autoWorkerCount, workerPlan } from '../../server/src/cli/pool';
import { scanFile } from '../../server/src/cli/scan-file';
import { createEngine } from '../../server/src/workspace/grammar';
import { RULES } from '../../server/src/rules';
import { assertBuilt, fixture, runCli, THROWING_RULE, workspace, type Run } from './helpers';

// `keyless scan` with worker threads: the same report, byte for byte, whichever thread analyzed a
// file, including the files that cannot be read, parsed or analyzed, and when a worker dies.

const PROBE = path.join(__dirname, 'fixtures', 'worker-probe.cjs');

/** A generated tree of `files` files plus one of each kind of trouble a scan reports. */
function troubledTree(files: number): string {
  const cwd = workspace({
    '.keyless.yaml': 'rules:\n  long-lived-key: warning\nignore:\n  - "repo-000/k8s/app-0/**"\n',
    '.gitignore': 'ignored/\n',
    'ignored/main.tf': fixture('provider.tf'),
    'broken/main.tf': fixture('broken.tf'),
    'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
    'big/huge.yaml': `# ${'x'.repeat(1022)}\n`.repeat(3 * 1024),
    'named/main.tf': fixture('provider.tf'),
  });
  writeTree(cwd, { files });
  return cwd;
}

/** Runs the scan with KEYLESS_WORKERS=`workers` (undefined: the default), counting worker threads. */
async function scan(cwd: string, args: string[], workers: string | undefined, options: { crash?: 'start' | 'mid-scan'; unprivileged?: boolean; load?: number } = {}): Promise<Run & { workers: number; crashed: number }> {
  const log = path.join(fs.mkdtempSync(path.join(path.dirname(cwd), 'keyless-probe-')), 'log');
  fs.writeFileSync(log, '');
  // setpriv runs the CLI as nobody, who must be able to append to the log.
  fs.chmodSync(path.dirname(log), 0o777);
  fs.chmodSync(log, 0o666);
  const run = await runCli(['scan', ...args], {
    cwd,
    unprivileged: options.unprivileged,
    env: { KEYLESS_WORKERS: workers, NODE_OPTIONS: `--require ${PROBE}`, KEYLESS_PROBE_LOG: log, KEYLESS_PROBE_CRASH: options.crash, KEYLESS_PROBE_LOAD: options.load === undefined ? undefined : String(options.load) },
  });
  const lines = fs.readFileSync(log, 'utf8').split('\n');
  fs.rmSync(path.dirname(log), { recursive: true, force: true });
  return { ...run, workers: lines.filter((l) => l === 'worker').length, crashed: lines.filter((l) => l === 'crashed').length };
}

function assertSameRun(actual: Run, expected: Run, what: string): void {
  assert.equal(actual.code, expected.code, `${what}: exit code`);
  assert.equal(actual.stderr, expected.stderr, `${what}: stderr`);
  assert.ok(actual.stdout === expected.stdout, `${what}: stdout differs`);
}

describe('keyless scan with worker threads', { concurrency: true }, () => {
  before(assertBuilt);

  test('a tree of 320 files gives the same report, byte for byte, with and without workers, in every format', async () => {
    const cwd = troubledTree(320);
    for (const format of ['json', 'sarif', 'text']) {
      const args = ['--format', format, '.', 'named/main.tf', 'ignored/main.tf'];
      const alone = await scan(cwd, args, '0');
      assert.equal(alone.workers, 0);
      assert.equal(alone.code, 1);
      const forced = await scan(cwd, args, '2');
      assert.equal(forced.workers, 2, 'KEYLESS_WORKERS=2 starts two workers');
      assertSameRun(forced, alone, `${format}, KEYLESS_WORKERS=2`);
      if (format === 'json') {
        const report = JSON.parse(forced.stdout) as { findings: { file: string; rule: string; severity: string }[]; errors: { file: string; message: string }[] };
        assert.ok(report.findings.length > 100, 'the tree has findings');
        assert.ok(report.findings.some((f) => f.file === 'ignored/main.tf'), 'a named file is scanned though ignored');
        assert.ok(!report.findings.some((f) => f.file.startsWith('repo-000/k8s/app-0/')), 'the ignore globs apply');
        const minted = report.findings.filter((f) => f.rule === 'long-lived-key');
        assert.ok(minted.length > 0 && minted.every((f) => f.severity === 'warning'), 'the rule settings reach the workers');
        assert.deepEqual(report.errors.map((e) => e.file), ['broken/main.tf']);
        // Sorted by file, then position: the order the threads finished in does not show.
        const files = report.findings.map((f) => f.file);
        assert.deepEqual(files, [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

        // Plain JSON data (parsed, not analyzed) early in the walk, past the default plan's byte
        // threshold in pieces under the size limit: the default plan starts its workers.
        fs.mkdirSync(path.join(cwd, 'a-large'));
        const piece = `${JSON.stringify({ items: Array.from({ length: 40_000 }, (_, i) => ({ id: i, name: `item-${i}` })) })}\n`;
        for (let i = 0; i * piece.length <= AUTO_WORKER_BYTES; i++) fs.writeFileSync(path.join(cwd, 'a-large', `data-${i}.json`), piece);
        const largeAlone = await scan(cwd, args, '0');
        const cores = os.availableParallelism();
        const idle = await scan(cwd, args, undefined, { load: 0 });
        assert.equal(idle.workers, cores - 1, 'on an idle machine, one worker per core beyond the first');
        assertSameRun(idle, largeAlone, 'json, default, idle machine');
        const busy = await scan(cwd, args, undefined, { load: cores });
        assert.equal(busy.workers, 0, 'no core idle: no worker');
        assertSameRun(busy, largeAlone, 'json, default, busy machine');
        fs.rmSync(path.join(cwd, 'a-large'), { recursive: true });
      } else if (format === 'text') {
        assert.match(alone.stderr, /^note: big\/huge\.yaml: skipped: larger than 2 MB$/m);
        assert.match(alone.stderr, /^note: chart\/templates\/deployment\.yaml: Helm template/m);
      }
    }
  });

  test('a file that cannot be read is the same error entry when a worker reads it', async () => {
    const cwd = troubledTree(40);
    // Readable folders for the unprivileged user the CLI may run as; one file that is not.
    fs.chmodSync(cwd, 0o755);
    fs.chmodSync(path.join(cwd, 'repo-000', 'infra', 'mod-1', 'file-5.tf'), 0o000);
    const alone = await scan(cwd, ['--format', 'json'], '0', { unprivileged: true });
    const forced = await scan(cwd, ['--format', 'json'], '1', { unprivileged: true });
    assert.equal(forced.workers, 1);
    assertSameRun(forced, alone, 'unreadable file');
    const report = JSON.parse(alone.stdout) as { errors: { file: string; message: string }[] };
    assert.deepEqual(report.errors, [
      { file: 'broken/main.tf', message: report.errors[0]!.message },
      { file: 'repo-000/infra/mod-1/file-5.tf', message: 'cannot read the file: permission denied' },
    ]);
  });

  test('a worker that dies hands its files back to the main thread: the report does not change', async () => {
    const cwd = troubledTree(80);
    const alone = await scan(cwd, ['--format', 'json'], '0');
    const deadOnArrival = await scan(cwd, ['--format', 'json'], '2', { crash: 'start' });
    assert.equal(deadOnArrival.crashed, 2);
    assertSameRun(deadOnArrival, alone, 'workers exiting at start');
    const dyingLater = await scan(cwd, ['--format', 'json'], '1', { crash: 'mid-scan' });
    assert.equal(dyingLater.crashed, 1, 'the worker died after its fifth file');
    assertSameRun(dyingLater, alone, 'a worker exiting mid-scan');
  });

  test('KEYLESS_WORKERS must be a whole number: anything else is a usage error', async () => {
    const cwd = workspace({ 'main.tf': fixture('clean.tf') });
    for (const value of ['two', '-1', '1.5', '65']) {
      const run = await runCli(['scan'], { cwd, env: { KEYLESS_WORKERS: value } });
      assert.equal(run.code, 2, value);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^keyless: KEYLESS_WORKERS must be /, value);
    }
  });
});

describe('scan workers in process', () => {
  test('the default plan puts workers on idle cores only: the main thread takes one, workers the rest', () => {
    assert.equal(autoWorkerCount(2, 0), 1);
    assert.equal(autoWorkerCount(2, 0.4), 1);
    assert.equal(autoWorkerCount(2, 0.6), 0, 'a core and a half idle: the main thread\'s and not quite another');
    assert.equal(autoWorkerCount(2, 1.9), 0);
    assert.equal(autoWorkerCount(2, 28), 0);
    assert.equal(autoWorkerCount(8, 0), 7);
    assert.equal(autoWorkerCount(8, 3.2), 4);
    assert.equal(autoWorkerCount(1, 0), 0, 'one core: the main thread alone');
  });

  test('the plan: default, off, forced, and never without the bundle', () => {
    assert.deepEqual(workerPlan('0', '/x/dist/cli.js'), { workers: 0, threshold: 1, thresholdBytes: 0, script: '/x/dist/cli.js' });
    assert.deepEqual(workerPlan(' 3 ', '/x/dist/cli.js'), { workers: 3, threshold: 1, thresholdBytes: 0, script: '/x/dist/cli.js' });
    const auto = workerPlan(undefined, '/x/dist/cli.js');
    assert.ok(!('error' in auto) && auto.threshold > 1 && auto.thresholdBytes > 0);
    assert.deepEqual(workerPlan('', '/x/dist/cli.js'), auto);
    assert.ok(!('error' in auto) && auto.workers <= os.availableParallelism() - 1);
    // From the TypeScript sources (tests calling main) there is no bundle to start on a thread.
    assert.equal((workerPlan('4', '/x/server/src/cli.ts') as { workers: number }).workers, 0);
    assert.ok('error' in workerPlan('many', '/x/dist/cli.js'));
  });

  test('a rule failure is data in the file outcome, and survives the trip to the main thread', async () => {
    const throws = THROWING_RULE;
    const cwd = workspace({ 'main.tf': fixture('provider.tf') });
    const engine = await createEngine();
    const outcome = scanFile({ absolute: path.join(cwd, 'main.tf'), file: 'main.tf', enginePath: 'main.tf' }, engine, { rules: [throws, ...RULES] });
    assert.deepEqual(outcome.ruleFailures, [{ rule: 'throwing-rule', file: 'main.tf', errorName: 'TypeError' }]);
    assert.equal(outcome.scanned.findings.length, 2);
    // What postMessage does to a worker's reply.
    assert.deepEqual(structuredClone(outcome), outcome);
    assert.ok(!JSON.stringify(outcome.ruleFailures).includes('AKIA'));
  });
});
