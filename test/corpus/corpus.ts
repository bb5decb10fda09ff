import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYamlValue } from 'yaml';
import type { Engine, FileReport } from '../../server/src/engine/analyze';
import { sharedPath } from '../shared';

/**
 * The public corpus in ../shared/corpus: peer scanners' fixtures with a manifest of what Keyless
 * must and must not report (see its README). Read in place, never copied into this repository.
 */
export const CORPUS_DIR = sharedPath('corpus');

export interface ManifestEntry {
  file: string;
  scan?: string;
  snippet?: { key: (string | number)[]; startLine: number; endLine: number; ext: string };
  expect: { rule: string; line: number }[];
  forbid: string[];
  forbidRanges?: { rules: string[]; start: number; end: number }[];
  peer: string[];
  note?: string;
}

export function corpusAvailable(): boolean {
  return fs.existsSync(path.join(CORPUS_DIR, 'manifest.json'));
}

export function readManifest(): ManifestEntry[] {
  return JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8')) as ManifestEntry[];
}

/** A finding reduced to what the manifest speaks of: rule and 1-based start line, in the entry's file numbering. */
export interface CorpusFinding {
  rule: string;
  line: number;
}

export interface EntryScan {
  findings: CorpusFinding[];
  reports: FileReport[];
  ruleErrors: string[];
}

/**
 * Scans what an entry names: its `scan` unit (a file, or a folder whose files are scanned on their
 * own), or its Trivy snippet written to a temp file, with lines mapped back to the container.
 */
export function scanEntry(engine: Engine, entry: ManifestEntry): EntryScan {
  const ruleErrors: string[] = [];
  const onRuleError = (rule: { id: string }, error: unknown): void => {
    ruleErrors.push(`${rule.id}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  };
  if (entry.snippet) {
    const container = parseYamlValue(fs.readFileSync(path.join(CORPUS_DIR, entry.file), 'utf8')) as unknown;
    let value: unknown = container;
    for (const step of entry.snippet.key) value = (value as Record<string | number, unknown>)[step];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-corpus-'));
    const name = `${path.basename(entry.file, '.yaml')}.${entry.snippet.key.join('.')}${entry.snippet.ext}`;
    const file = path.join(dir, name);
    fs.writeFileSync(file, String(value));
    try {
      const report = engine.analyze({ path: file, text: String(value) }, { onRuleError });
      const offset = entry.snippet.startLine - 1;
      return { findings: report.findings.map((f) => ({ rule: f.rule, line: f.range.start.line + 1 + offset })), reports: [report], ruleErrors };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const unit = path.join(CORPUS_DIR, entry.scan ?? entry.file);
  const files = fs.statSync(unit).isDirectory() ? fs.readdirSync(unit).map((f) => path.join(unit, f)).filter((f) => fs.statSync(f).isFile()) : [unit];
  const reports = files.map((file) => engine.analyze({ path: file, text: fs.readFileSync(file, 'utf8') }, { onRuleError }));
  const own = reports.find((r) => path.resolve(r.path) === path.join(CORPUS_DIR, entry.file));
  return { findings: (own?.findings ?? []).map((f) => ({ rule: f.rule, line: f.range.start.line + 1 })), reports, ruleErrors };
}

export interface EntryVerdict {
  hits: { rule: string; line: number }[];
  misses: { rule: string; line: number }[];
  forbidden: { rule: string; line: number; why: string }[];
  /** Expectations of rules Keyless does not ship yet. */
  pending: { rule: string; line: number }[];
}

export function judge(entry: ManifestEntry, findings: CorpusFinding[], shippedRules: ReadonlySet<string>): EntryVerdict {
  const verdict: EntryVerdict = { hits: [], misses: [], forbidden: [], pending: [] };
  for (const expected of entry.expect) {
    if (!shippedRules.has(expected.rule)) verdict.pending.push(expected);
    else if (findings.some((f) => f.rule === expected.rule && f.line === expected.line)) verdict.hits.push(expected);
    else verdict.misses.push(expected);
  }
  for (const finding of findings) {
    if (entry.forbid.includes(finding.rule)) verdict.forbidden.push({ ...finding, why: 'forbidden in this file' });
    for (const range of entry.forbidRanges ?? []) {
      if (range.rules.includes(finding.rule) && finding.line >= range.start && finding.line <= range.end) {
        verdict.forbidden.push({ ...finding, why: `forbidden in lines ${range.start}-${range.end}` });
      }
    }
  }
  return verdict;
}
