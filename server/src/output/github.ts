import type { Severity } from '../core/finding';
import { describeProblem, oneBased, pathFromCwd, type ScanResult } from './report';

/**
 * `--format github`: GitHub Actions workflow commands, one line per finding, which the runner turns
 * into annotations on the run and on the pull request's Files view:
 *
 *   ::error file=infra/main.tf,line=5,col=17,endLine=5,endColumn=37,title=hardcoded-secret::AWS access key id …
 *
 * Paths are relative to the folder the scan ran in (the runner resolves them against the checkout).
 * Messages arrive redacted; what could end the command early is escaped as the runner's toolkit
 * does (`@actions/core`'s `escapeData` and `escapeProperty`), so a name quoted from a file can
 * never start a workflow command of its own. Files that could not be read or analyzed completely
 * are annotated too, as warnings or errors titled "keyless".
 */

type Command = 'error' | 'warning' | 'notice';

const COMMAND: Record<Severity, Command> = { error: 'error', warning: 'warning', info: 'notice' };

/** A command's message: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property's value: the message's escapes, and `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function workflowCommand(command: Command, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${command}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`;
}

export function formatGithub(result: ScanResult): string {
  const lines: string[] = [];
  for (const scanned of result.files) {
    for (const f of scanned.findings) {
      const start = oneBased(f.range.start);
      const end = oneBased(f.range.end);
      lines.push(
        workflowCommand(
          COMMAND[f.severity],
          { file: pathFromCwd(result.cwd, f.path), line: start.line, col: start.column, endLine: end.line, endColumn: end.column, title: f.rule },
          f.message,
        ),
      );
    }
    if (scanned.problem) {
      const incomplete = scanned.problem.kind === 'failure' || scanned.problem.kind === 'internal';
      const at: Record<string, number> = scanned.problem.kind === 'syntax' ? { line: oneBased(scanned.problem.position).line } : {};
      lines.push(workflowCommand(incomplete ? 'error' : 'warning', { file: pathFromCwd(result.cwd, scanned.file), ...at, title: 'keyless' }, describeProblem(scanned.problem)));
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}
