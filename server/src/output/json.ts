import type { Severity } from '../core/finding';
import { describeProblem, oneBased, type ScanResult } from './report';

/**
 * `--format json`: a stable contract for scripts. Exactly these fields and no others; adding one is
 * a new `version` (`fingerprint` and `baseline`, added since, are optional: a reader of version 1
 * that does not know them loses nothing it read before). Lines and columns are 1-based; `file` is as the user named it. `followUps` is
 * `keyless fix`'s (what the applied fixes leave for a person, one sentence each) and is always
 * there in its report, never in `keyless scan`'s.
 */
export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  errors: { file: string; message: string }[];
  followUps?: string[];
  /** `keyless scan --baseline FILE` only: the baseline, and how many findings it held out of `findings`. */
  baseline?: { file: string; matched: number };
}

export interface JsonFinding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
  /** What a baseline matches the finding by (engine/fingerprint.ts); SARIF's `partialFingerprints["keyless/v1"]`. */
  fingerprint?: string;
}

export function jsonReport(result: ScanResult): JsonReport {
  const findings: JsonFinding[] = [];
  const errors: JsonReport['errors'] = [];
  for (const scanned of result.files) {
    for (const f of scanned.findings) {
      const start = oneBased(f.range.start);
      const end = oneBased(f.range.end);
      findings.push({
        rule: f.rule,
        severity: f.severity,
        file: f.path,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        message: f.message,
        related: f.related.map((r) => ({ file: r.path, ...oneBased(r.range.start), message: r.message })),
        ...(f.fingerprint ? { fingerprint: f.fingerprint.hash } : {}),
      });
    }
    if (scanned.problem) errors.push({ file: scanned.file, message: describeProblem(scanned.problem) });
  }
  return {
    version: 1,
    findings,
    errors,
    ...(result.followUps !== undefined ? { followUps: result.followUps } : {}),
    ...(result.baseline !== undefined ? { baseline: result.baseline } : {}),
  };
}

export function formatJson(result: ScanResult): string {
  return `${JSON.stringify(jsonReport(result), null, 2)}\n`;
}
