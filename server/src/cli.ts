import { isMainThread, workerData } from 'node:worker_threads';
import { version } from '../../package.json';
import { commandOf, InputError, UsageError } from './cli/args';
import { BASELINE_OPTIONS, BASELINE_USAGE, parseBaselineArguments, writeBaseline } from './cli/baseline';
import { FIX_OPTIONS, FIX_USAGE, parseFixArguments, runFix } from './cli/fix';
import { MERGE_OPTIONS, MERGE_USAGE, parseMergeArguments, runMerge } from './cli/merge';
import { workerPlan } from './cli/pool';
import { parseScanArguments, scan, SCAN_OPTIONS, SCAN_USAGE } from './cli/scan';
import { errorName } from './cli/scan-file';
import { isScanWorkerData, runScanWorker } from './cli/worker';
import type { Rule } from './rules/rule';

/**
 * The `keyless` command: picks the command (`scan`, `fix`, `baseline`, `merge`) and runs it, turning usage and input
 * errors into exit 2. Each command lives in `cli/<command>.ts`; what they share (arguments, the
 * files a path selects, writing the report) in `cli/args.ts`, `cli/inputs.ts`, `cli/write-report.ts`.
 */

export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

/** Which rules run: all of them unless a caller (a test) says otherwise. */
export interface EngineChoices {
  rules?: readonly Rule[];
}

const COMMANDS = ['scan', 'fix', 'baseline', 'merge'] as const;

export async function main(argv: readonly string[], io: CliIo, choices: EngineChoices = {}): Promise<number> {
  const command = commandOf(argv, [...SCAN_OPTIONS, ...FIX_OPTIONS, ...BASELINE_OPTIONS, ...MERGE_OPTIONS]);
  try {
    if (command === 'fix') {
      const parsed = parseFixArguments(argv);
      if (parsed === 'help') return print(io, FIX_USAGE);
      if (parsed === 'version') return print(io, `${version}\n`);
      return await runFix(parsed, io, choices.rules);
    }
    if (command === 'baseline') {
      const parsed = parseBaselineArguments(argv);
      if (parsed === 'help') return print(io, BASELINE_USAGE);
      if (parsed === 'version') return print(io, `${version}\n`);
      const plan = workerPlan(io.env.KEYLESS_WORKERS, __filename);
      if ('error' in plan) {
        io.stderr.write(`keyless: ${plan.error}\n`);
        return 2;
      }
      return await writeBaseline(parsed, io, choices.rules, plan);
    }
    if (command === 'merge') {
      const parsed = parseMergeArguments(argv);
      if (parsed === 'help') return print(io, MERGE_USAGE);
      if (parsed === 'version') return print(io, `${version}\n`);
      return await runMerge(parsed, io);
    }
    if (command === undefined && argv.some((arg) => arg === '--help' || arg === '-h')) return print(io, `${SCAN_USAGE}\n${FIX_USAGE}\n${BASELINE_USAGE}\n${MERGE_USAGE}`);
    if (command === undefined && argv.includes('--version')) return print(io, `${version}\n`);
    if (command === undefined) throw new UsageError('missing command (did you mean "keyless scan"?)');
    if (command !== 'scan') throw new UsageError(`unknown command "${command}" (the commands are ${COMMANDS.slice(0, -1).join(', ')} and ${COMMANDS.at(-1)})`);
    const parsed = parseScanArguments(argv);
    if (parsed.kind === 'help') return print(io, SCAN_USAGE);
    if (parsed.kind === 'version') return print(io, `${version}\n`);
    const plan = workerPlan(io.env.KEYLESS_WORKERS, __filename);
    if ('error' in plan) {
      io.stderr.write(`keyless: ${plan.error}\n`);
      return 2;
    }
    return await scan(parsed.options, io, choices.rules, plan);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`keyless: ${error.message}\nRun "keyless ${command === 'fix' || command === 'baseline' || command === 'merge' ? `${command} ` : ''}--help" for usage.\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr.write(`keyless: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function print(io: CliIo, text: string): number {
  io.stdout.write(text);
  return 0;
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
