import type { Diagnostic } from 'vscode-languageserver';
import type { AnalyzeOptions, Engine, HoverInfo } from '../engine/analyze';
import { pathMatcher, type KeylessConfig } from '../engine/config';
import type { Finding } from '../core/finding';
import type { WorkspaceContext } from '../facts/workspace';
import type { Position, Range } from '../core/text';
import type { YamlParseCache } from '../syntax/yaml-incremental';
import { toDiagnostic } from './diagnostics';
import type { DocumentTarget } from './paths';

/**
 * One document through the engine, with everything the server reports about it: diagnostics to
 * show, and what to log (syntax errors, notes, rules that threw). No connection here: the server
 * decides where each part goes.
 */
export interface AnalysisInput {
  engine: Engine;
  text: string;
  target: DocumentTarget;
  /** The editor's version of the text; null for a file read from disk. */
  version: number | null;
  config: KeylessConfig;
  relatedInformation: boolean;
  /** The document's YAML pieces from its last analysis; absent for files read from disk. */
  yamlCache?: YamlParseCache;
  /** The folder's index, once built: fixes that write beyond the file need it; findings do not. */
  workspace?: WorkspaceContext;
  /** Which findings get fixes (see AnalyzeOptions.fixes): none for diagnostics. */
  fixes: NonNullable<AnalyzeOptions['fixes']>;
}

export interface AnalysisOutput {
  diagnostics: Diagnostic[];
  findings: Finding[];
  /** Syntax errors: logged, never shown, since a file being typed is often briefly invalid. */
  parseErrors: { message: string; range: Range }[];
  notes: string[];
  ruleErrors: { rule: string; error: unknown }[];
  /** What a hover at a position of this text shows, from this analysis: no second one. */
  hoverAt: (position: Position) => HoverInfo | undefined;
}

const matchers = new WeakMap<KeylessConfig, (relativePath: string) => boolean>();

/** Whether the config's `ignore` globs cover the document (they are relative to its folder). */
export function isIgnored(config: KeylessConfig, target: DocumentTarget): boolean {
  if (target.relativePath === undefined || config.ignore.length === 0) return false;
  let matcher = matchers.get(config);
  if (matcher === undefined) {
    matcher = pathMatcher(config.ignore);
    matchers.set(config, matcher);
  }
  return matcher(target.relativePath);
}

export function analyzeDocument(input: AnalysisInput): AnalysisOutput {
  const ruleErrors: { rule: string; error: unknown }[] = [];
  const { report, hoverAt } = input.engine.analyzeWithHover(
    { path: input.target.enginePath, text: input.text, ...(input.target.syntaxOverride ? { syntax: input.target.syntaxOverride } : {}) },
    {
      config: input.config,
      onRuleError: (rule, error) => ruleErrors.push({ rule: rule.id, error }),
      ...(input.yamlCache ? { yamlCache: input.yamlCache } : {}),
      ...(input.workspace ? { workspace: input.workspace } : {}),
      fixes: input.fixes,
      // Baselines and SARIF match findings by fingerprint; diagnostics never show one.
      fingerprints: false,
    },
  );
  const options = { target: input.target, version: input.version, relatedInformation: input.relatedInformation };
  return {
    diagnostics: report.findings.map((finding) => toDiagnostic(finding, options)),
    findings: report.findings,
    parseErrors: report.errors,
    notes: report.notes,
    ruleErrors,
    hoverAt,
  };
}
