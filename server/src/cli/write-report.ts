import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { homepage, version } from '../../../package.json';
import { formatGithub } from '../output/github';
import { formatGitlab } from '../output/gitlab';
import { formatJson } from '../output/json';
import type { ScanResult, Tool } from '../output/report';
import { formatSarif } from '../output/sarif';
import { formatText } from '../output/text';
import { ruleDocsMarkdown } from '../workspace/rule-docs';
import { InputError, type Format, type ReportOptions } from './args';
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
  // NO_COLOR, as no-color.org defines it: present and not empty.
  const color = options.output === undefined && stream.isTTY === true && !io.env.NO_COLOR;
  const report = formatReport(result, options.format, { color });
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

/** The report in one format, as a string. */
export function formatReport(result: ScanResult, format: Format, options: { color: boolean } = { color: false }): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, TOOL);
    case 'github':
      return formatGithub(result);
    case 'gitlab':
      return formatGitlab(result, TOOL);
    case 'text':
      return formatText(result, options);
  }
}
