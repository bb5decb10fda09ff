import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { homepage, version } from '../../../package.json';
import { formatJson } from '../output/json';
import type { ScanResult, Tool } from '../output/report';
import { formatSarif } from '../output/sarif';
import { formatText } from '../output/text';
import { ruleDocsMarkdown } from '../workspace/rule-docs';
import { InputError, type ReportOptions } from './args';
import { describeFsError } from './scan-file';

const TOOL: Tool = { name: 'Keyless', version, informationUri: homepage, rulePage: ruleDocsMarkdown };

/**
 * Formats a command's result and writes it to `--output`, or else to `stream` (standard output,
 * except where a command keeps that for something else). Colour only on a terminal, unless NO_COLOR.
 */
export async function writeReport(
  result: ScanResult,
  options: Pick<ReportOptions, 'format' | 'output'>,
  io: { cwd: string; env: Readonly<Record<string, string | undefined>> },
  stream: { write(text: string): unknown; isTTY?: boolean },
): Promise<void> {
  const color = options.output === undefined && stream.isTTY === true && io.env.NO_COLOR === undefined;
  const report = options.format === 'json' ? formatJson(result) : options.format === 'sarif' ? formatSarif(result, TOOL) : formatText(result, { color });
  if (options.output === undefined) {
    stream.write(report);
    return;
  }
  try {
    await fs.writeFile(path.resolve(io.cwd, options.output), report);
  } catch (error) {
    throw new InputError(`cannot write ${options.output}: ${describeFsError(error)}`);
  }
}
