import { CodeActionKind, type CancellationToken, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { Range } from '../core/text';
import { readText } from '../workspace/context';
import { analyzeDocument, isIgnored, type AnalysisOutput } from './analysis';
import { FIX_ALL_KIND, quickFixes, safeFixes, toWorkspaceEdit, wantsKind } from './code-actions';
import type { Configuration } from './configuration';
import { DIAGNOSTIC_SOURCE, isKeylessDiagnosticData, toDiagnosticFixes, type DiagnosticFix } from './diagnostics';
import type { DocumentAnalyses } from './document-analyses';
import type { OpenDocuments } from './documents';
import { indexedText, type FolderIndexes } from './folder-indexes';
import { fixAppliedCommand } from './after-fix';
import { documentTarget, uriToPath, type DocumentTarget } from './paths';
import { NoResult, staleAnswer, throwIfCancelled } from './results';
import type { Session } from './session';

interface FixAnalysis {
  version: number | null;
  target: DocumentTarget;
  output: AnalysisOutput;
}

/**
 * `textDocument/codeAction`: quick fixes for the Keyless diagnostics a request names, and "fix
 * all" when asked for by kind. A request first matches its diagnostics against the version's
 * shared analysis (a stale diagnostic gets none), then re-analyzes the document with the fixes of
 * those findings and the folder's index, cached per version and findings asked; edits of other
 * files carry the version of the text the index had. The CodeAction objects are built by
 * lsp/code-actions.ts.
 */
export class CodeActionRequests {
  /**
   * Per open document, the last analysis with fixes and what it was computed for (version,
   * config, index state, the findings asked about): the light bulb asks again for the same cursor
   * on every move and re-render, and gets the same answer without a second analysis.
   */
  private readonly fixCache = new Map<string, { key: string; analysis: FixAnalysis }>();

  constructor(
    private readonly session: Session,
    private readonly documents: OpenDocuments,
    private readonly configuration: Configuration,
    private readonly analyses: DocumentAnalyses,
    private readonly indexes: FolderIndexes,
  ) {}

  async answer(params: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
    const client = this.session.client;
    const uri = params.textDocument.uri;
    const only = params.context.only;
    const actions: CodeAction[] = [];
    let requested = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && isKeylessDiagnosticData(d.data));
    const document = this.documents.get(uri);
    if (document !== undefined && requested.length > 0 && wantsKind(only, CodeActionKind.QuickFix)) {
      if (!this.documents.isAnalyzable(document)) return [];
      // Matched first against the version's shared analysis: a diagnostic of an older text names
      // no finding of this one, and then no fixer runs at all.
      const result = await this.analyses.resultFor(document, token, 'other');
      requested = requested.filter((d) => result.findings.some((f) => isDiagnosticOf(d, f)));
    }
    if (wantsKind(only, CodeActionKind.QuickFix) && requested.length > 0) {
      // Only the findings the request names get their fixes computed: the light bulb asks for the
      // cursor's, and that costs a fixer or two, not the file's every rewrite.
      const analysis = await this.analyzeWithFixes(uri, requested, token);
      if (analysis !== undefined) {
        const withFixes = requested.flatMap((diagnostic) => {
          // A diagnostic of an older text matches no finding of this one, and gets no fixes.
          const finding = analysis.output.findings.find((f) => isDiagnosticOf(diagnostic, f));
          return finding === undefined ? [] : [{ diagnostic, fixes: toDiagnosticFixes(finding, analysis.target), version: analysis.version }];
        });
        const otherVersions = await this.otherFileVersions(uri, analysis.target, withFixes.flatMap((d) => d.fixes));
        actions.push(...quickFixes(uri, withFixes, { documentChanges: client.documentChanges, createFiles: client.createFiles, otherVersion: (other) => otherVersions.get(other), afterFix: true }));
      }
    }
    // Only on request: "fix all" is for codeActionsOnSave and the Source Action menu, not the light bulb.
    if (only !== undefined && wantsKind(only, FIX_ALL_KIND)) {
      const fixAll = await this.fixAllAction(uri, token);
      if (fixAll !== undefined) actions.push(fixAll);
    }
    return actions;
  }

  /** The document closed: its cached fixes go. */
  forget(uri: string): void {
    this.fixCache.delete(uri);
  }

  /**
   * Analyzes a document with the fixes of the findings `wanted` names (all with `true`),
   * positioned on its current text (the editor's when open, else the disk's: a closed file the
   * workspace diagnostics reported), and with its folder's index as the workspace once built.
   * Undefined when Keyless does not analyze the document; a protocol error when the request was
   * cancelled or the document changed meanwhile.
   */
  private async analyzeWithFixes(uri: string, wanted: true | readonly Diagnostic[], token: CancellationToken): Promise<FixAnalysis | undefined> {
    const engine = this.session.engine;
    if (engine === undefined) return undefined;
    const document = this.documents.get(uri);
    let text: string | undefined;
    let version: number | null;
    let target: DocumentTarget | undefined;
    if (document !== undefined) {
      if (!this.documents.isAnalyzable(document)) return undefined;
      target = this.documents.targetOf(document);
      text = document.getText();
      version = document.version;
    } else {
      const file = uriToPath(uri);
      target = documentTarget(uri, '', this.session.folders);
      // Read as the workspace diagnostics read it (without a byte-order mark, which editors do not count).
      text = file === undefined ? undefined : await readText(file, true);
      version = null;
    }
    if (target === undefined || text === undefined) return undefined;
    const effective = await this.configuration.effectiveConfigFor(target.folder);
    if (!effective.enable || isIgnored(effective.config, target)) return undefined;
    // Edits made in the editor since the last request reach the index now (after any update under
    // way), before fixes read it.
    await this.indexes.update();
    throwIfCancelled(token);
    if (document !== undefined && this.documents.get(uri)?.version !== version) throw staleAnswer(new NoResult('moved'), 'other');
    const wantedKey = wanted === true ? 'all' : wanted.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort().join(',');
    const key = `${version}|${this.configuration.generation}|${this.indexes.stamp}|${wantedKey}`;
    const cached = document !== undefined ? this.fixCache.get(uri) : undefined;
    if (cached !== undefined && cached.key === key) return cached.analysis;
    const fixes = wanted === true ? true : (finding: { rule: string; range: Range }) => wanted.some((d) => isDiagnosticOf(d, finding));
    const output = analyzeDocument({
      engine,
      text,
      target,
      version,
      config: effective.config,
      relatedInformation: this.session.client.relatedInformation,
      ...(document !== undefined ? { yamlCache: this.documents.yamlCacheFor(uri) } : {}),
      ...this.indexes.workspaceInput(target, effective.config),
      fixes,
    });
    // A fixer that throws counts as its rule failing; the other fixes are still offered.
    for (const failure of output.ruleErrors) this.session.logError(`A fix of rule ${failure.rule} failed on ${uri}`, failure.error);
    const analysis = { version, target, output };
    if (document !== undefined) this.fixCache.set(uri, { key, analysis });
    return analysis;
  }

  /** Every safe fix of an open document, computed now. */
  private async fixAllAction(uri: string, token: CancellationToken): Promise<CodeAction | undefined> {
    const client = this.session.client;
    if (this.documents.get(uri) === undefined) return undefined;
    const analysis = await this.analyzeWithFixes(uri, true, token);
    if (analysis === undefined) return undefined;
    const fixes = analysis.output.findings.flatMap((finding) => toDiagnosticFixes(finding, analysis.target));
    const otherVersions = await this.otherFileVersions(uri, analysis.target, fixes);
    const version = analysis.version;
    if (this.documents.get(uri)?.version !== version) return undefined;
    // A fix that edits another file whose text moved on since the index read it waits for the next request.
    const applicable = (fix: DiagnosticFix): boolean => fix.edits.every((edit) => edit.uri === uri || (fix.creates ?? []).includes(edit.uri) || otherVersions.get(edit.uri) !== undefined);
    const accepted = safeFixes(fixes.filter(applicable), { createFiles: client.documentChanges && client.createFiles });
    if (accepted.length === 0) return undefined;
    const command = fixAppliedCommand(accepted);
    return {
      title: 'Fix all safely fixable Keyless problems',
      kind: FIX_ALL_KIND,
      edit: toWorkspaceEdit(
        accepted.flatMap((fix) => fix.edits),
        { documentChanges: client.documentChanges, versionOf: (editUri) => (editUri === uri ? version : (otherVersions.get(editUri) ?? null)) },
        accepted.flatMap((fix) => fix.creates ?? []),
      ),
      ...(command !== undefined ? { command } : {}),
    };
  }

  /**
   * The version to send with each edit fixes make in another file, checked against the index
   * those edits were positioned on (it follows edits with a delay): the open document's version
   * while it still has the indexed text, null for a closed file whose disk text is still the
   * indexed one, and no entry (not offered) otherwise.
   */
  private async otherFileVersions(documentUri: string, target: DocumentTarget, fixes: readonly DiagnosticFix[]): Promise<Map<string, number | null>> {
    const versions = new Map<string, number | null>();
    const state = this.indexes.of(target.folder);
    if (state === undefined || !state.ready) return versions;
    for (const fix of fixes) {
      for (const edit of fix.edits) {
        if (edit.uri === documentUri || versions.has(edit.uri) || (fix.creates ?? []).includes(edit.uri)) continue;
        const file = uriToPath(edit.uri);
        const indexed = file === undefined ? undefined : indexedText(state, file);
        if (file === undefined || indexed === undefined) continue;
        const open = this.documents.get(edit.uri) ?? this.documents.openAt(file);
        if (open !== undefined) {
          if (open.getText() === indexed) versions.set(edit.uri, open.version);
        } else if ((await readText(file, true)) === indexed) {
          versions.set(edit.uri, null);
        }
      }
    }
    return versions;
  }
}

/** Whether a diagnostic the client sends back is this finding's: same rule, same range. */
function isDiagnosticOf(diagnostic: Diagnostic, finding: { rule: string; range: Range }): boolean {
  const a = diagnostic.range;
  const b = finding.range;
  return diagnostic.code === finding.rule && a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
