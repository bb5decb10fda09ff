import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import { homepage, version } from '../../package.json';
import { syntaxOf } from './dialects/detect';
import { analyzeAll, AUTO_WORKER_BYTES, AUTO_WORKER_FILES, workerPlan, type WorkerPlan } from './cli/pool';
import { fixCommand } from './cli/fix';
import { describeFsError, errorName, type Candidate } from './cli/scan-file';
import { isScanWorkerData, runScanWorker } from './cli/worker';
import { Engine } from './engine/analyze';
import { CONFIG_FILE_NAME, parseConfig, pathMatcher, type KeylessConfig } from './engine/config';
import { formatJson } from './output/json';
import { configMessageLine, runMessageLines } from './output/messages';
import { compareStrings, failsThreshold, unanalyzedFile, type ConfigMessage, type ScanResult, type ScannedFile, type Tool } from './output/report';
import { formatSarif } from './output/sarif';
import { formatSummary, formatText } from './output/text';
import type { Rule } from './rules/rule';
import { gitIgnoredAbove, gitRootOf, loadConfig, toPosix, walkFiles } from './workspace/files';

/**
 * `keyless scan`: the command-line adapter. It parses arguments, finds and reads files, hands them
 * to the engine and picks a formatter; what a finding is and how it is printed live elsewhere.
 */

const USAGE = `Usage: keyless scan [options] [PATH...]

Finds static cloud credentials in Terraform, CloudFormation, GitHub Actions,
GitLab CI and Kubernetes files. Each PATH is a file or a folder (default: the
current folder). Folders are walked honouring .gitignore and skipping
node_modules, .git and .terraform; a path named explicitly is scanned even
when .gitignore excludes it. Settings come from ./${CONFIG_FILE_NAME} (rules:
off, error, warning or info per rule id; ignore: globs relative to this folder).

Options:
  -f, --format FORMAT   report format: text (default), json or sarif
  -o, --output FILE     write the report to FILE instead of standard output
      --fail-on LEVEL   exit 1 when a finding is at or above LEVEL:
                        error (default), warning, info, or never
  -c, --config FILE     read settings from FILE instead of ./${CONFIG_FILE_NAME}
  -h, --help            show this help and exit
      --version         print the version and exit

Environment:
  KEYLESS_WORKERS       worker threads analyzing beside the main thread: 0 for
                        none, N for N; by default one per CPU core beyond the
                        first, once a scan passes ${AUTO_WORKER_FILES} files or ${AUTO_WORKER_BYTES / 1024 / 1024} MB

Exit status: 0 when no finding reaches the --fail-on level, 1 when one does,
2 on a usage error or when a path cannot be read.
`;

const TOOL: Tool = { name: 'Keyless', version, informationUri: homepage };

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const THRESHOLDS = ['error', 'warning', 'info', 'never'] as const;
type Threshold = (typeof THRESHOLDS)[number];

export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

interface ScanOptions {
  paths: string[];
  format: Format;
  output: string | undefined;
  failOn: Threshold;
  config: string | undefined;
}

type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'scan'; options: ScanOptions };

/** A mistake in the command line: exit 2 with a pointer to --help. */
class UsageError extends Error {}
/** A path or file the user named cannot be used: exit 2. */
class InputError extends Error {}

/** Which rules run: all of them unless a caller (a test) says otherwise. */
export interface EngineChoices {
  rules?: readonly Rule[];
}

export async function main(argv: readonly string[], io: CliIo, choices: EngineChoices = {}): Promise<number> {
  // `keyless fix` (and the top-level help, which lists both commands) lives in cli/fix.ts.
  const fixed = fixCommand(argv, io, { scanUsage: USAGE, ...choices });
  if (fixed !== undefined) return fixed;
  let command: Command;
  try {
    command = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`keyless: ${error.message}\nRun "keyless --help" for usage.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const plan = workerPlan(io.env.KEYLESS_WORKERS, __filename);
  if ('error' in plan) {
    io.stderr.write(`keyless: ${plan.error}\n`);
    return 2;
  }
  try {
    return await scan(command.options, io, choices, plan);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr.write(`keyless: ${error.message}\n`);
    return 2;
  }
}

interface OptionSpec {
  long: string;
  short?: string;
  takesValue: boolean;
}

const OPTIONS: readonly OptionSpec[] = [
  { long: '--format', short: '-f', takesValue: true },
  { long: '--output', short: '-o', takesValue: true },
  { long: '--fail-on', takesValue: true },
  { long: '--config', short: '-c', takesValue: true },
  { long: '--help', short: '-h', takesValue: false },
  { long: '--version', takesValue: false },
];

function parseArguments(argv: readonly string[]): Command {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const spec = OPTIONS.find((o) => o.long === name || o.short === name);
    if (!spec) throw new UsageError(`unknown option "${name}"`);
    if (!spec.takesValue) {
      if (equals !== -1) throw new UsageError(`option ${spec.long} takes no value`);
      flags.add(spec.long);
      continue;
    }
    const value = equals !== -1 ? arg.slice(equals + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`option ${spec.long} needs a value`);
    values.set(spec.long, value);
  }
  if (flags.has('--help')) return { kind: 'help' };
  if (flags.has('--version')) return { kind: 'version' };
  const [command, ...paths] = positionals;
  if (command === undefined) throw new UsageError('missing command (did you mean "keyless scan"?)');
  if (command !== 'scan') throw new UsageError(`unknown command "${command}" (the command is "scan")`);
  return {
    kind: 'scan',
    options: {
      paths: paths.length > 0 ? paths : ['.'],
      format: oneOf('--format', values.get('--format') ?? 'text', FORMATS),
      output: values.get('--output'),
      failOn: oneOf('--fail-on', values.get('--fail-on') ?? 'error', THRESHOLDS),
      config: values.get('--config'),
    },
  };
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got "${value}")`);
}

async function scan(options: ScanOptions, io: CliIo, choices: EngineChoices, plan: WorkerPlan): Promise<number> {
  const cwd = path.resolve(io.cwd);
  const { config, configFile, messages } = await readConfig(options.config, cwd);
  for (const m of messages) io.stderr.write(`${configMessageLine(m)}\n`);
  const targets = await resolveTargets(options.paths, cwd);
  const selection = selectFiles(targets, cwd, config, configFile);
  const engine = await Engine.create();
  const analyzed = await analyzeAll(selection.candidates, engine, { config, rules: choices.rules }, plan);
  const result: ScanResult = {
    cwd,
    files: [...selection.skipped, ...analyzed.files].sort((a, b) => compareStrings(a.file, b.file)),
    fileCount: analyzed.fileCount,
    ruleFailures: analyzed.ruleFailures.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.rule, b.rule)),
    configMessages: messages,
  };
  const report =
    options.format === 'json'
      ? formatJson(result)
      : options.format === 'sarif'
        ? formatSarif(result, TOOL)
        : formatText(result, { color: options.output === undefined && io.stdout.isTTY === true && io.env.NO_COLOR === undefined });
  if (options.output !== undefined) {
    try {
      await fs.writeFile(path.resolve(cwd, options.output), report);
    } catch (error) {
      throw new InputError(`cannot write ${options.output}: ${describeFsError(error)}`);
    }
  } else {
    io.stdout.write(report);
  }
  for (const line of runMessageLines(result)) io.stderr.write(`${line}\n`);
  if (options.format === 'text') io.stderr.write(`${formatSummary(result)}\n`);
  return failsThreshold(result, options.failOn) ? 1 : 0;
}

/**
 * The files to analyze: named files first (each once, unless the config ignores it or Keyless does
 * not read its kind, which gets a note instead), then the folders' files, walked lazily so that a
 * large tree is never listed in memory. A folder below the repository root also honours the
 * .gitignore files above it, so `keyless scan infra` skips what `keyless scan .` skips there.
 */
function selectFiles(targets: readonly Target[], cwd: string, config: KeylessConfig, configFile: string): { skipped: ScannedFile[]; candidates: AsyncGenerator<Candidate> } {
  const matchesIgnore = pathMatcher(config.ignore);
  // The globs are relative to the workspace root: a path outside it cannot match them.
  const isIgnored = (relative: string): boolean => !isOutside(relative) && matchesIgnore(relative);
  const seen = new Set<string>();
  const skipped: ScannedFile[] = [];
  const named: Candidate[] = [];
  for (const target of targets) {
    if (target.kind !== 'file' || seen.has(target.absolute)) continue;
    seen.add(target.absolute);
    const file = path.posix.normalize(toPosix(target.given));
    if (isIgnored(toPosix(path.relative(cwd, target.absolute)))) skipped.push(unanalyzedFile(file, undefined, [`not scanned: matches an "ignore" glob in ${configFile}`]));
    else if (syntaxOf(target.absolute) === null) skipped.push(unanalyzedFile(file, undefined, ['not scanned: Keyless reads .tf, .tfvars, .tf.json, .yml, .yaml and .json files']));
    else named.push({ absolute: target.absolute, file, enginePath: enginePathOf(cwd, target.absolute, file) });
  }
  async function* candidates(): AsyncGenerator<Candidate> {
    yield* named;
    const top = (await gitRootOf(cwd)) ?? cwd;
    for (const target of targets) {
      if (target.kind !== 'folder') continue;
      const given = toPosix(target.given);
      const ignoredAbove = await gitIgnoredAbove(top, target.absolute);
      // A folder named on the command line is scanned even when git ignores it, as a named file is.
      const honourAbove = !ignoredAbove(`${toPosix(path.relative(top, target.absolute))}/`);
      const walkIgnores = (relative: string): boolean =>
        isIgnored(relative) || (honourAbove && ignoredAbove(toPosix(path.relative(top, path.resolve(cwd, relative)))));
      for await (const absolute of walkFiles(target.absolute, { relativeTo: cwd, isIgnored: walkIgnores })) {
        if (seen.has(absolute)) continue;
        seen.add(absolute);
        const file = path.posix.join(given, toPosix(path.relative(target.absolute, absolute)));
        yield { absolute, file, enginePath: enginePathOf(cwd, absolute, file) };
      }
    }
  }
  return { skipped, candidates: candidates() };
}

type Target = { kind: 'file' | 'folder'; given: string; absolute: string };

/** Every path must exist before anything is scanned: a typo is a usage error, not an empty report. */
async function resolveTargets(paths: readonly string[], cwd: string): Promise<Target[]> {
  const targets: Target[] = [];
  const problems: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    try {
      const stat = await fs.stat(absolute);
      // A FIFO or a device would block the read or never end: only files and folders are scanned.
      if (stat.isDirectory()) targets.push({ kind: 'folder', given, absolute });
      else if (stat.isFile()) targets.push({ kind: 'file', given, absolute });
      else problems.push(`not a file or folder: ${given}`);
    } catch (error) {
      problems.push(isNotFound(error) ? `no such file or directory: ${given}` : `cannot read ${given}: ${describeFsError(error)}`);
    }
  }
  if (problems.length > 0) throw new InputError(problems.join('\nkeyless: '));
  return targets;
}

async function readConfig(file: string | undefined, cwd: string): Promise<{ config: KeylessConfig; configFile: string; messages: ConfigMessage[] }> {
  if (file === undefined) {
    const loaded = await loadConfig(cwd);
    return { config: loaded.config, configFile: CONFIG_FILE_NAME, messages: loaded.problems.map((p) => ({ file: CONFIG_FILE_NAME, ...p })) };
  }
  let text: string;
  try {
    text = await fs.readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new InputError(isNotFound(error) ? `no such file or directory: ${file}` : `cannot read ${file}: ${describeFsError(error)}`);
  }
  const { config, problems } = parseConfig(text);
  return { config, configFile: toPosix(file), messages: problems.map((p) => ({ file: toPosix(file), ...p })) };
}

function enginePathOf(cwd: string, absolute: string, file: string): string {
  const relative = toPosix(path.relative(cwd, absolute));
  return isOutside(relative) ? file : relative;
}

function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith('../') || path.isAbsolute(relative);
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

if (!isMainThread && isScanWorkerData(workerData)) {
  // This bundle started again as a scan worker (see cli/pool.ts): serve files, run no command.
  runScanWorker(workerData);
} else if (require.main === module) {
  // `keyless scan | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  main(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const frames = error instanceof Error ? (error.stack ?? '').split('\n').slice(1).join('\n') : '';
      process.stderr.write(`keyless: internal error (${errorName(error)})\n${frames}\n`);
      process.exitCode = 2;
    },
  );
}
