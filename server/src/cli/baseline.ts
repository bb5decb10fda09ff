import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME } from '../engine/config';
import { formatBaseline } from '../output/baseline';
import { runMessageLines } from '../output/messages';
import { hasIncompleteFiles, allFindings } from '../output/report';
import { printable } from '../output/terminal';
import type { Rule } from '../rules/rule';
import { InputError, parseOptions, type OptionSpec } from './args';
import type { WorkerPlan } from './pool';
import { scanResult, type ScanIo } from './scan';
import { describeFsError } from './scan-file';

/**
 * `keyless baseline`: scans as `keyless scan` does and writes every finding to a baseline file
 * (output/baseline.ts), which `keyless scan --baseline FILE` then holds out of its report.
 */

export const DEFAULT_BASELINE_FILE = 'keyless-baseline.json';

export const BASELINE_USAGE = `Usage: keyless baseline [options] [PATH...]

Scans PATHs as "keyless scan" does and writes every finding to a baseline
file (default: ${DEFAULT_BASELINE_FILE} in the current folder), so that
"keyless scan --baseline ${DEFAULT_BASELINE_FILE}" reports only new findings.
A finding is matched by rule, file (relative to the repository) and a
fingerprint of its enclosing blocks and its text, never by line: it survives
lines moving and unrelated edits, not a new credential or a move to another
job or resource. The file is sorted and holds no credential value: commit it,
and review it like code.

Options:
  -o, --output FILE     write the baseline to FILE (default: ${DEFAULT_BASELINE_FILE})
  -c, --config FILE     read settings from FILE instead of the root's
                        ${CONFIG_FILE_NAME}
  -h, --help            show this help and exit
      --version         print the version and exit

Exit status: 0 when the baseline is written, 2 on a usage error, when a path
cannot be read, or when a file could not be analyzed completely (the baseline
is written all the same, without what that file's analysis missed).
`;

export const BASELINE_OPTIONS: readonly OptionSpec[] = [
  { long: '--output', short: '-o', takesValue: true },
  { long: '--config', short: '-c', takesValue: true },
  { long: '--help', short: '-h', takesValue: false },
  { long: '--version', takesValue: false },
];

export interface BaselineOptions {
  paths: string[];
  output: string;
  config: string | undefined;
}

/** `argv` starts with the command, "baseline". */
export function parseBaselineArguments(argv: readonly string[]): BaselineOptions | 'help' | 'version' {
  const parsed = parseOptions(argv, BASELINE_OPTIONS);
  if (parsed.flags.has('--help')) return 'help';
  if (parsed.flags.has('--version')) return 'version';
  const paths = parsed.positionals.slice(1);
  return { paths: paths.length > 0 ? paths : ['.'], output: parsed.values.get('--output')?.at(-1) ?? DEFAULT_BASELINE_FILE, config: parsed.values.get('--config')?.at(-1) };
}

export async function writeBaseline(options: BaselineOptions, io: ScanIo, rules: readonly Rule[] | undefined, plan: WorkerPlan): Promise<number> {
  const result = await scanResult(options, io, rules, plan);
  const target = path.resolve(io.cwd, options.output);
  try {
    await fs.writeFile(target, formatBaseline(result));
  } catch (error) {
    throw new InputError(`cannot write ${options.output}: ${describeFsError(error)}`);
  }
  for (const line of runMessageLines(result)) io.stderr.write(`${line}\n`);
  const count = allFindings(result).length;
  io.stderr.write(`${printable(`${count} ${count === 1 ? 'finding' : 'findings'} written to ${options.output}`)}\n`);
  return hasIncompleteFiles(result) ? 2 : 0;
}
