import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME } from '../engine/config';
import { createEngine } from '../workspace/grammar';
import { configMessageLine, runMessageLines } from '../output/messages';
import { compareStrings, failsThreshold, hasIncompleteFiles, type ScanResult } from '../output/report';
import { applyBaseline, BaselineError, parseBaseline, type Baseline } from '../output/baseline';
import { printable } from '../output/terminal';
import { formatSummary } from '../output/text';
import type { Rule } from '../rules/rule';
import { InputError, parseOptions, REPORT_OPTIONS, reportOptions, type OptionSpec, type ReportOptions } from './args';
import { configMessagesOf, resolveTargets, selectFiles, workspacesOf } from './inputs';
import { describeFsError } from './scan-file';
import { analyzeAll, AUTO_WORKER_BYTES, AUTO_WORKER_FILES, type WorkerPlan } from './pool';
import { writeReport } from './write-report';

/**
 * `keyless scan`: finds and reads files, hands them to the engine (on worker threads too, for a
 * large tree: cli/pool.ts) and writes the report; what a finding is and how it is printed live in
 * engine/ and output/.
 */

export const SCAN_USAGE = `Usage: keyless scan [options] [PATH...]

Finds static cloud credentials in Terraform, CloudFormation, GitHub Actions,
GitLab CI and Kubernetes files. Each PATH is a file or a folder (default: the
current folder). Folders are walked honouring .gitignore and skipping
node_modules, .git and .terraform; a path named explicitly is scanned even
when .gitignore excludes it. Each PATH belongs to a workspace: the git
repository that holds it (else the nearest folder with ${CONFIG_FILE_NAME}, else
PATH itself). Settings come from that root's ${CONFIG_FILE_NAME} (rules: off,
error, warning or info per rule id; ignore: globs relative to the root).

Options:
  -f, --format FORMAT   report format: text (default), json, sarif, github
                        (workflow-command annotations) or gitlab (a GitLab
                        SAST report)
  -o, --output FILE     write the report to FILE instead of standard output
  -q, --quiet           only the report: no summary line and no notes on
                        standard error (warnings and errors still print)
      --fail-on LEVEL   exit 1 when a finding is at or above LEVEL:
                        error (default), warning, info, or never
  -c, --config FILE     read settings from FILE instead of the root's
                        ${CONFIG_FILE_NAME}
      --baseline FILE   report only findings FILE does not hold (written by
                        "keyless baseline"); the exit status counts only them
  -h, --help            show this help and exit
      --version         print the version and exit

Environment:
  KEYLESS_WORKERS       worker threads analyzing beside the main thread: 0 for
                        none, N for N; by default one per idle CPU core (by
                        the load average) beyond the first, once a scan passes ${AUTO_WORKER_FILES} files or ${AUTO_WORKER_BYTES / 1024 / 1024} MB

Exit status: 0 when no finding reaches the --fail-on level, 1 when one does,
2 on a usage error, when a path cannot be read, or when a file could not be
analyzed completely (its secret scan still ran; the report says why).
`;

export const SCAN_OPTIONS: readonly OptionSpec[] = [...REPORT_OPTIONS, { long: '--baseline', takesValue: true }];

export interface ScanOptions extends ReportOptions {
  paths: string[];
  /** `--baseline FILE`: report only the findings it does not hold. */
  baseline?: string;
}

export type ScanCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'scan'; options: ScanOptions };

/** `argv` starts with the command, "scan". */
export function parseScanArguments(argv: readonly string[]): ScanCommand {
  const parsed = parseOptions(argv, SCAN_OPTIONS);
  if (parsed.flags.has('--help')) return { kind: 'help' };
  if (parsed.flags.has('--version')) return { kind: 'version' };
  const paths = parsed.positionals.slice(1);
  const baseline = parsed.values.get('--baseline')?.at(-1);
  return { kind: 'scan', options: { paths: paths.length > 0 ? paths : ['.'], ...reportOptions(parsed), ...(baseline !== undefined ? { baseline } : {}) } };
}

export interface ScanIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

/**
 * `report` sees the result as the report is written from it: the GitHub Action's entry (action.ts)
 * writes its summary and outputs from the same result, with no second scan.
 */
export async function scan(
  options: ScanOptions,
  io: ScanIo,
  rules: readonly Rule[] | undefined,
  plan: WorkerPlan,
  report?: (result: ScanResult) => void,
): Promise<number> {
  const cwd = path.resolve(io.cwd);
  // Read before the scan: a baseline that cannot be used is a usage error, found in a moment.
  const baseline = options.baseline === undefined ? undefined : { file: options.baseline, held: await readBaseline(options.baseline, cwd) };
  const result = await scanResult(options, io, rules, plan);
  // Before anything is written or counted: every format, the action's summary and the exit status see only new findings.
  if (baseline) result.baseline = { file: baseline.file, matched: applyBaseline(result, baseline.held) };
  await writeReport(result, options, { cwd, env: io.env }, io.stdout);
  report?.(result);
  for (const line of runMessageLines(result)) if (!(options.quiet && line.startsWith('note: '))) io.stderr.write(`${line}\n`);
  if (options.format === 'text' && !options.quiet) io.stderr.write(`${formatSummary(result)}\n`);
  if (options.format === 'text' && result.baseline) io.stderr.write(`${baselineLine(result.baseline)}\n`);
  // An incomplete analysis is not a clean bill: 2, as when a path cannot be read, whatever --fail-on.
  if (hasIncompleteFiles(result)) return 2;
  return failsThreshold(result, options.failOn) ? 1 : 0;
}

/**
 * What `keyless scan` reports before any baseline: every PATH's files, read with their workspace's
 * settings. `keyless baseline` writes the same findings down.
 */
export async function scanResult(options: Pick<ScanOptions, 'paths' | 'config'>, io: ScanIo, rules: readonly Rule[] | undefined, plan: WorkerPlan): Promise<ScanResult> {
  const startedAt = new Date();
  const cwd = path.resolve(io.cwd);
  const targets = await resolveTargets(options.paths, cwd);
  const workspaces = await workspacesOf(targets, cwd, options.config);
  const configMessages = configMessagesOf(workspaces);
  for (const m of configMessages) io.stderr.write(`${configMessageLine(m)}\n`);
  const engine = await createEngine();
  const files: ScanResult['files'] = [];
  const ruleFailures: ScanResult['ruleFailures'] = [];
  let fileCount = 0;
  const seen = new Set<string>();
  // One workspace at a time: each has its own settings. PATHs in several repositories are rare,
  // and a pool per workspace costs only its workers' start-up, which small trees never pay.
  for (const workspace of workspaces) {
    const selection = selectFiles(workspace, 'scanned', seen);
    const analyzed = await analyzeAll(selection.candidates, engine, { config: workspace.settings.config, rules }, plan);
    files.push(...selection.skipped, ...analyzed.files);
    ruleFailures.push(...analyzed.ruleFailures);
    fileCount += analyzed.fileCount;
  }
  return {
    cwd,
    files: files.sort((a, b) => compareStrings(a.file, b.file)),
    fileCount,
    ruleFailures: ruleFailures.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.rule, b.rule)),
    configMessages,
    startedAt,
  };
}

/** `--baseline FILE`, read relative to the current folder; missing or malformed, exit 2. */
async function readBaseline(file: string, cwd: string): Promise<Baseline> {
  let text: string;
  try {
    text = await fs.readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `no such baseline file: ${file} (write one with "keyless baseline")` : `cannot read the baseline ${file}: ${describeFsError(error)}`);
  }
  try {
    return parseBaseline(text);
  } catch (error) {
    if (error instanceof BaselineError) throw new InputError(`the baseline ${file} ${error.message}`);
    throw error;
  }
}

/** `2 findings are in the baseline keyless-baseline.json and not shown`. */
function baselineLine(baseline: { file: string; matched: number }): string {
  const findings = baseline.matched === 1 ? '1 finding is' : `${baseline.matched} findings are`;
  return printable(`${findings} in the baseline ${baseline.file} and not shown`);
}
