import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, test } from 'node:test';
import Ajv from 'ajv';
import { escapeData, escapeProperty, workflowCommand } from '../../server/src/output/github';
import { RULES } from '../../server/src/rules';
import { sharedPath, unlessShared } from '../shared';
import { assertBuilt, fixture, runCli, workspace } from './helpers';

// The formats for pipelines: GitHub workflow-command annotations, GitLab's SAST report (against
// GitLab's schema), --quiet, and the colour rule.

function sampleWorkspace(): string {
  return workspace({
    'infra/main.tf': fixture('provider.tf'),
    'infra/broken.tf': fixture('broken.tf'),
    '.github/workflows/deploy.yml': fixture('workflow.yml'),
    '.github/workflows/release.yml': fixture('publish.yml'),
    '.keyless.yaml': 'rules:\n  long-lived-key: info\n',
  });
}

describe('GitHub workflow-command escaping', () => {
  test('data escapes %, CR and LF; properties also : and ,', () => {
    assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
    // The order matters: % first, or the escapes themselves would be escaped.
    assert.equal(escapeData('%0A'), '%250A');
  });

  test('a message cannot end its command and start another', () => {
    const line = workflowCommand('error', { file: 'x,y:z.tf', line: 1 }, 'bad\n::set-output name=x::1');
    assert.equal(line, '::error file=x%2Cy%3Az.tf,line=1::bad%0A::set-output name=x::1');
    assert.equal(line.split('\n').length, 1);
  });
});

describe('keyless scan: pipeline formats', { concurrency: true }, () => {
  let cwd: string;
  before(() => {
    assertBuilt();
    cwd = sampleWorkspace();
  });

  test('github: one annotation per finding, severity mapped, positions 1-based, problems annotated', async () => {
    const run = await runCli(['scan', '--format', 'github'], { cwd });
    assert.equal(run.code, 1);
    const lines = run.stdout.trimEnd().split('\n');
    const heads = lines.map((l) => /^::(\w+) ([^:]*)::/.exec(l)?.slice(1, 3).join(' '));
    assert.deepEqual(heads, [
      'error file=.github/workflows/deploy.yml,line=11,col=9,endLine=11,endColumn=55,title=static-cloud-credentials',
      'warning file=.github/workflows/release.yml,line=17,col=11,endLine=17,endColumn=52,title=static-registry-token',
      'notice file=infra/broken.tf,line=2,col=1,endLine=2,endColumn=37,title=long-lived-key',
      'warning file=infra/broken.tf,line=8,title=keyless',
      'error file=infra/main.tf,line=3,col=1,endLine=3,endColumn=17,title=provider-static-credentials',
      'error file=infra/main.tf,line=5,col=17,endLine=5,endColumn=37,title=hardcoded-secret',
    ]);
    // Redacted, as every format: the key id is masked.
    assert.match(run.stdout, /AKIA…LE/);
    assert.doesNotMatch(run.stdout, /AKIA[A-Z0-9]{16}/);
    assert.doesNotMatch(run.stderr, /findings? \(/, 'the summary line is for the text format');
  });

  test('github: paths are relative to the current folder when PATH is absolute', async () => {
    const run = await runCli(['scan', '--format', 'github', `${cwd}/infra/main.tf`], { cwd });
    assert.match(run.stdout, /^::error file=infra\/main\.tf,line=3,/m);
  });

  const GITLAB_SCHEMA = 'schemas/gitlab-sast-report-format-15.1.4.json';
  test('gitlab: valid against GitLab\'s SAST report schema 15.1.4', { skip: unlessShared(GITLAB_SCHEMA, 'GitLab output against the SAST report schema') }, async () => {
    const run = await runCli(['scan', '--format', 'gitlab'], { cwd });
    assert.equal(run.code, 1);
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(sharedPath(GITLAB_SCHEMA), 'utf8')) as object);
    assert.ok(validate(JSON.parse(run.stdout)), JSON.stringify(validate.errors, null, 2));
    // And an empty report, and one whose analysis failed, are valid too.
    const clean = await runCli(['scan', '--format', 'gitlab'], { cwd: workspace({ 'main.tf': fixture('clean.tf') }) });
    assert.equal(clean.code, 0);
    assert.ok(validate(JSON.parse(clean.stdout)), JSON.stringify(validate.errors, null, 2));
  });

  test('gitlab: vulnerabilities by rule, severity, location; identifiers name every rule; stable ids', async () => {
    interface Report {
      version: string;
      scan: { type: string; status: string; analyzer: { id: string; version: string }; messages?: { level: string; value: string }[]; primary_identifiers: { value: string }[]; start_time: string };
      vulnerabilities: { id: string; name: string; description: string; severity: string; identifiers: { type: string; value: string }[]; location: { file: string; start_line: number; end_line: number } }[];
    }
    const first = JSON.parse((await runCli(['scan', '--format', 'gitlab'], { cwd })).stdout) as Report;
    const second = JSON.parse((await runCli(['scan', '--format', 'gitlab'], { cwd })).stdout) as Report;
    assert.equal(first.version, '15.1.4');
    assert.equal(first.scan.type, 'sast');
    assert.equal(first.scan.status, 'success');
    assert.equal(first.scan.analyzer.id, 'keyless');
    assert.match(first.scan.start_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    assert.deepEqual(first.scan.messages, [{ level: 'warn', value: 'infra/broken.tf: syntax error at 8:1: missing }' }]);
    assert.deepEqual(
      first.scan.primary_identifiers.map((i) => i.value),
      RULES.map((r) => r.id),
    );
    assert.deepEqual(
      first.vulnerabilities.map((v) => [v.identifiers[0]!.value, v.severity, v.location.file, v.location.start_line]),
      [
        ['static-cloud-credentials', 'High', '.github/workflows/deploy.yml', 11],
        ['static-registry-token', 'Medium', '.github/workflows/release.yml', 17],
        ['long-lived-key', 'Low', 'infra/broken.tf', 2],
        ['provider-static-credentials', 'High', 'infra/main.tf', 3],
        ['hardcoded-secret', 'High', 'infra/main.tf', 5],
      ],
    );
    const secret = first.vulnerabilities[4]!;
    assert.equal(secret.name, RULES.find((r) => r.id === 'hardcoded-secret')!.title);
    assert.match(secret.description, /AKIA…LE/);
    assert.doesNotMatch(JSON.stringify(first), /AKIA[A-Z0-9]{16}|wJalrXUtnFEMI/);
    assert.deepEqual(
      second.vulnerabilities.map((v) => v.id),
      first.vulnerabilities.map((v) => v.id),
    );
    assert.equal(new Set(first.vulnerabilities.map((v) => v.id)).size, 5);
    for (const v of first.vulnerabilities) assert.match(v.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test('--quiet: the report alone; no summary line, no notes; warnings still on stderr', async () => {
    const loud = await runCli(['scan', 'infra', 'README.md'], { cwd: workspace({ 'infra/main.tf': fixture('provider.tf'), 'infra/broken.tf': fixture('broken.tf'), 'README.md': '# hi\n' }) });
    assert.match(loud.stderr, /^note: /m);
    assert.match(loud.stderr, /findings? \(/);
    const quiet = await runCli(['scan', '-q', 'infra', 'README.md'], { cwd: workspace({ 'infra/main.tf': fixture('provider.tf'), 'infra/broken.tf': fixture('broken.tf'), 'README.md': '# hi\n' }) });
    assert.equal(quiet.code, loud.code);
    assert.equal(quiet.stdout, loud.stdout);
    assert.doesNotMatch(quiet.stderr, /^note: /m);
    assert.doesNotMatch(quiet.stderr, /findings? \(/);
    assert.match(quiet.stderr, /^warning: infra\/broken\.tf: syntax error/m);
  });
});
