import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatMerged, mergeReports, MergeInputError, REPORT_NAMED_BY_FOLDER, repositoryOf, type MergeInput } from '../output/merge';
import { printable } from '../output/terminal';
import { InputError, parseOptions, UsageError, type OptionSpec } from './args';
import type { ScanIo } from './scan';
import { describeFsError } from './scan-file';

/** `keyless merge`: reads JSON reports and writes one merged document (output/merge.ts). */

export const MERGE_USAGE = `Usage: keyless merge [options] REPORT...

Merges JSON reports written by "keyless scan --format json" (one per
repository, say) into one JSON document: every finding with its repository,
identical findings (same repository, file, rule and fingerprint) once, counts
by rule and by repository, and the list of reports read. The output is sorted:
the same reports give the same bytes in any order.

A report's repository is its file name without ".json" (api.json → api),
or, for a file named ${REPORT_NAMED_BY_FOLDER}, its folder's name
(reports/api/${REPORT_NAMED_BY_FOLDER} → api).

Options:
  -o, --output FILE     write the merged report to FILE (default: standard output)
  -h, --help            show this help and exit
      --version         print the version and exit

Exit status: 0 when the reports are merged, 2 on a usage error or when a
report cannot be read or is not a Keyless JSON report.
`;

export const MERGE_OPTIONS: readonly OptionSpec[] = [
  { long: '--output', short: '-o', takesValue: true },
  { long: '--help', short: '-h', takesValue: false },
  { long: '--version', takesValue: false },
];

export interface MergeOptions {
  reports: string[];
  output: string | undefined;
}

/** `argv` starts with the command, "merge". */
export function parseMergeArguments(argv: readonly string[]): MergeOptions | 'help' | 'version' {
  const parsed = parseOptions(argv, MERGE_OPTIONS);
  if (parsed.flags.has('--help')) return 'help';
  if (parsed.flags.has('--version')) return 'version';
  const reports = parsed.positionals.slice(1);
  if (reports.length === 0) throw new UsageError('merge needs at least one REPORT');
  return { reports, output: parsed.values.get('--output')?.at(-1) };
}

export async function readMergeInputs(reports: readonly string[], cwd: string): Promise<MergeInput[]> {
  return Promise.all(
    reports.map(async (report) => {
      try {
        const absolute = path.resolve(cwd, report);
        // The absolute path: a bare "keyless.json" is named by the folder it is in.
        return { path: report, text: await fs.readFile(absolute, 'utf8'), repository: repositoryOf(absolute) };
      } catch (error) {
        throw new InputError(`cannot read ${report}: ${describeFsError(error)}`);
      }
    }),
  );
}

export async function runMerge(options: MergeOptions, io: Pick<ScanIo, 'cwd' | 'stdout' | 'stderr'>): Promise<number> {
  const inputs = await readMergeInputs(options.reports, io.cwd);
  let text: string;
  let summary: string;
  try {
    const merged = mergeReports(inputs);
    text = formatMerged(merged);
    const repositories = Object.keys(merged.counts.byRepository).length;
    summary = `${merged.counts.findings} ${merged.counts.findings === 1 ? 'finding' : 'findings'} from ${merged.reports.length} ${merged.reports.length === 1 ? 'report' : 'reports'} (${repositories} ${repositories === 1 ? 'repository' : 'repositories'}, ${merged.counts.duplicates} ${merged.counts.duplicates === 1 ? 'duplicate' : 'duplicates'} dropped)`;
  } catch (error) {
    if (error instanceof MergeInputError) throw new InputError(error.message);
    throw error;
  }
  if (options.output === undefined) {
    io.stdout.write(text);
  } else {
    try {
      await fs.writeFile(path.resolve(io.cwd, options.output), text);
    } catch (error) {
      throw new InputError(`cannot write ${options.output}: ${describeFsError(error)}`);
    }
  }
  io.stderr.write(`${printable(summary)}\n`);
  return 0;
}
