import { SEVERITY_RANK, type Severity } from '../core/finding';
import { ruleDocsWebUrl } from '../rules/docs';
import { allFindings, hasIncompleteFiles, oneBased, pathFromCwd, type ScanResult } from './report';
import { formatSummary } from './text';

/**
 * The GitHub Action's step summary (`GITHUB_STEP_SUMMARY`): a heading with the counts, a table of
 * findings by rule and severity, and the first findings linked to their lines. Markdown, so what a
 * message quotes from a file (already redacted) is escaped and cannot add a link, an image or HTML.
 */

export interface SummaryContext {
  /** The web address of a file's line at the scanned commit, or undefined when not known. */
  lineUrl?: (file: string, line: number) => string | undefined;
  /** Says what was scanned: "pull request #42 at `abc1234`". */
  subject?: string;
}

/** How many findings the summary lists one by one; the table counts them all. */
export const LISTED_FINDINGS = 30;

export function formatStepSummary(result: ScanResult, context: SummaryContext = {}): string {
  const findings = allFindings(result);
  const out = [`### Keyless: ${formatSummary(result)}`, ''];
  if (context.subject) out.push(`Scanned ${context.subject}.`, '');
  if (hasIncompleteFiles(result)) {
    const incomplete = result.files.filter((f) => f.problem?.kind === 'failure' || f.problem?.kind === 'internal').length;
    out.push(`**${incomplete} ${incomplete === 1 ? 'file' : 'files'} could not be analyzed completely**: see the step's log.`, '');
  }
  if (findings.length === 0) return `${out.join('\n')}\n`;
  const rows = new Map<string, { rule: string; severity: Severity; count: number }>();
  for (const f of findings) {
    const key = `${f.rule}\0${f.severity}`;
    const row = rows.get(key) ?? { rule: f.rule, severity: f.severity, count: 0 };
    row.count++;
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  out.push('| Rule | Severity | Findings |', '| --- | --- | ---: |');
  for (const row of sorted) out.push(`| [${escapeMarkdown(row.rule)}](${ruleDocsWebUrl(row.rule)}) | ${row.severity} | ${row.count} |`);
  out.push('', '<details><summary>Findings</summary>', '');
  for (const f of findings.slice(0, LISTED_FINDINGS)) {
    const file = pathFromCwd(result.cwd, f.path);
    const { line } = oneBased(f.range.start);
    const place = escapeMarkdown(`${file}:${line}`);
    const url = context.lineUrl?.(file, line);
    out.push(`- ${f.severity} ${url ? `[${place}](${url})` : place} ${escapeMarkdown(f.rule)}: ${escapeMarkdown(f.message)}`);
  }
  if (findings.length > LISTED_FINDINGS) out.push(`- … and ${findings.length - LISTED_FINDINGS} more in the report`);
  out.push('', '</details>');
  return `${out.join('\n')}\n`;
}

/** Text as itself in GitHub Markdown: one line, every character that could start markup escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}
