import type { Parser } from 'web-tree-sitter';
import { isTerraformPath, syntaxOf, type Syntax } from '../dialects/detect';
import type { Dialect } from '../core/dialect';
import { mayHoldSecret } from '../secrets/scan';
import { extractFacts } from './extract';
import { RULES } from '../rules';
import type { Rule, RuleFinding } from '../rules/rule';
import { loadHcl, type HclWasm } from '../syntax/hcl';
import type { YamlParseCache } from '../syntax/yaml-incremental';
import { LineIndex } from '../syntax/text';
import type { Position, Range } from '../core/text';
import type { Facts } from '../facts/model';
import type { AwsCatalog } from '../iam/catalog';
import type { AccessEvidence } from '../iam/evidence';
import { describeAt } from './describe';
import { DEFAULT_CONFIG, type KeylessConfig } from './config';
import type { Finding, Fix, TextEdit } from '../core/finding';
import type { FixProposal } from '../fixes/fixer';
import { propose } from '../fixes/propose';
import { EMPTY_WORKSPACE, type WorkspaceContext } from '../facts/workspace';
import { parseFile, unparsedFile, type ParsedFile } from './parse';
import { ALIAS_BUDGET, withAliasBudget } from '../syntax/tree';
import { fingerprintFindings } from './fingerprint';
import { isSuppressed, suppressionInsertion } from './suppressions';
import { redactContextOf, redactText, type RedactContext } from '../secrets/redact';

/**
 * The one analysis engine behind the language server, the CLI and the tests. It takes text and
 * gives findings; it never reads files, logs, or knows who is asking.
 */

/**
 * Files above this size (UTF-8 bytes) are skipped with a note: bounded time and memory for any
 * input. Parsing 2 MB of YAML takes about 2 s; real workflows, templates and manifests are far
 * smaller.
 */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const TOO_LARGE_NOTE = `skipped: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`;

export function exceedsSizeLimit(text: string): boolean {
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit: only lengths in between need counting.
  if (text.length > MAX_FILE_BYTES) return true;
  if (text.length * 3 <= MAX_FILE_BYTES) return false;
  return Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES;
}
/** Parsing stops past this budget (HCL honours it mid-parse; YAML and JSON are bounded by size). */
export const PARSE_BUDGET_MS = 2_000;

export interface SourceFile {
  /** As the caller names it: workspace-relative for the CLI, a file path for the server. */
  path: string;
  text: string;
  /** Overrides detection by extension (an editor's language id for an untitled document). */
  syntax?: Syntax;
}

export interface AnalyzeOptions {
  config?: KeylessConfig;
  /** Called when a rule throws; the other rules still report. */
  onRuleError?: (rule: Rule, error: unknown) => void;
  /** The rules to run; all of them by default. */
  rules?: readonly Rule[];
  /**
   * The pieces of this file's YAML parsed last time: given (one per open document, as the language
   * server does), a change re-parses only the pieces it touched.
   */
  yamlCache?: YamlParseCache;
  /** The rest of the workspace, for fixes that look or write beyond this file. */
  workspace?: WorkspaceContext;
  /**
   * Which findings get their fixes: all by default; none with `false`; with a predicate, those it
   * accepts. Fixers cost more than the rules (a CI rewrite plans the cloud side), and findings never
   * depend on them, so diagnostics and `keyless scan` go without, and an editor asks for the fixes
   * of the findings under the cursor when it wants them.
   */
  fixes?: boolean | ((finding: { rule: string; range: Range }) => boolean);
  /** What identities were seen to use (from `access/`): handed to every rule as it is. */
  evidence?: readonly AccessEvidence[];
  /**
   * Whether findings get their `fingerprint` (engine/fingerprint.ts): yes by default; an editor's
   * diagnostics, which never show it, save its cost (up to a tenth of a millisecond a finding).
   */
  fingerprints?: boolean;
}

export interface FileReport {
  path: string;
  dialect: Dialect | null;
  findings: Finding[];
  /**
   * Syntax errors the parser recovered from, and why a file could not be read. An entry with
   * `failure` means the analysis could not complete (the parser failed or ran out of time, a
   * reader threw or stopped at the alias budget): findings may be missing, except those of the
   * secret scan, which always runs. Messages never quote the file.
   */
  errors: { message: string; range: Range; failure?: true }[];
  /** Why a file was skipped or only partly read, for humans (Helm templates, size limit). */
  notes: string[];
}

export class Engine {
  private constructor(
    private readonly hclParser: Parser,
    /** The AWS action catalog every rule and fixer is handed; hovers read it too. */
    readonly catalog: AwsCatalog,
  ) {}

  /**
   * The engine reads no file: the adapters hand it the HCL parser's WebAssembly modules and the
   * AWS action catalog over its data (`workspace/grammar.ts` reads both and has `createEngine()`,
   * the one call adapters and tests make).
   */
  static async create(options: { hclWasm: HclWasm; catalog: AwsCatalog }): Promise<Engine> {
    return new Engine(await loadHcl(options.hclWasm), options.catalog);
  }

  analyze(file: SourceFile, options: AnalyzeOptions = {}): FileReport {
    return this.inspect(file, options).report;
  }

  /**
   * What Keyless knows about the place at `position` (0-based line and character): the identity
   * facts whose spans cover it, in words, and the findings that cover it. Undefined where there
   * is nothing to say.
   */
  hover(file: SourceFile, position: Position, options: AnalyzeOptions = {}): HoverInfo | undefined {
    // A hover shows findings, never their fixes: none are computed.
    return this.analyzeWithHover(file, { ...options, fixes: false }).hoverAt(position);
  }

  /**
   * An analysis, and what a hover anywhere in the same text would show: an editor analyses each
   * version once and answers its diagnostics and every hover from that one result. The facts are
   * kept only for their spans and words (describeAt reads no syntax handle, which dies with the
   * parse).
   */
  analyzeWithHover(file: SourceFile, options: AnalyzeOptions = {}): { report: FileReport; hoverAt: (position: Position) => HoverInfo | undefined } {
    const { report, facts, index } = this.inspect(file, options);
    let context: RedactContext | undefined;
    return {
      report,
      hoverAt: (position) => {
        if (!facts || !index) return undefined;
        const offset = index.offsetAt(position);
        const described = describeAt(facts, offset, this.catalog);
        const findings = report.findings.filter((f) => f.span.start <= offset && offset <= f.span.end);
        if (!described && findings.length === 0) return undefined;
        const span = described?.span ?? findings[0]!.span;
        // The sentences quote names from the file (a job, a resource): through the redactor, as messages are.
        context ??= redactContextOf(file.text);
        const redactedContext = context;
        return { range: index.rangeOf(span), descriptions: (described?.lines ?? []).map((line) => redactText(line, redactedContext)), findings };
      },
    };
  }

  /** A file's dialect and facts (with what the workspace graph reads), without running rules: what a workspace index keeps of each file. */
  facts(file: SourceFile): { dialect: Dialect; facts: Facts } | undefined {
    const syntax = file.syntax ?? syntaxOf(file.path, file.text);
    if (!syntax || !hasDialects(syntax, file.path) || exceedsSizeLimit(file.text)) return undefined;
    return withAliasBudget(ALIAS_BUDGET, () => {
      const parsed = parseSafely(file.path, file.text, syntax, this.hclParser, performance.now() + PARSE_BUDGET_MS);
      try {
        return parsed.dialect === null ? undefined : { dialect: parsed.dialect, facts: withoutSyntax(extractFacts(parsed, file.text, { forGraph: true })) };
      } finally {
        parsed.dispose();
      }
    });
  }

  /**
   * One file, read under one alias budget (syntax/tree.ts) shared by detection, readers and fixers,
   * every string of its report redacted: the one place every adapter gets it from.
   */
  private inspect(file: SourceFile, options: AnalyzeOptions): { report: FileReport; facts?: Facts; index?: LineIndex } {
    const inspected = withAliasBudget(ALIAS_BUDGET, () => this.inspectWithinBudget(file, options));
    redactReport(inspected.report, file.text, inspected.redactContext);
    return inspected;
  }

  private inspectWithinBudget(file: SourceFile, options: AnalyzeOptions): { report: FileReport; facts?: Facts; index?: LineIndex; redactContext?: RedactContext } {
    const config = options.config ?? DEFAULT_CONFIG;
    const report: FileReport = { path: file.path, dialect: null, findings: [], errors: [], notes: [] };
    const syntax = file.syntax ?? syntaxOf(file.path, file.text);
    if (!syntax) return { report };
    if (exceedsSizeLimit(file.text)) {
      report.notes.push(TOO_LARGE_NOTE);
      return { report };
    }
    // A file no dialect can claim (a .env, a Terragrunt or Packer .hcl) is read for the secret scan
    // alone: with no credential-shaped text, it is not even parsed.
    if (!hasDialects(syntax, file.path) && !mayHoldSecret(file.text)) return { report };
    // All three parsers accept a leading byte-order mark with exact offsets: the text goes in as is.
    const text = file.text;
    const index = new LineIndex(text);
    const parsed = parseSafely(file.path, text, syntax, this.hclParser, performance.now() + PARSE_BUDGET_MS, options.yamlCache);
    try {
      report.dialect = parsed.dialect;
      // Syntax errors of a file of no dialect (a broken docker-compose.yml, a Helm template, a
      // Packer .hcl) are not Keyless's business; Terraform files always have the dialect. A failure always is.
      const reported = parsed.dialect !== null || (syntax === 'hcl' && isTerraformPath(file.path)) ? parsed.errors : parsed.errors.filter((e) => e.failure);
      report.errors = reported.map((e) => ({ message: e.message, range: index.rangeOf(e.span), ...(e.failure ? { failure: true as const } : {}) }));
      if (parsed.note) report.notes.push(parsed.note);
      const onFailure = (message: string): void => {
        report.errors.push({ message, range: index.rangeOf({ start: 0, end: 0 }), failure: true });
      };
      // A file of no dialect still gets the secret scan (extractFacts runs it for every file) and
      // the rules that read its results: a Helm values.yaml, a compose file, a key file, a .env.
      const facts = extractFacts(parsed, text, { onFailure });
      for (const rule of options.rules ?? RULES) {
        const configured = config.rules[rule.id];
        if (configured === 'off' || !(parsed.dialect === null ? rule.everyFile === true : rule.dialects.includes(parsed.dialect))) continue;
        let found;
        try {
          found = rule.check({ path: file.path, dialect: parsed.dialect, facts, catalog: this.catalog, ...(options.evidence ? { evidence: options.evidence } : {}) });
        } catch (error) {
          options.onRuleError?.(rule, error);
          continue;
        }
        for (const f of found) {
          if (isSuppressed(rule.id, f.span.start, parsed, index)) continue;
          const range = index.rangeOf(f.span);
          const wantsFixes = typeof options.fixes === 'function' ? options.fixes({ rule: rule.id, range }) : options.fixes !== false;
          const fixes = wantsFixes ? fixesFor(rule, f, { path: file.path, text, dialect: parsed.dialect, index, workspace: options.workspace ?? EMPTY_WORKSPACE, catalog: this.catalog, onError: options.onRuleError }) : [];
          const insertion = wantsFixes ? suppressionInsertion(rule.id, f.span.start, parsed, index) : undefined;
          if (insertion) {
            const at = { start: insertion.offset, end: insertion.offset };
            fixes.push({ title: `Suppress ${rule.id} on this line`, safe: false, edits: [{ path: file.path, span: at, range: index.rangeOf(at), newText: insertion.text }] });
          }
          report.findings.push({
            rule: rule.id,
            severity: configured ?? f.severity ?? rule.severity,
            message: f.message,
            path: file.path,
            span: f.span,
            range,
            related: (f.related ?? []).map((r) => ({ path: file.path, span: r.span, range: index.rangeOf(r.span), message: r.message })),
            fixes,
          });
        }
      }
      report.findings.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
      // While the tree lives: a fingerprint names the blocks around each finding (engine/fingerprint.ts).
      if (report.findings.length === 0) return { report, facts, index };
      const redactContext = redactContextOf(text);
      if (options.fingerprints !== false) fingerprintFindings(report.findings, parsed, text, redactContext);
      return { report, facts, index, redactContext };
    } finally {
      parsed.dispose();
    }
  }
}

/** `parseFile`, or when it throws (a bug, a resource limit), a file with no tree that says so. */
function parseSafely(path: string, text: string, syntax: Syntax, parser: Parser, deadline: number, yamlCache?: YamlParseCache): ParsedFile {
  try {
    return parseFile(path, text, syntax, parser, deadline, yamlCache);
  } catch (error) {
    return unparsedFile(path, text, syntax, error);
  }
}

/**
 * The fixes the rule's own fixers propose for one of its findings, positioned: edits of this file
 * through its line index, of other files through the workspace's texts, of created files from
 * their start. A proposal that edits a file the engine cannot position is dropped, and a fixer
 * that throws counts as a failing rule: the finding is still reported.
 */
function fixesFor<About>(
  rule: Rule<About>,
  finding: RuleFinding<About>,
  at: { path: string; text: string; dialect: Dialect | null; index: LineIndex; workspace: WorkspaceContext; catalog: AwsCatalog; onError: AnalyzeOptions['onRuleError'] },
): Fix[] {
  const fixers = rule.fixers;
  // Fixers rewrite a dialect's syntax; a file of none gets only the suppression.
  if (!fixers || at.dialect === null) return [];
  const dialect = at.dialect;
  const fixes: Fix[] = [];
  const indexes = new Map<string, LineIndex>([[at.path, at.index]]);
  for (const fixer of fixers) {
    let proposals: FixProposal[];
    try {
      proposals = propose(fixer, { ruleId: rule.id, finding, about: finding.about, path: at.path, text: at.text, dialect, workspace: at.workspace, catalog: at.catalog });
    } catch (error) {
      at.onError?.(rule, error);
      continue;
    }
    proposal: for (const proposal of proposals) {
      const created = new Map((proposal.creates ?? []).map((c) => [c.path, c.text]));
      const edits: TextEdit[] = [];
      for (const [path, text] of created) edits.push({ path, span: { start: 0, end: 0 }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text });
      for (const edit of proposal.edits) {
        const path = edit.path ?? at.path;
        let index = indexes.get(path);
        if (!index) {
          const other = at.workspace.files.get(path);
          if (!other) continue proposal;
          index = new LineIndex(other.text);
          indexes.set(path, index);
        }
        edits.push({ path, span: edit.span, range: index.rangeOf(edit.span), newText: edit.newText });
      }
      fixes.push({
        title: proposal.title,
        safe: proposal.safe,
        edits,
        ...(created.size > 0 ? { creates: [...created.keys()] } : {}),
        ...(proposal.followUps && proposal.followUps.length > 0 ? { followUps: proposal.followUps } : {}),
      });
    }
  }
  return fixes;
}

/** Whether a file of this syntax and path can be of a dialect; the others get the secret scan alone. */
function hasDialects(syntax: Syntax, path: string): boolean {
  return syntax !== 'dotenv' && (syntax !== 'hcl' || isTerraformPath(path));
}

/**
 * Parser messages are one line for a log or a report: a parser that quotes a whole token of a
 * minified or hostile file could otherwise print a megabyte.
 */
const MAX_ERROR_MESSAGE = 300;

/**
 * Every string of a report that may quote the file (messages and related messages naming a job, a
 * resource or a subject; fix titles and follow-ups; parser errors quoting a token; notes) through
 * the one redactor, with what the whole file holds as context: a secret-shaped run is masked in a
 * message when the file holds an access key id, even where the message quotes only the run.
 * Edits are left alone: they are the file's text, applied, never printed unmasked.
 */
function redactReport(report: FileReport, text: string, known?: RedactContext): void {
  if (report.findings.length === 0 && report.errors.length === 0 && report.notes.length === 0) return;
  const context = known ?? redactContextOf(text);
  const redacted = (message: string): string => redactText(message, context);
  for (const finding of report.findings) {
    finding.message = redacted(finding.message);
    for (const related of finding.related) related.message = redacted(related.message);
    for (const fix of finding.fixes) {
      fix.title = redacted(fix.title);
      if (fix.followUps) fix.followUps = fix.followUps.map(redacted);
    }
  }
  report.errors = report.errors.map((e) => {
    const message = redacted(e.message);
    return { ...e, message: message.length > MAX_ERROR_MESSAGE ? `${message.slice(0, MAX_ERROR_MESSAGE)}…` : message };
  });
  report.notes = report.notes.map(redacted);
}

/**
 * Facts that outlive their parse: the syntax handles go (an HCL handle points into a tree freed
 * with the parse), the spans stay.
 */
function withoutSyntax(facts: Facts): Facts {
  const strip = <T extends { syntax?: unknown }>(item: T): T => {
    const { syntax: _syntax, ...rest } = item;
    return rest as T;
  };
  return {
    ...facts,
    authentications: facts.authentications.map(strip),
    credentials: facts.credentials.map((c) => (c.origin === 'minted' ? strip(c) : c)),
    identities: facts.identities.map(strip),
    policies: facts.policies.map((p) => ({ ...p, statements: p.statements.map(strip) })),
    trusts: facts.trusts.map((t) => (t.kind === 'aws-web-identity' ? { ...t, statement: strip(t.statement) } : t)),
    githubTokenPermissions: facts.githubTokenPermissions.map(strip),
    workloadPods: facts.workloadPods.map(strip),
  };
}

/** What a hover shows: sentences about the identity facts at a place, and the findings there. */
export interface HoverInfo {
  range: Range;
  /** Markdown sentences, most specific first. */
  descriptions: string[];
  findings: Finding[];
}
