import type { Finding, Severity } from '../core/finding';
import { allFindings, oneBased, type ScanResult } from './report';
import { COLOR, PLAIN, printable, type Style } from './terminal';

/**
 * `--format text`, for people: one block per finding, the way compilers print them.
 *
 *   infra/main.tf:3:16 error hardcoded-secret AWS access key id "AKIA…LE" is written in the file: …
 *      3 |   access_key = "AKIA**************LE"
 *        |                ^^^^^^^^^^^^^^^^^^^^^^
 *        = related infra/main.tf:4:16: AWS secret access key "wJal…EY"
 *
 * The quoted line comes masked from the scan (see redact.ts).
 */

export interface TextOptions {
  color: boolean;
}

/** Lines longer than this are shown as a window around the finding (minified JSON is one line). */
const MAX_SHOWN = 160;
const CONTEXT_BEFORE = 40;
const TAB_WIDTH = 4;

export function formatText(result: ScanResult, options: TextOptions): string {
  const style = options.color ? COLOR : PLAIN;
  const blocks = result.files.flatMap((scanned) => scanned.findings.map((f) => findingBlock(f, scanned.lines.get(f.range.start.line), style)));
  if (result.followUps !== undefined && result.followUps.length > 0) blocks.push(nextStepsBlock(result.followUps, style));
  return blocks.map((b) => `${b}\n`).join('\n');
}

/**
 * `keyless fix`'s "Next steps", after what is left:
 *
 *   Next steps:
 *     - Set the repository variable AWS_ACCOUNT_ID to the id of the account that holds …
 *     - Review terraform/keyless-oidc-site-production.tf, then apply it: terraform apply
 */
function nextStepsBlock(followUps: readonly string[], style: Style): string {
  return [style.bold('Next steps:'), ...followUps.map((note) => `  - ${printable(note)}`)].join('\n');
}

function findingBlock(f: Finding, line: string | undefined, style: Style): string {
  const { line: lineNumber, column } = oneBased(f.range.start);
  const header = `${style.bold(printable(`${f.path}:${lineNumber}:${column}`))} ${severityStyle(f.severity, style)(f.severity)} ${style.dim(f.rule)} ${printable(f.message)}`;
  const out = [header];
  const gutter = String(lineNumber).length + 3;
  if (line !== undefined) {
    const endCharacter = f.range.end.line === f.range.start.line ? f.range.end.character : line.length;
    const { shown, padding, width } = excerpt(line, f.range.start.character, endCharacter);
    out.push(`${style.dim(`${String(lineNumber).padStart(gutter - 1)} |`)} ${shown}`);
    out.push(`${style.dim(`${' '.repeat(gutter)}|`)} ${' '.repeat(padding)}${severityStyle(f.severity, style)('^'.repeat(width))}`);
  }
  for (const r of f.related) {
    const at = oneBased(r.range.start);
    out.push(`${' '.repeat(gutter)}${style.dim('=')} related ${printable(`${r.path}:${at.line}:${at.column}: ${r.message}`)}`);
  }
  return out.join('\n');
}

/**
 * The line as printed (tabs expanded, long lines windowed) and where the underline goes under it:
 * `padding` columns of indent, then `width` carets (at least one, so an empty range still shows).
 */
function excerpt(line: string, start: number, end: number): { shown: string; padding: number; width: number } {
  let from = 0;
  let to = line.length;
  if (line.length > MAX_SHOWN) {
    from = Math.max(0, Math.min(start - CONTEXT_BEFORE, line.length - MAX_SHOWN));
    to = from + MAX_SHOWN;
  }
  const prefix = from > 0 ? '…' : '';
  const suffix = to < line.length ? '…' : '';
  let shown = prefix;
  let padding = prefix.length;
  let width = 0;
  for (let i = from; i < to; i++) {
    const c = line[i]!;
    const cell = c === '\t' ? ' '.repeat(TAB_WIDTH) : printable(c);
    shown += cell;
    if (i < start) padding += cell.length;
    else if (i < end) width += cell.length;
  }
  return { shown: shown + suffix, padding, width: Math.max(1, width) };
}

function severityStyle(severity: Severity, style: Style): (text: string) => string {
  return severity === 'error' ? style.red : severity === 'warning' ? style.yellow : style.cyan;
}

/** `3 findings (2 errors, 1 warning) in 12 files`. */
export function formatSummary(result: ScanResult): string {
  const findings = allFindings(result);
  const files = `${result.fileCount} ${plural(result.fileCount, 'file')}`;
  if (findings.length === 0) return `no findings in ${files}`;
  const bySeverity = (['error', 'warning', 'info'] as const)
    .map((s) => ({ s, n: findings.filter((f) => f.severity === s).length }))
    .filter(({ n }) => n > 0)
    .map(({ s, n }) => `${n} ${s === 'info' ? s : plural(n, s)}`);
  return `${findings.length} ${plural(findings.length, 'finding')} (${bySeverity.join(', ')}) in ${files}`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
