import { describeProblem, oneBased, type ConfigMessage, type ScanResult } from './report';
import { printable } from './terminal';

/**
 * What the CLI tells the person running it on stderr, whatever the report format: config
 * problems, files it could not read or parse, notes, rules that failed. Never a file's content.
 */

/** `.keyless.yaml:3:5: unknown rule "foo"`, the way compilers name a place. */
export function configMessageLine(m: ConfigMessage): string {
  const { line, column } = oneBased(m.position);
  return printable(`${m.file}:${line}:${column}: ${m.message}`);
}

/** One line per file problem, note and rule failure, in file order. */
export function runMessageLines(result: ScanResult): string[] {
  const lines: string[] = [];
  for (const scanned of result.files) {
    if (scanned.problem) {
      // A file the analysis could not finish is an error (and exit status 2); a syntax error it
      // recovered from, or a file it could not read, stays a warning.
      const level = scanned.problem.kind === 'failure' || scanned.problem.kind === 'internal' ? 'error' : 'warning';
      lines.push(`${level}: ${scanned.file}: ${describeProblem(scanned.problem)}`);
    }
    for (const note of scanned.notes) lines.push(`note: ${scanned.file}: ${note}`);
  }
  for (const failure of result.ruleFailures) {
    lines.push(`warning: rule "${failure.rule}" failed on ${failure.file} (${failure.errorName}) and was skipped for that file; the other rules still ran`);
  }
  return lines.map(printable);
}
