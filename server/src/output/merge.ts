import * as path from 'node:path';
import type { JsonFinding, JsonReport } from './json';

/**
 * `keyless merge`: many `keyless scan --format json` reports (one per repository of an
 * organisation, say) into one document. Pure: the CLI (cli/merge.ts) reads the files and hands
 * their text here.
 *
 * Which repository a report belongs to: a version-1 report names none, so its file says it — the
 * file name without `.json`, except a report named `keyless.json`, whose parent folder names it
 * (`reports/api/keyless.json` → `api`, `reports/api.json` → `api`). The organisation workflow
 * (examples/.github/workflows/keyless-org.yml) downloads each repository's artifact into a folder
 * of its name, holding `keyless.json`.
 *
 * A finding is the same finding when repository, file, rule and fingerprint agree (a report
 * without fingerprints falls back to the finding's range); the second is dropped and counted.
 * Everything is sorted, so the same reports give the same bytes whatever order they were named in.
 */

export interface MergeInput {
  /** The report's path as the user named it. */
  path: string;
  text: string;
  /** The repository, when the caller knows better than `repositoryOf(path)` (the CLI passes the absolute path's). */
  repository?: string;
}

export interface MergedFinding extends JsonFinding {
  repository: string;
}

export interface MergedReport {
  version: 1;
  reports: { file: string; repository: string; findings: number; errors: number }[];
  findings: MergedFinding[];
  errors: { repository: string; file: string; message: string }[];
  counts: {
    findings: number;
    duplicates: number;
    byRule: Record<string, number>;
    byRepository: Record<string, number>;
  };
}

/** A report that is not JSON, or not a Keyless JSON report: the CLI exits 2 with its message. */
export class MergeInputError extends Error {}

export const REPORT_NAMED_BY_FOLDER = 'keyless.json';

export function repositoryOf(reportPath: string): string {
  const normalized = reportPath.replace(/\\/g, '/');
  const base = path.posix.basename(normalized);
  if (base === REPORT_NAMED_BY_FOLDER) {
    const folder = path.posix.basename(path.posix.dirname(path.posix.resolve('/', normalized)));
    if (folder !== '') return folder;
  }
  return base.replace(/\.json$/i, '');
}

/** The report in `input`, checked field by field against the version-1 contract in json.ts. */
export function parseReport(input: MergeInput): JsonReport {
  let value: unknown;
  try {
    value = JSON.parse(input.text);
  } catch {
    throw new MergeInputError(`${input.path} is not JSON`);
  }
  const fail = (what: string): never => {
    throw new MergeInputError(`${input.path} is not a Keyless JSON report (${what}); write one with "keyless scan --format json"`);
  };
  if (!isRecord(value)) return fail('not an object');
  if (value.version !== 1) return fail(value.version === undefined ? 'no "version"' : `unsupported version ${JSON.stringify(value.version)}`);
  if (!Array.isArray(value.findings)) return fail('no "findings" list');
  if (!Array.isArray(value.errors)) return fail('no "errors" list');
  value.findings.forEach((finding: unknown, i: number) => {
    const problem = findingProblem(finding);
    if (problem !== undefined) fail(`finding ${i + 1}: ${problem}`);
  });
  value.errors.forEach((error: unknown, i: number) => {
    if (!isRecord(error) || typeof error.file !== 'string' || typeof error.message !== 'string') fail(`error ${i + 1}: needs "file" and "message"`);
  });
  return value as unknown as JsonReport;
}

export function mergeReports(inputs: readonly MergeInput[]): MergedReport {
  const ordered = [...inputs].sort((a, b) => compare(a.path, b.path));
  const reports: MergedReport['reports'] = [];
  const findings: MergedFinding[] = [];
  const errors: MergedReport['errors'] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const input of ordered) {
    const report = parseReport(input);
    const repository = input.repository ?? repositoryOf(input.path);
    reports.push({ file: input.path, repository, findings: report.findings.length, errors: report.errors.length });
    for (const finding of report.findings) {
      const key = [repository, finding.file, finding.rule, finding.fingerprint ?? `${finding.line}:${finding.column}-${finding.endLine}:${finding.endColumn}`].join('\u0000');
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      findings.push({ repository, ...finding });
    }
    for (const error of report.errors) errors.push({ repository, file: error.file, message: error.message });
  }
  findings.sort(
    (a, b) =>
      compare(a.repository, b.repository) ||
      compare(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compare(a.rule, b.rule) ||
      compare(a.fingerprint ?? '', b.fingerprint ?? ''),
  );
  errors.sort((a, b) => compare(a.repository, b.repository) || compare(a.file, b.file) || compare(a.message, b.message));
  const byRule = new Map<string, number>();
  const byRepository = new Map<string, number>();
  for (const report of reports) if (!byRepository.has(report.repository)) byRepository.set(report.repository, 0);
  for (const finding of findings) {
    byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
    byRepository.set(finding.repository, (byRepository.get(finding.repository) ?? 0) + 1);
  }
  return {
    version: 1,
    reports,
    findings,
    errors,
    counts: { findings: findings.length, duplicates, byRule: sortedRecord(byRule), byRepository: sortedRecord(byRepository) },
  };
}

export function formatMerged(merged: MergedReport): string {
  return `${JSON.stringify(merged, null, 2)}\n`;
}

function findingProblem(finding: unknown): string | undefined {
  if (!isRecord(finding)) return 'not an object';
  for (const key of ['rule', 'severity', 'file', 'message'] as const) if (typeof finding[key] !== 'string') return `no "${key}"`;
  for (const key of ['line', 'column', 'endLine', 'endColumn'] as const) if (typeof finding[key] !== 'number') return `no "${key}"`;
  if (!Array.isArray(finding.related)) return 'no "related" list';
  if (finding.fingerprint !== undefined && typeof finding.fingerprint !== 'string') return '"fingerprint" is not a string';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Code-unit order, not the locale's: the same bytes on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRecord(counts: Map<string, number>): Record<string, number> {
  const record: Record<string, number> = {};
  for (const key of [...counts.keys()].sort(compare)) record[key] = counts.get(key)!;
  return record;
}
