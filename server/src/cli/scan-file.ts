import * as fs from 'node:fs';
import { MAX_FILE_BYTES, TOO_LARGE_NOTE, type AnalyzeOptions, type Engine } from '../engine/analyze';
import { scannedFile, unanalyzedFile, type RuleFailure, type ScannedFile } from '../output/report';

/**
 * One file of `keyless scan`: read it, analyze it, turn the report into what the formatters read.
 * The same function runs on the main thread and in the scan workers, and what it returns is plain
 * data (structured-clone safe), so a file's result, its read error or its rule failures come out
 * the same wherever it was analyzed.
 */

export interface Candidate {
  absolute: string;
  /** How the user reads it: as given, or joined to the folder as given; `/` separators. */
  file: string;
  /** What the engine sees (dialect detection reads it): relative to the workspace root when inside. */
  enginePath: string;
}

export interface ScanOutcome {
  scanned: ScannedFile;
  /** Rules that threw on this file: data, not errors, so they cross a thread like any result. */
  ruleFailures: RuleFailure[];
  /** The file's size in bytes (0 when it could not be read): how much work it was. */
  bytes: number;
}

/**
 * `options` must not carry `onRuleError`: failures are collected into the outcome.
 *
 * Reading is synchronous: the files are small and nearly always in the page cache, where a
 * promise-based stat and read (open, fstat, read, close: round trips through the thread pool)
 * cost the main thread more than the read itself, over a tenth of a 5,000-file scan.
 */
export function scanFile(candidate: Candidate, engine: Engine, options: Omit<AnalyzeOptions, 'onRuleError'>): ScanOutcome {
  const { absolute, file } = candidate;
  const ruleFailures: RuleFailure[] = [];
  let text: string;
  let bytes = 0;
  try {
    bytes = fs.statSync(absolute).size;
    // The limit is in bytes: a file over it is skipped without being read into memory.
    if (bytes > MAX_FILE_BYTES) return { scanned: unanalyzedFile(file, undefined, [TOO_LARGE_NOTE]), ruleFailures, bytes: 0 };
    const raw = fs.readFileSync(absolute, 'utf8');
    // Editors do not count a byte-order mark as a column; neither do the positions printed here.
    text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  } catch (error) {
    return { scanned: unanalyzedFile(file, { kind: 'unreadable', message: `cannot read the file: ${describeFsError(error)}` }), ruleFailures, bytes: 0 };
  }
  try {
    const report = engine.analyze(
      { path: candidate.enginePath, text },
      // A scan reports findings; their fixes are `keyless fix`'s business, and cost more than the rules.
      { ...options, fixes: false, onRuleError: (rule, error) => ruleFailures.push({ rule: rule.id, file, errorName: errorName(error) }) },
    );
    return { scanned: scannedFile(file, report, text), ruleFailures, bytes };
  } catch (error) {
    return { scanned: unanalyzedFile(file, { kind: 'internal', message: `analysis failed (${errorName(error)}): this is a bug in Keyless` }), ruleFailures, bytes };
  }
}

/** A reason without the OS message, which repeats the path. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return code ?? errorName(error);
  }
}

/** The class of an error and nothing else: a message may quote the input. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
