import type { Finding } from '../core/finding';
import { compareStrings, oneBased, type ScanResult, type ScannedFile } from './report';

/**
 * The baseline file (`keyless baseline` writes it, `keyless scan --baseline` reads it): the findings
 * a repository has accepted for now, so that a scan reports only new ones. Each entry is matched by
 * rule, file (relative to the workspace root: the repository) and fingerprint
 * (engine/fingerprint.ts), never by line; `block`, `text` and `line` are for the person reviewing
 * the file in a diff and are not read back. Sorted by file, block, rule and fingerprint, two-space
 * JSON with one entry per finding: regenerating it over the same findings gives the same bytes,
 * and a line move elsewhere in a file leaves every entry but its `line` as it was. No value: the
 * fingerprint hashes redacted text, and `text` is that redacted text.
 */

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  rule: string;
  file: string;
  fingerprint: string;
  /** For people: the enclosing keys and blocks. */
  block: string;
  /** For people: the anchored text, credential values masked. */
  text: string;
  /** For people: where the finding was when the baseline was written. Never matched. */
  line: number;
}

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  tool: 'keyless';
  findings: BaselineEntry[];
}

/** Every finding of a scan as baseline entries (files read with no fingerprint have none to give). */
export function baselineOf(result: ScanResult): BaselineFile {
  const findings: BaselineEntry[] = [];
  for (const scanned of result.files) {
    for (const f of scanned.findings) {
      if (!f.fingerprint) continue;
      findings.push({ rule: f.rule, file: baselinePath(scanned), fingerprint: f.fingerprint.hash, block: f.fingerprint.block, text: f.fingerprint.text, line: oneBased(f.range.start).line });
    }
  }
  findings.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.block, b.block) || compareStrings(a.rule, b.rule) || compareStrings(a.fingerprint, b.fingerprint));
  return { version: BASELINE_VERSION, tool: 'keyless', findings };
}

export function formatBaseline(result: ScanResult): string {
  return `${JSON.stringify(baselineOf(result), null, 2)}\n`;
}

/** A baseline file that cannot be used: the message says why, without quoting it. */
export class BaselineError extends Error {}

/** What a baseline matches: rule, file and fingerprint of each entry. */
export interface Baseline {
  has(rule: string, file: string, fingerprint: string): boolean;
  size: number;
}

export function parseBaseline(text: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BaselineError('is not JSON (write it with "keyless baseline")');
  }
  if (!isObject(data) || data.version !== BASELINE_VERSION || !Array.isArray(data.findings)) {
    throw new BaselineError(`is not a Keyless baseline of version ${BASELINE_VERSION} (write it with "keyless baseline")`);
  }
  const keys = new Set<string>();
  for (const [i, entry] of data.findings.entries()) {
    if (!isObject(entry) || typeof entry.rule !== 'string' || typeof entry.file !== 'string' || typeof entry.fingerprint !== 'string') {
      throw new BaselineError(`entry ${i + 1} needs "rule", "file" and "fingerprint" strings`);
    }
    keys.add(matchKey(entry.rule, entry.file, entry.fingerprint));
  }
  return { has: (rule, file, fingerprint) => keys.has(matchKey(rule, file, fingerprint)), size: keys.size };
}

/**
 * Takes the findings the baseline holds out of each file's findings, into `baselined`, and says how
 * many: every output format then shows the new findings only, and the exit status counts only them.
 */
export function applyBaseline(result: ScanResult, baseline: Baseline): number {
  let matched = 0;
  for (const scanned of result.files) {
    const file = baselinePath(scanned);
    const kept: Finding[] = [];
    const baselined: Finding[] = [];
    for (const f of scanned.findings) {
      if (f.fingerprint && baseline.has(f.rule, file, f.fingerprint.hash)) baselined.push(f);
      else kept.push(f);
    }
    scanned.findings = kept;
    if (baselined.length > 0) scanned.baselined = baselined;
    matched += baselined.length;
  }
  return matched;
}

/** The file as a baseline names it: relative to its workspace root, else as the user named it. */
function baselinePath(scanned: ScannedFile): string {
  return scanned.workspacePath ?? scanned.file;
}

function matchKey(rule: string, file: string, fingerprint: string): string {
  return `${rule}\0${file}\0${fingerprint}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
