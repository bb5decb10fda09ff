import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentDiagnosticReportKind, type CancellationToken, type Diagnostic, type DocumentDiagnosticParams, type DocumentDiagnosticReport } from 'vscode-languageserver';
import type { KeylessConfig } from '../engine/config';
import { analyzeDocument, isIgnored } from './analysis';
import type { Configuration } from './configuration';
import type { OpenDocuments } from './documents';
import type { DocumentTarget } from './paths';
import { DocumentResults, NoResult, staleAnswer, type DocumentResult } from './results';
import { DocumentScheduler } from './scheduler';
import type { Session } from './session';

type Analysis = Pick<DocumentResult, 'diagnostics' | 'findings' | 'hoverAt'>;

/**
 * The open documents' analyses: the scheduler runs them off the keystroke path (lsp/scheduler.ts),
 * each version's one result is shared by pull diagnostics, hover and code actions (lsp/results.ts),
 * and clients without pull get it pushed. What is not a diagnostic (rules that threw, syntax
 * errors, notes) is logged here.
 */
export class DocumentAnalyses {
  /** Each version's one analysis, shared by diagnostics, hover and code actions. */
  private readonly results: DocumentResults;
  private readonly scheduler: DocumentScheduler;
  /** The document version whose notes were logged, so each note appears once per version. */
  private readonly loggedNotes = new Map<string, number>();
  private resultCounter = 0;

  constructor(
    private readonly session: Session,
    private readonly documents: OpenDocuments,
    private readonly configuration: Configuration,
    /** A file that is not open: its findings as saved (the workspace report's), for a pull about it. */
    private readonly savedDiagnostics: (uri: string) => Diagnostic[] | undefined,
  ) {
    this.results = new DocumentResults({ schedule: (uri) => this.scheduler.schedule(uri), generation: () => configuration.generation });
    this.scheduler = new DocumentScheduler({
      versionOf: (uri) => documents.get(uri)?.version,
      run: (uri) => this.run(uri),
      onError: (uri, error) => {
        session.logError(`Analysis of ${uri} failed`, error);
        // Requests waiting for this version would otherwise wait for an analysis that never comes.
        const version = documents.get(uri)?.version;
        if (version !== undefined) this.results.failed(uri, version);
      },
    });
  }

  /** Asks for an analysis of the document's newest version (coalesced). */
  schedule(uri: string): void {
    this.scheduler.schedule(uri);
  }

  /** Whether no analysis is pending or running: background work waits for this. */
  get idle(): boolean {
    return this.scheduler.idle;
  }

  /** The document is at `version` now: requests about the previous one are answered now (ContentModified), not after the burst. */
  moved(uri: string, version: number): void {
    this.results.moved(uri, version);
  }

  closed(uri: string): void {
    this.scheduler.unschedule(uri);
    this.results.closed(uri);
    this.loggedNotes.delete(uri);
  }

  /** After shutdown: nothing new starts. */
  stop(): void {
    this.scheduler.stop();
  }

  /**
   * The shared analysis of the version a request was asked about, or the protocol error that
   * answers it instead (cancelled; the document moved on or closed): never a second analysis.
   */
  async resultFor(document: TextDocument, token: CancellationToken, request: 'diagnostics' | 'other'): Promise<DocumentResult> {
    try {
      return await this.results.of(document.uri, document.version, token);
    } catch (error) {
      throw error instanceof NoResult ? staleAnswer(error, request) : error;
    }
  }

  /**
   * `textDocument/diagnostic`: an open document's version's findings ("unchanged" when the client
   * holds them); a closed file (the client pulls once more as a document closes), its saved text's.
   */
  async diagnosticReport(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const document = this.documents.get(params.textDocument.uri);
    if (document === undefined) return { kind: DocumentDiagnosticReportKind.Full, items: this.savedDiagnostics(params.textDocument.uri) ?? [] };
    if (!this.documents.isAnalyzable(document)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const result = await this.resultFor(document, token, 'diagnostics');
    if (params.previousResultId === result.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: result.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: result.resultId, items: result.diagnostics };
  }

  private async run(uri: string): Promise<void> {
    const document = this.documents.get(uri);
    if (document === undefined) return;
    // An open `.keyless.yaml` counts as it is typed, before it is saved.
    const configFolder = this.documents.configFolderOf(uri);
    if (configFolder !== undefined) return this.configuration.reloadFolderConfig(configFolder);
    const target = this.documents.targetOf(document);
    if (target === undefined) return;
    // Under pull, an analysis is for the requests waiting on it: when the client cancelled them all
    // (the next edit of a burst does), nobody would read it.
    if (this.session.client.pull && !this.results.hasWaiters(uri)) return;
    const version = document.version;
    const generation = this.configuration.generation;
    // A newer version or config that came in meanwhile is scheduled itself: this result is dropped,
    // and a pull request waiting on the document waits for that one.
    const superseded = (): boolean => {
      const current = this.documents.get(uri);
      if (current !== undefined && current.version === version && this.configuration.generation === generation) return false;
      if (current !== undefined && this.results.hasWaiters(uri)) this.scheduler.schedule(uri);
      return true;
    };
    const effective = await this.configuration.effectiveConfigFor(target.folder);
    if (superseded()) return;
    let analysis: Analysis = { diagnostics: [], findings: [], hoverAt: () => undefined };
    if (this.session.engine !== undefined && effective.enable && !isIgnored(effective.config, target)) {
      try {
        analysis = this.analyze(this.documents.get(uri)!, target, effective.config);
      } catch (error) {
        // Publishing nothing for this version keeps stale squiggles from lingering; other documents
        // are unaffected.
        this.session.logError(`Analysis of ${uri} (version ${version}) failed`, error);
      }
    }
    if (superseded()) return;
    this.settle(uri, { version, generation, resultId: String(++this.resultCounter), ...analysis });
  }

  /** Runs the engine on an open document and logs what is not a diagnostic. */
  private analyze(document: TextDocument, target: DocumentTarget, config: KeylessConfig): Analysis {
    const output = analyzeDocument({
      engine: this.session.engine!,
      text: document.getText(),
      target,
      version: document.version,
      config,
      relatedInformation: this.session.client.relatedInformation,
      yamlCache: this.documents.yamlCacheFor(document.uri),
      // Findings need no fixes and no workspace: code actions compute the fixes they are asked for.
      fixes: false,
    });
    const log = this.session.channel.log;
    for (const failure of output.ruleErrors) {
      this.session.logError(`Rule ${failure.rule} failed on ${document.uri}; the other rules still report`, failure.error);
    }
    if (output.parseErrors.length > 0) {
      const shown = output.parseErrors.slice(0, 5).map((e) => `line ${e.range.start.line + 1}: ${e.message}`);
      const more = output.parseErrors.length > shown.length ? `; ${output.parseErrors.length - shown.length} more` : '';
      log.debug(`${document.uri} (version ${document.version}) has syntax errors, read around them: ${shown.join('; ')}${more}`);
    }
    if (output.notes.length > 0 && this.loggedNotes.get(document.uri) !== document.version) {
      this.loggedNotes.set(document.uri, document.version);
      for (const note of output.notes) log.info(`${document.uri}: ${note}`);
    }
    return { diagnostics: output.diagnostics, findings: output.findings, hoverAt: output.hoverAt };
  }

  private settle(uri: string, result: DocumentResult): void {
    if (!this.session.client.pull) this.session.channel.publishDiagnostics({ uri, version: result.version, diagnostics: result.diagnostics });
    this.results.settle(uri, result);
  }
}
