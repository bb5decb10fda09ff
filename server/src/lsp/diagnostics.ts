import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { ConfigProblem } from '../engine/config';
import type { Finding, Severity } from '../core/finding';
import { ruleDocsUrl } from '../workspace/rule-docs';
import { LineIndex } from '../syntax/text';
import { editTargetUri, otherFileUri, type DocumentTarget } from './paths';

/** The `source` of every diagnostic Keyless publishes; code actions only act on these. */
export const DIAGNOSTIC_SOURCE = 'keyless';

/** The diagnostic code of a `.keyless.yaml` problem (not a rule: it has no fixes and no page). */
export const CONFIG_PROBLEM_CODE = 'invalid-config';

export interface DiagnosticFixEdit {
  uri: string;
  range: Range;
  newText: string;
}

export interface DiagnosticFix {
  title: string;
  safe: boolean;
  edits: DiagnosticFixEdit[];
  /** URIs of the files the fix creates: each one's whole text is its edit at 0. */
  creates?: string[];
  /** What is left for a person once it is applied (Fix.followUps). */
  followUps?: string[];
}

/**
 * What rides on each diagnostic: the rule, and the document version its range belongs to. Fixes do
 * not ride along: they cost more than the findings, so a code action computes those of the
 * diagnostics it is asked about (server.ts), on the text this version names.
 */
export interface KeylessDiagnosticData {
  rule: string;
  /** Null for files analyzed from disk (workspace scan), which have no editor version. */
  version: number | null;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** ruleDocsUrl checks the disk for the bundled page; once per rule is enough for a session. */
const docsUrls = new Map<string, string>();

function docsUrlOf(rule: string): string {
  let url = docsUrls.get(rule);
  if (url === undefined) {
    url = ruleDocsUrl(rule);
    docsUrls.set(rule, url);
  }
  return url;
}

export interface DiagnosticOptions {
  target: DocumentTarget;
  version: number | null;
  /** Whether the client shows `relatedInformation`; without it the locations are left off. */
  relatedInformation: boolean;
}

export function toDiagnostic(finding: Finding, options: DiagnosticOptions): Diagnostic {
  const { target } = options;
  const data: KeylessDiagnosticData = { rule: finding.rule, version: options.version };
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.rule,
    codeDescription: { href: docsUrlOf(finding.rule) },
    message: finding.message,
    data,
  };
  if (options.relatedInformation && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map(
      (related): DiagnosticRelatedInformation => ({
        location: { uri: editTargetUri(related.path, target), range: related.range },
        message: related.message,
      }),
    );
  }
  return diagnostic;
}

/**
 * A finding's fixes with their edits in URIs. Every path of a fix must name a file the editor can
 * find, or the fix is left out whole (a fix must never land on the wrong file).
 */
export function toDiagnosticFixes(finding: Finding, target: DocumentTarget): DiagnosticFix[] {
  return finding.fixes.flatMap((fix) => {
    const uriOf = (file: string): string => otherFileUri(file, target) ?? '';
    const edits = fix.edits.map((edit) => ({ uri: uriOf(edit.path), range: edit.range, newText: edit.newText }));
    const creates = (fix.creates ?? []).map(uriOf);
    if (edits.some((edit) => edit.uri === '') || creates.some((uri) => uri === '')) return [];
    return [{ title: fix.title, safe: fix.safe, edits, ...(creates.length > 0 ? { creates } : {}), ...(fix.followUps && fix.followUps.length > 0 ? { followUps: fix.followUps } : {}) }];
  });
}

/** One diagnostic per problem of a `.keyless.yaml`, spanning the rest of the problem's line. */
export function configProblemDiagnostics(problems: readonly ConfigProblem[], text: string | undefined): Diagnostic[] {
  const index = text === undefined ? undefined : new LineIndex(text);
  return problems.map((problem) => {
    const endCharacter = index === undefined ? problem.position.character : index.lineEnd(problem.position.line) - index.lineStart(problem.position.line);
    return {
      range: { start: problem.position, end: { line: problem.position.line, character: Math.max(problem.position.character, endCharacter) } },
      severity: DiagnosticSeverity.Warning,
      source: DIAGNOSTIC_SOURCE,
      code: CONFIG_PROBLEM_CODE,
      message: `Invalid .keyless.yaml: ${problem.message}`,
    };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `data` comes back from the client in code action requests: check its shape before trusting it. */
export function isKeylessDiagnosticData(value: unknown): value is KeylessDiagnosticData {
  return isObject(value) && typeof value.rule === 'string' && (value.version === null || typeof value.version === 'number');
}
