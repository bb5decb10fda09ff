import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { INPUT_NAMES, inputVariable, readInputs, scanArguments } from '../../server/src/action';
import { assertBuilt, fixture, REPO_ROOT, workspace, type Run } from '../cli/helpers';

// The GitHub Action as a runner runs it: action.yml read as GitHub reads it, and its entry,
// dist/action.js, started in a simulated runner environment — INPUT_* variables, the files behind
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, and a pull_request event in GITHUB_EVENT_PATH.

const ENTRY = path.join(REPO_ROOT, 'dist', 'action.js');
const HEAD_SHA = '0123456789abcdef0123456789abcdef01234567';

interface Runner {
  workspace: string;
  temp: string;
  env: Record<string, string>;
}

function runner(inputs: Record<string, string>, files: Record<string, string> = sampleFiles()): Runner {
  const root = workspace({ ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`checkout/${name}`, text])), 'runner/event.json': JSON.stringify(pullRequestEvent()), 'runner/output': '', 'runner/summary': '' });
  const temp = path.join(root, 'runner');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: path.join(root, 'checkout'),
    GITHUB_REPOSITORY: 'octo/base',
    GITHUB_SHA: 'fedcba9876543210fedcba9876543210fedcba98',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: path.join(temp, 'event.json'),
    GITHUB_OUTPUT: path.join(temp, 'output'),
    GITHUB_STEP_SUMMARY: path.join(temp, 'summary'),
    RUNNER_TEMP: temp,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name as (typeof INPUT_NAMES)[number])] = value;
  return { workspace: path.join(root, 'checkout'), temp, env };
}

function sampleFiles(): Record<string, string> {
  return {
    'infra/main.tf': fixture('provider.tf'),
    '.github/workflows/deploy.yml': fixture('workflow.yml'),
    '.github/workflows/release.yml': fixture('publish.yml'),
  };
}

function pullRequestEvent(): object {
  return { action: 'synchronize', number: 42, pull_request: { number: 42, head: { sha: HEAD_SHA, ref: 'feature', repo: { full_name: 'fork/base' } }, base: { sha: 'aa'.repeat(20), repo: { full_name: 'octo/base' } } } };
}

function runEntry(r: Runner): Promise<Run> {
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, ...r.env };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [ENTRY], { cwd: r.workspace, env, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
      if (code === undefined) reject(error ?? new Error('no exit code'));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks. */
function readOutputs(file: string): Record<string, string> {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const outputs: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([\w-]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      assert.ok(end > i, `output ${block[1]} has no closing delimiter`);
      outputs[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

describe('the action entry in a simulated runner', { concurrency: true }, () => {
  before(() => {
    assertBuilt();
    assert.ok(fs.existsSync(ENTRY), `${ENTRY} is missing: run \`npm run build\` first`);
  });

  test('defaults on a pull request: SARIF report, annotations, outputs, a summary table by rule linked to the head commit, exit 1', async () => {
    const r = runner({ path: '.', format: 'sarif', 'fail-on': 'error', annotations: 'true', 'upload-sarif': 'false' });
    const run = await runEntry(r);
    assert.equal(run.code, 1, run.stderr);
    const outputs = readOutputs(r.env.GITHUB_OUTPUT!);
    assert.deepEqual(outputs, {
      'report-file': path.join(r.temp, 'keyless-report.sarif'),
      'sarif-file': path.join(r.temp, 'keyless-report.sarif'),
      findings: '4',
      errors: '3',
      warnings: '1',
      notices: '0',
      'exit-code': '1',
    });
    const sarif = JSON.parse(fs.readFileSync(outputs['sarif-file']!, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0]!.results.length, 4);
    // Annotations on stdout, where the runner reads workflow commands.
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::'));
    assert.equal(annotations.length, 4);
    assert.match(run.stdout, /^::error file=infra\/main\.tf,line=5,col=17,endLine=5,endColumn=37,title=hardcoded-secret::AWS access key id "AKIA…LE"/m);
    assert.match(run.stdout, /^::warning file=\.github\/workflows\/release\.yml,line=17,/m);

    const summary = fs.readFileSync(r.env.GITHUB_STEP_SUMMARY!, 'utf8');
    assert.match(summary, /^### Keyless: 4 findings \(3 errors, 1 warning\) in 3 files$/m);
    assert.match(summary, /^Scanned pull request #42 at `0123456`\.$/m);
    const table = summary.split('\n').filter((l) => l.startsWith('|'));
    assert.deepEqual(table, [
      '| Rule | Severity | Findings |',
      '| --- | --- | ---: |',
      '| [hardcoded-secret](https://github.com/keyless-dev/keyless/blob/main/docs/rules/hardcoded-secret.md) | error | 1 |',
      '| [provider-static-credentials](https://github.com/keyless-dev/keyless/blob/main/docs/rules/provider-static-credentials.md) | error | 1 |',
      '| [static-cloud-credentials](https://github.com/keyless-dev/keyless/blob/main/docs/rules/static-cloud-credentials.md) | error | 1 |',
      '| [static-registry-token](https://github.com/keyless-dev/keyless/blob/main/docs/rules/static-registry-token.md) | warning | 1 |',
    ]);
    // Findings link to the pull request's head commit in the head repository (a fork here).
    assert.ok(summary.includes(`(https://github.com/fork/base/blob/${HEAD_SHA}/infra/main.tf#L5)`), summary);
    assert.doesNotMatch(summary, /AKIA[A-Z0-9]{16}/);
  });

  test('fail-on never exits 0; annotations false prints none; a second run appends to the summary', async () => {
    const r = runner({ 'fail-on': 'never', annotations: 'false' });
    fs.writeFileSync(r.env.GITHUB_STEP_SUMMARY!, '# Earlier step\n');
    const run = await runEntry(r);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /^::/m);
    assert.equal(readOutputs(r.env.GITHUB_OUTPUT!)['exit-code'], '0');
    assert.match(fs.readFileSync(r.env.GITHUB_STEP_SUMMARY!, 'utf8'), /^# Earlier step\n### Keyless: 4 findings/);
  });

  test('fail-on warning fails on a warning alone; a clean tree passes with an empty table', async () => {
    const warningOnly = runner({ 'fail-on': 'warning' }, { '.github/workflows/release.yml': fixture('publish.yml') });
    assert.equal((await runEntry(warningOnly)).code, 1);
    const clean = runner({}, { 'main.tf': fixture('clean.tf') });
    const run = await runEntry(clean);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readOutputs(clean.env.GITHUB_OUTPUT!).findings, '0');
    const summary = fs.readFileSync(clean.env.GITHUB_STEP_SUMMARY!, 'utf8');
    assert.match(summary, /^### Keyless: no findings in 1 file$/m);
    assert.doesNotMatch(summary, /^\|/m);
  });

  test('format json with upload-sarif: the JSON report and a SARIF file beside it; paths one a line', async () => {
    const r = runner({ format: 'json', 'upload-sarif': 'true', path: 'infra\n.github/workflows/deploy.yml\n' });
    const run = await runEntry(r);
    assert.equal(run.code, 1, run.stderr);
    const outputs = readOutputs(r.env.GITHUB_OUTPUT!);
    assert.equal(outputs['report-file'], path.join(r.temp, 'keyless-report.json'));
    assert.equal(outputs['sarif-file'], path.join(r.temp, 'keyless-report.sarif'));
    assert.equal((JSON.parse(fs.readFileSync(outputs['report-file']!, 'utf8')) as { findings: unknown[] }).findings.length, 3);
    assert.equal((JSON.parse(fs.readFileSync(outputs['sarif-file']!, 'utf8')) as { runs: { results: unknown[] }[] }).runs[0]!.results.length, 3);
  });

  test('a wrong input is an error annotation and exit 2, with no outputs', async () => {
    for (const inputs of [{ 'fail-on': 'critical' }, { format: 'xml' }, { annotations: 'yes' }] as Record<string, string>[]) {
      const r = runner(inputs);
      const run = await runEntry(r);
      assert.equal(run.code, 2, JSON.stringify(inputs));
      assert.match(run.stdout, /^::error title=keyless::/m, JSON.stringify(inputs));
      assert.equal(fs.readFileSync(r.env.GITHUB_OUTPUT!, 'utf8'), '');
    }
  });
});

describe('the action inputs and the scan command line they make', () => {
  test('defaults: sarif into RUNNER_TEMP, fail-on error, annotations on, no upload', () => {
    const inputs = readInputs({ RUNNER_TEMP: '/tmp/runner' });
    assert.deepEqual(inputs, { paths: ['.'], format: 'sarif', failOn: 'error', baseline: undefined, config: undefined, uploadSarif: false, annotations: true, output: path.join('/tmp/runner', 'keyless-report.sarif') });
    assert.deepEqual(scanArguments(inputs), ['scan', '--format', 'sarif', '--output', path.join('/tmp/runner', 'keyless-report.sarif'), '--fail-on', 'error', '--', '.']);
  });

  test('baseline and config pass through to keyless scan as --baseline and --config', () => {
    const inputs = readInputs({ INPUT_BASELINE: 'keyless-baseline.json', INPUT_CONFIG: 'ci/keyless.yaml', INPUT_PATH: 'infra', INPUT_OUTPUT: 'out.sarif' });
    assert.deepEqual(scanArguments(inputs), ['scan', '--format', 'sarif', '--output', 'out.sarif', '--fail-on', 'error', '--config', 'ci/keyless.yaml', '--baseline', 'keyless-baseline.json', '--', 'infra']);
  });
});

describe('action.yml', () => {
  interface Step {
    id?: string;
    if?: string;
    uses?: string;
    run?: string;
    shell?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
  }
  interface Action {
    name: string;
    description: string;
    inputs: Record<string, { description: string; default?: string; required?: boolean }>;
    outputs: Record<string, { description: string; value: string }>;
    runs: { using: string; steps: Step[] };
  }
  const actionText = fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8');
  const action = parse(actionText) as Action;

  test('a composite action whose inputs are exactly the entry\'s, each passed as the INPUT_ variable it reads', () => {
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(Object.keys(action.inputs).sort(), [...INPUT_NAMES].sort());
    const scan = action.runs.steps.find((s) => s.id === 'scan')!;
    assert.equal(scan.shell, 'bash');
    assert.match(scan.run!, /node "\$GITHUB_ACTION_PATH\/dist\/action\.js"/);
    for (const name of INPUT_NAMES) {
      assert.equal(scan.env?.[inputVariable(name)], `\${{ inputs.${name} }}`, name);
      assert.ok(action.inputs[name]!.description.length > 0, name);
    }
    assert.equal(action.inputs.format!.default, 'sarif');
    assert.equal(action.inputs['fail-on']!.default, 'error');
    assert.equal(action.inputs['upload-sarif']!.default, 'false');
  });

  test('the outputs are the ones the entry writes', async () => {
    for (const [name, output] of Object.entries(action.outputs)) assert.equal(output.value, `\${{ steps.scan.outputs.${name} }}`, name);
    assert.deepEqual(Object.keys(action.outputs).sort(), ['errors', 'exit-code', 'findings', 'notices', 'report-file', 'sarif-file', 'warnings']);
  });

  test('upload-sarif runs codeql-action pinned by full commit SHA with its version, after a failing scan too', () => {
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    assert.ok(upload, 'no upload step');
    assert.match(upload.uses!, /@[0-9a-f]{40}$/);
    assert.match(actionText, /github\/codeql-action\/upload-sarif@[0-9a-f]{40} # v\d+\.\d+\.\d+/);
    assert.match(upload.if!, /!cancelled\(\)/);
    assert.match(upload.if!, /inputs\.upload-sarif == 'true'/);
    assert.equal(upload.with?.sarif_file, '${{ steps.scan.outputs.sarif-file }}');
  });
});

describe('docs/ci/keyless-workflow.yml', () => {
  interface Workflow {
    permissions: Record<string, string>;
    jobs: Record<string, { permissions?: Record<string, string>; steps: { uses?: string; with?: Record<string, unknown> }[] }>;
  }
  const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'ci', 'keyless-workflow.yml'), 'utf8')) as Workflow;

  test('least permissions: contents read, security-events write only in the job that uploads', () => {
    assert.deepEqual(workflow.permissions, { contents: 'read' });
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const keyless = job.steps.find((s) => s.uses?.startsWith('keyless-dev/keyless@'));
      const uploads = keyless?.with?.['upload-sarif'] === true;
      const granted: Record<string, string> = job.permissions ?? workflow.permissions;
      assert.deepEqual(granted, uploads ? { contents: 'read', 'security-events': 'write' } : { contents: 'read' }, name);
      for (const input of Object.keys(keyless?.with ?? {})) assert.ok((INPUT_NAMES as readonly string[]).includes(input), `${name}: unknown input ${input}`);
    }
  });
});
