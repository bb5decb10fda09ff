import * as path from 'node:path';
import { CONFIG_FILE_NAME } from '../engine/config';
import { createEngine } from '../workspace/grammar';
import { configMessageLine, runMessageLines } from '../output/messages';
import { compareStrings, failsThreshold, hasIncompleteFiles, type ScanResult } from '../output/report';
import { formatSummary } from '../output/text';
import type { Rule } from '../rules/rule';
import { parseOptions, REPORT_OPTIONS, reportOptions, type OptionSpec, type ReportOptions } from './args';
import { configMessagesOf, resolveTargets, selectFiles, workspacesOf } from './inputs';
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

export const SCAN_OPTIONS: readonly OptionSpec[] = REPORT_OPTIONS;

export interface ScanOptions extends ReportOptions {
  paths: string[];
}

export type ScanCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'scan'; options: ScanOptions };

/** `argv` starts with the command, "scan". */
export function parseScanArguments(argv: readonly string[]): ScanCommand {
  const parsed = parseOptions(argv, SCAN_OPTIONS);
  if (parsed.flags.has('--help')) return { kind: 'help' };
  if (parsed.flags.has('--version')) return { kind: 'version' };
  const paths = parsed.positionals.slice(1);
  return { kind: 'scan', options: { paths: paths.length > 0 ? paths : ['.'], ...reportOptions(parsed) } };
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
  const result: ScanResult = {
    cwd,
    files: files.sort((a, b) => compareStrings(a.file, b.file)),
    fileCount,
    ruleFailures: ruleFailures.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.rule, b.rule)),
    configMessages,
    startedAt,
  };
  await writeReport(result, options, { cwd, env: io.env }, io.stdout);
  report?.(result);
  for (const line of runMessageLines(result)) if (!(options.quiet && line.startsWith('note: '))) io.stderr.write(`${line}\n`);
  if (options.format === 'text' && !options.quiet) io.stderr.write(`${formatSummary(result)}\n`);
  // An incomplete analysis is not a clean bill: 2, as when a path cannot be read, whatever --fail-on.
  if (hasIncompleteFiles(result)) return 2;
  return failsThreshold(result, options.failOn) ? 1 : 0;
}
