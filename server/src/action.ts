import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import { FORMATS, InputError, oneOf, THRESHOLDS, UsageError, type Format, type Threshold } from './cli/args';
import { workerPlan } from './cli/pool';
import { parseScanArguments, scan } from './cli/scan';
import { errorName } from './cli/scan-file';
import { isScanWorkerData, runScanWorker } from './cli/worker';
import { formatReport } from './cli/write-report';
import { formatGithub, workflowCommand } from './output/github';
import { allFindings, type ScanResult } from './output/report';
import { formatStepSummary, type SummaryContext } from './output/step-summary';

/**
 * The GitHub Action's entry (`action.yml` runs `node dist/action.js`): reads the action's inputs
 * from `INPUT_*`, runs `keyless scan` in this process with the arguments they make, and from the
 * one result writes the report file, a SARIF file for code scanning when asked, annotations, the
 * step summary and the step's outputs. The exit status is the scan's: 1 when a finding reaches
 * `fail-on`, 2 when a file could not be analyzed completely or an input is wrong.
 */

type Env = Readonly<Record<string, string | undefined>>;

export interface ActionIo {
  cwd: string;
  env: Env;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface ActionInputs {
  paths: string[];
  format: Format;
  failOn: Threshold;
  baseline: string | undefined;
  config: string | undefined;
  uploadSarif: boolean;
  annotations: boolean;
  /** Where the report goes; a file in RUNNER_TEMP by default, never in the checkout (a later scan would read it). */
  output: string;
}

/**
 * The action's inputs, as action.yml hands them over: `INPUT_<NAME>` with `-` written `_` (a
 * composite action passes its inputs by `env:`, which it names).
 */
export const INPUT_NAMES = ['path', 'format', 'fail-on', 'baseline', 'config', 'upload-sarif', 'annotations', 'output'] as const;

export function inputVariable(name: (typeof INPUT_NAMES)[number]): string {
  return `INPUT_${name.replace(/-/g, '_').toUpperCase()}`;
}

export function readInputs(env: Env): ActionInputs {
  const input = (name: (typeof INPUT_NAMES)[number]): string | undefined => {
    const value = env[inputVariable(name)]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const format = oneOf('format', input('format') ?? 'sarif', FORMATS);
  const failOn = oneOf('fail-on', input('fail-on') ?? 'error', THRESHOLDS);
  const extension = format === 'sarif' ? 'sarif' : format === 'json' || format === 'gitlab' ? 'json' : 'txt';
  const temp = env.RUNNER_TEMP ?? '.';
  return {
    // One path a line, so that a path may hold spaces.
    paths: (input('path') ?? '.').split(/\r?\n/).map((p) => p.trim()).filter(Boolean),
    format,
    failOn,
    baseline: input('baseline'),
    config: input('config'),
    uploadSarif: booleanInput('upload-sarif', input('upload-sarif') ?? 'false'),
    annotations: booleanInput('annotations', input('annotations') ?? 'true'),
    output: input('output') ?? path.join(temp, `keyless-report.${extension}`),
  };
}

/** YAML 1.2's core schema booleans, as `core.getBooleanInput` reads them. */
function booleanInput(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UsageError(`input ${name} must be true or false (got "${value}")`);
}

/** The `keyless scan` command line the inputs make: the same grammar, the same checks, as a user's. */
export function scanArguments(inputs: ActionInputs): string[] {
  return [
    'scan',
    '--format',
    inputs.format,
    '--output',
    inputs.output,
    '--fail-on',
    inputs.failOn,
    ...(inputs.config !== undefined ? ['--config', inputs.config] : []),
    ...(inputs.baseline !== undefined ? ['--baseline', inputs.baseline] : []),
    '--',
    ...inputs.paths,
  ];
}

export async function runAction(io: ActionIo, script: string = __filename): Promise<number> {
  try {
    const inputs = readInputs(io.env);
    const parsed = parseScanArguments(scanArguments(inputs));
    if (parsed.kind !== 'scan') throw new UsageError('the inputs make no scan');
    const plan = workerPlan(io.env.KEYLESS_WORKERS, script);
    if ('error' in plan) throw new UsageError(plan.error);
    let result: ScanResult | undefined;
    // The scan's own stdout carries nothing (the report goes to a file); its stderr is the log.
    const code = await scan(parsed.options, { cwd: io.cwd, env: io.env, stdout: io.stderr, stderr: io.stderr }, undefined, plan, (r) => {
      result = r;
    });
    if (result === undefined) return code;
    const sarifFile = inputs.format === 'sarif' ? inputs.output : inputs.uploadSarif ? sarifBeside(inputs.output) : undefined;
    if (sarifFile !== undefined && sarifFile !== inputs.output) writeFileSync(path.resolve(io.cwd, sarifFile), formatReport(result, 'sarif'));
    if (inputs.annotations) io.stdout.write(formatGithub(result));
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) appendFileSync(summaryFile, formatStepSummary(result, summaryContext(io.env)));
    const findings = allFindings(result);
    const count = (severity: string): number => findings.filter((f) => f.severity === severity).length;
    writeOutputs(io.env.GITHUB_OUTPUT, {
      'report-file': inputs.output,
      'sarif-file': sarifFile ?? '',
      findings: String(findings.length),
      errors: String(count('error')),
      warnings: String(count('warning')),
      notices: String(count('info')),
      'exit-code': String(code),
    });
    return code;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) {
      io.stdout.write(`${workflowCommand('error', { title: 'keyless' }, error.message)}\n`);
      return 2;
    }
    throw error;
  }
}

/** `report.json` → `report.sarif`, beside it. */
function sarifBeside(report: string): string {
  return `${report.replace(/\.[^./\\]*$/, '')}.sarif`;
}

/**
 * What the run scanned, from the event file: for a pull request its number and head commit, whose
 * lines the summary links to (GITHUB_SHA is the merge commit, which GitHub removes once merged).
 */
export function summaryContext(env: Env): SummaryContext {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  let repository = env.GITHUB_REPOSITORY;
  let sha = env.GITHUB_SHA;
  let subject: string | undefined;
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pull = event?.pull_request;
  if (pull && typeof pull.number === 'number' && typeof pull.head?.sha === 'string') {
    sha = pull.head.sha;
    repository = typeof pull.head.repo?.full_name === 'string' ? pull.head.repo.full_name : repository;
    subject = `pull request #${pull.number} at \`${sha.slice(0, 7)}\``;
  } else if (sha) {
    subject = `\`${sha.slice(0, 7)}\``;
  }
  if (!repository || !sha || !/^[\w.-]+\/[\w.-]+$/.test(repository) || !/^[0-9a-f]{7,64}$/.test(sha)) return { subject };
  const base = `${server}/${repository}/blob/${sha}/`;
  return {
    subject,
    lineUrl: (file, line) => (file.startsWith('/') ? undefined : `${base}${file.split('/').map(encodeURIComponent).join('/')}#L${line}`),
  };
}

interface PullRequestEvent {
  pull_request?: { number?: unknown; head?: { sha?: unknown; repo?: { full_name?: unknown } } };
}

function readEvent(file: string | undefined): PullRequestEvent | undefined {
  if (!file) return undefined;
  try {
    const event = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof event === 'object' && event !== null ? (event as PullRequestEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** Step outputs in the runner's multi-line form, with a delimiter no value can contain. */
function writeOutputs(file: string | undefined, outputs: Record<string, string>): void {
  if (!file) return;
  const text = Object.entries(outputs)
    .map(([name, value]) => {
      const delimiter = `keyless_${randomBytes(8).toString('hex')}`;
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
  appendFileSync(file, text);
}

if (!isMainThread && isScanWorkerData(workerData)) {
  // This bundle started again as a scan worker (see cli/pool.ts).
  runScanWorker(workerData);
} else if (require.main === module) {
  runAction({ cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stdout.write(`${workflowCommand('error', { title: 'keyless' }, `internal error (${errorName(error)})`)}\n`);
      process.exitCode = 2;
    },
  );
}
