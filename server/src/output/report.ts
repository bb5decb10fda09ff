import * as path from 'node:path';
import type { FileReport } from '../engine/analyze';
import { SEVERITY_RANK, type Finding, type Severity } from '../core/finding';
import type { Position } from '../core/text';
import { maskedLines } from './redact';

/**
 * What a scan produced, in the shape every output format reads: findings per file with paths as the
 * user should read them, the few source lines the text and SARIF formats quote (already masked),
 * and what went wrong along the way. Building this is where the file's text is dropped, so no
 * formatter ever holds it; messages, notes and parser errors arrive redacted from the engine
 * (Engine.analyze passes every string of a FileReport through secrets/redact.ts).
 */

export interface ScannedFile {
  /** As given on the command line, or relative to the current folder; `/` separators. */
  file: string;
  /** Sorted by position; paths (and related paths) rewritten to `file`. */
  findings: Finding[];
  /** 0-based line → text of each line a finding starts on, credential values masked. */
  lines: ReadonlyMap<number, string>;
  /** Why the file could not be read, or the syntax errors the parser recovered from. */
  problem: FileProblem | undefined;
  /** Why the file was skipped or only partly read. */
  notes: string[];
  /** Relative to its workspace root (the repository), `/` separators: how a baseline names it. */
  workspacePath?: string;
  /** `--baseline`: the findings the baseline holds, taken out of `findings` (output/baseline.ts). */
  baselined?: Finding[];
}

export type FileProblem =
  | { kind: 'unreadable'; message: string }
  | { kind: 'syntax'; message: string; position: Position; more: number }
  /** The analysis could not complete (FileReport errors with `failure`): only the secret scan stands. */
  | { kind: 'failure'; message: string }
  | { kind: 'internal'; message: string };

export interface RuleFailure {
  rule: string;
  file: string;
  /** The error's class name only: its message might quote the input. */
  errorName: string;
}

export interface ConfigMessage {
  file: string;
  /** 0-based. */
  position: Position;
  message: string;
}

export interface ScanResult {
  /** Absolute; relative paths in `files` are relative to it. */
  cwd: string;
  /** Files with findings, problems or notes, sorted by path. */
  files: ScannedFile[];
  /** How many files were handed to the engine. */
  fileCount: number;
  ruleFailures: RuleFailure[];
  configMessages: ConfigMessage[];
  /** When the scan started, for the formats that say (GitLab's report); the time of writing when absent. */
  startedAt?: Date;
  /** `keyless fix` only: what the applied fixes leave for a person, in order (output/next-steps.ts). */
  followUps?: string[];
  /** `keyless scan --baseline FILE`: the file as named, and how many findings it held out of the report. */
  baseline?: { file: string; matched: number };
}

export interface Tool {
  name: string;
  version: string;
  informationUri: string;
  /** A rule's page in Markdown, for SARIF's rule help: the adapter reads it (`workspace/rule-docs.ts`); undefined when not shipped. */
  rulePage: (ruleId: string) => string | undefined;
}

/**
 * The result of one file's analysis, ready for output. `text` is used here and then dropped; only
 * the lines findings start on are kept, masked.
 */
export function scannedFile(file: string, report: FileReport, text: string): ScannedFile {
  const masked = maskedLines(text, report.findings, new Set(report.findings.map((f) => f.range.start.line)));
  const findings = report.findings
    .map((f): Finding => ({
      ...f,
      path: file,
      related: f.related.map((r) => ({ ...r, path: r.path === report.path ? file : r.path })),
    }))
    .sort(compareFindings);
  return { file, findings, lines: masked, problem: syntaxProblem(report), notes: report.notes, workspacePath: report.path };
}

export function unanalyzedFile(file: string, problem: FileProblem | undefined, notes: string[] = []): ScannedFile {
  return { file, findings: [], lines: new Map(), problem, notes };
}

function syntaxProblem(report: FileReport): FileProblem | undefined {
  // A failure outranks syntax errors: it is what the person must hear about this file.
  const failure = report.errors.find((e) => e.failure);
  if (failure) return { kind: 'failure', message: failure.message };
  const [first, ...rest] = report.errors;
  if (!first) return undefined;
  // `yaml` ends its messages with "at line L, column C:", which the prefix already says.
  const message = first.message.replace(/\s+at line \d+, column \d+:?\s*$/, '');
  return { kind: 'syntax', message, position: first.range.start, more: rest.length };
}

/** One line per problem: the `message` of a JSON `errors` entry. */
export function describeProblem(problem: FileProblem): string {
  if (problem.kind !== 'syntax') return problem.message;
  const { line, column } = oneBased(problem.position);
  const more = problem.more > 0 ? ` (and ${problem.more} more)` : '';
  return `syntax error at ${line}:${column}: ${problem.message}${more}`;
}

/** 1-based line and column, as every output format and editor status bar counts. */
export function oneBased(position: Position): { line: number; column: number } {
  return { line: position.line + 1, column: position.character + 1 };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.message, b.message)
  );
}

/** Code-unit order: the same on every machine, whatever its locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function allFindings(result: ScanResult): Finding[] {
  return result.files.flatMap((f) => f.findings);
}

/**
 * Whether some file could not be analyzed completely (its analysis failed, or threw): the result
 * is not the whole truth, which an exit status of 2 says whatever `--fail-on` is.
 */
export function hasIncompleteFiles(result: ScanResult): boolean {
  return result.files.some((f) => f.problem?.kind === 'failure' || f.problem?.kind === 'internal');
}

/** Whether some finding is at or above `threshold` ("never" fails nothing). */
export function failsThreshold(result: ScanResult, threshold: Severity | 'never'): boolean {
  if (threshold === 'never') return false;
  return allFindings(result).some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]);
}

/**
 * A file's path relative to the folder the scan ran in, with `/` separators: what CI hosts resolve
 * against the checkout (GitHub's annotations, GitLab's reports). A file outside it keeps its
 * absolute path, which no host can place but a person can read.
 */
export function pathFromCwd(cwd: string, file: string): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return absolute.split(path.sep).join('/');
  return relative.split(path.sep).join('/');
}
