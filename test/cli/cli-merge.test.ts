import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { MergedReport } from '../../server/src/output/merge';
import { assertBuilt, runCli, workspace } from './helpers';

// `keyless merge` as the organisation workflow runs it: each repository scanned with
// `keyless scan --format json`, the reports gathered as `reports/<repository>/keyless.json`, merged.

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const TERRAFORM = `provider "aws" {
  region     = "us-east-1"
  access_key = "${KEY_ID}"
  secret_key = "${SECRET}"
}
`;

const WORKFLOW = `name: deploy
on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: us-east-1
`;

/** Scans `files` in a fresh folder, as a repository's job would, and returns its JSON report's text. */
async function scanReport(files: Record<string, string>): Promise<string> {
  const repository = workspace(files);
  const run = await runCli(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: repository });
  assert.equal(run.code, 0, run.stderr);
  return run.stdout;
}

describe('keyless merge', () => {
  let reports: string;
  let apiReport: string;
  let webReport: string;

  before(async () => {
    assertBuilt();
    apiReport = await scanReport({ 'main.tf': TERRAFORM });
    webReport = await scanReport({ '.github/workflows/deploy.yml': WORKFLOW, 'infra/main.tf': TERRAFORM });
    reports = workspace({ 'reports/api/keyless.json': apiReport, 'reports/web/keyless.json': webReport, 'web-again.json': webReport });
  });

  test('merges two real reports: every finding with its repository, counts by rule and by repository', async () => {
    const run = await runCli(['merge', 'reports/api/keyless.json', 'reports/web/keyless.json'], { cwd: reports });
    assert.equal(run.code, 0, run.stderr);
    const merged = JSON.parse(run.stdout) as MergedReport;
    const api = (JSON.parse(apiReport) as { findings: unknown[] }).findings.length;
    const web = (JSON.parse(webReport) as { findings: unknown[] }).findings.length;
    assert.ok(api > 0 && web > api, `api ${api}, web ${web}`);
    assert.equal(merged.findings.length, api + web);
    assert.deepEqual(merged.counts.byRepository, { api, web });
    assert.equal(merged.counts.findings, api + web);
    assert.equal(merged.counts.duplicates, 0);
    const byRule: Record<string, number> = {};
    for (const f of merged.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    assert.deepEqual(merged.counts.byRule, byRule);
    assert.deepEqual(Object.keys(merged.counts.byRule), Object.keys(byRule).sort());
    assert.deepEqual(
      merged.reports.map((r) => [r.file, r.repository, r.findings]),
      [
        ['reports/api/keyless.json', 'api', api],
        ['reports/web/keyless.json', 'web', web],
      ],
    );
    assert.ok(merged.findings.every((f) => typeof f.fingerprint === 'string' && f.fingerprint.length > 0));
    assert.ok(!run.stdout.includes(KEY_ID) && !run.stdout.includes(SECRET), 'the merged report quotes a credential');
    assert.match(run.stderr, new RegExp(`${api + web} findings from 2 reports \\(2 repositories, 0 duplicates dropped\\)`));
  });

  test('a report named twice, or two reports of one repository, count each finding once', async () => {
    const run = await runCli(['merge', 'reports/web/keyless.json', 'reports/api/keyless.json', 'reports/web/keyless.json'], { cwd: reports });
    assert.equal(run.code, 0, run.stderr);
    const merged = JSON.parse(run.stdout) as MergedReport;
    const web = (JSON.parse(webReport) as { findings: unknown[] }).findings.length;
    assert.equal(merged.counts.duplicates, web);
    assert.equal(merged.counts.byRepository.web, web);
    const keys = merged.findings.map((f) => [f.repository, f.file, f.rule, f.fingerprint].join(' '));
    assert.equal(new Set(keys).size, keys.length);
    // web-again.json is another repository (named by its file): nothing of it is a duplicate.
    const other = JSON.parse((await runCli(['merge', 'reports/web/keyless.json', 'web-again.json'], { cwd: reports })).stdout) as MergedReport;
    assert.deepEqual(other.counts.byRepository, { 'web-again': web, web });
    assert.equal(other.counts.duplicates, 0);
  });

  test('the output is the same bytes whatever order the reports are named in, and --output writes it', async () => {
    const forward = await runCli(['merge', 'reports/api/keyless.json', 'reports/web/keyless.json', 'web-again.json'], { cwd: reports });
    const backward = await runCli(['merge', 'web-again.json', 'reports/web/keyless.json', 'reports/api/keyless.json'], { cwd: reports });
    assert.equal(forward.code, 0, forward.stderr);
    assert.equal(backward.stdout, forward.stdout);
    const merged = JSON.parse(forward.stdout) as MergedReport;
    const order = merged.findings.map((f) => `${f.repository}\u0000${f.file}\u0000${String(f.line).padStart(6, '0')}`);
    assert.deepEqual(order, [...order].sort());
    const written = await runCli(['merge', '-o', 'merged.json', 'web-again.json', 'reports/api/keyless.json', 'reports/web/keyless.json'], { cwd: reports });
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stdout, '');
    assert.equal(fs.readFileSync(path.join(reports, 'merged.json'), 'utf8'), forward.stdout);
  });

  test('a broken, foreign or missing report is a clear error with exit 2, and nothing is written', async () => {
    const folder = workspace({
      'api.json': apiReport,
      'broken.json': apiReport.slice(0, 40),
      'sarif.json': JSON.stringify({ version: '2.1.0', runs: [] }),
      'other.json': JSON.stringify({ version: 1, findings: [{ rule: 'x' }], errors: [] }),
    });
    const cases: [string, RegExp][] = [
      ['broken.json', /keyless: broken\.json is not JSON/],
      ['sarif.json', /keyless: sarif\.json is not a Keyless JSON report \(unsupported version "2\.1\.0"\)/],
      ['other.json', /keyless: other\.json is not a Keyless JSON report \(finding 1: no "severity"\)/],
      ['missing.json', /keyless: cannot read missing\.json/],
    ];
    for (const [bad, message] of cases) {
      const run = await runCli(['merge', '--output', 'merged.json', 'api.json', bad], { cwd: folder });
      assert.equal(run.code, 2, `${bad}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
      assert.ok(!fs.existsSync(path.join(folder, 'merged.json')), `${bad}: merged.json was written`);
    }
    const none = await runCli(['merge'], { cwd: folder });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /merge needs at least one REPORT\nRun "keyless merge --help" for usage\./);
  });

  test('--help says how a report names its repository', async () => {
    const run = await runCli(['merge', '--help'], { cwd: reports });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: keyless merge \[options\] REPORT\.\.\./);
    assert.match(run.stdout, /reports\/api\/keyless\.json → api/);
  });
});
