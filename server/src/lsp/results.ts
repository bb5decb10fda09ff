import { LSPErrorCodes, ResponseError, type CancellationToken, type Diagnostic } from 'vscode-languageserver';
import type { HoverInfo } from '../engine/analyze';
import type { Position, Range } from '../core/text';

/**
 * One analysis per document version, shared by every request about it: pull diagnostics, hover and
 * the matching step of code actions all read the result the scheduler produced for the version
 * they were asked about, and none runs the engine itself. A request that arrives before its
 * version is analyzed waits for it; one whose document moves on meanwhile, or whose client
 * cancels it, is answered at once with an error saying so, never after the burst it was part of.
 * No connection here: the server passes in how to ask for an analysis.
 */

export interface DocumentResult {
  version: number;
  /** The config generation it was computed under. */
  generation: number;
  /** Unique per result, so a client's `previousResultId` can never match a different text. */
  resultId: string;
  diagnostics: Diagnostic[];
  /** Rule and range of each finding (no fixes): what a code action's diagnostics are matched against. */
  findings: readonly { rule: string; range: Range }[];
  /** What a hover at a position shows, from this same analysis. */
  hoverAt: (position: Position) => HoverInfo | undefined;
}

/** Why a waiting request is answered before its analysis comes. */
export type StaleReason = 'moved' | 'closed';

/** What `of` rejects with: the request's analysis will not come, and why. */
export class NoResult extends Error {
  constructor(readonly reason: StaleReason | 'cancelled') {
    super(`No analysis: ${reason}`);
  }
}

interface Waiter {
  version: number;
  resolve: (result: DocumentResult) => void;
  reject: (reason: StaleReason | 'cancelled') => void;
}

export interface DocumentResultsOptions {
  /** Asks for an analysis of the document's newest version (coalesced by the scheduler). */
  schedule: (uri: string) => void;
  /** The config generation now: a result of an older one is stale. */
  generation: () => number;
}

export class DocumentResults {
  private readonly results = new Map<string, DocumentResult>();
  private readonly waiters = new Map<string, Waiter[]>();

  constructor(private readonly options: DocumentResultsOptions) {}

  /** The result of exactly this version under the current config, if there is one. */
  fresh(uri: string, version: number): DocumentResult | undefined {
    const result = this.results.get(uri);
    return result !== undefined && result.version === version && result.generation === this.options.generation() ? result : undefined;
  }

  /**
   * The analysis of `version`: at once when it exists, else once the scheduler settles it. Rejects
   * with a NoResult saying 'cancelled' when the token is, and 'moved' or 'closed' when the
   * document changes or closes first: the caller turns each into its protocol answer (staleAnswer).
   */
  of(uri: string, version: number, token?: CancellationToken): Promise<DocumentResult> {
    const ready = this.fresh(uri, version);
    if (ready !== undefined) return Promise.resolve(ready);
    if (token?.isCancellationRequested) return Promise.reject(new NoResult('cancelled'));
    return new Promise<DocumentResult>((resolve, reject) => {
      const waiter: Waiter = { version, resolve, reject };
      const list = this.waiters.get(uri) ?? [];
      list.push(waiter);
      this.waiters.set(uri, list);
      const cancelled = token?.onCancellationRequested(() => {
        this.remove(uri, waiter);
        reject(new NoResult('cancelled'));
      });
      const release = (): void => cancelled?.dispose();
      waiter.resolve = (result) => {
        release();
        resolve(result);
      };
      waiter.reject = (reason) => {
        release();
        reject(new NoResult(reason));
      };
      this.options.schedule(uri);
    });
  }

  hasWaiters(uri: string): boolean {
    return (this.waiters.get(uri)?.length ?? 0) > 0;
  }

  /** A new result: requests waiting for its version get it; those for older versions are stale. */
  settle(uri: string, result: DocumentResult): void {
    this.results.set(uri, result);
    this.answer(uri, (waiter) => (waiter.version === result.version ? result : waiter.version < result.version ? 'moved' : undefined));
  }

  /** The document is at `version` now: requests about older versions will never get theirs. */
  moved(uri: string, version: number): void {
    this.answer(uri, (waiter) => (waiter.version < version ? 'moved' : undefined));
  }

  /** The analysis of the document failed outright: waiting requests get an empty result, not a hang. */
  failed(uri: string, version: number): void {
    this.answer(uri, (waiter) => (waiter.version === version ? 'moved' : undefined));
  }

  closed(uri: string): void {
    this.results.delete(uri);
    this.answer(uri, () => 'closed');
  }

  private answer(uri: string, decide: (waiter: Waiter) => DocumentResult | StaleReason | undefined): void {
    const list = this.waiters.get(uri);
    if (list === undefined) return;
    const remaining: Waiter[] = [];
    for (const waiter of list) {
      const outcome = decide(waiter);
      if (outcome === undefined) remaining.push(waiter);
      else if (typeof outcome === 'string') waiter.reject(outcome);
      else waiter.resolve(outcome);
    }
    if (remaining.length > 0) this.waiters.set(uri, remaining);
    else this.waiters.delete(uri);
  }

  private remove(uri: string, waiter: Waiter): void {
    const remaining = (this.waiters.get(uri) ?? []).filter((w) => w !== waiter);
    if (remaining.length > 0) this.waiters.set(uri, remaining);
    else this.waiters.delete(uri);
  }
}

/**
 * The protocol answer for a request that did not get its analysis. A cancelled request says so
 * (RequestCancelled); a document that moved on is ContentModified for hover and code actions
 * (clients drop the answer quietly), and for pull diagnostics ServerCancelled with
 * `retriggerRequest`, which makes vscode-languageclient pull again instead of showing an empty
 * report (it answers ContentModified with "no diagnostics", which would flicker the squiggles).
 */
export function staleAnswer(error: NoResult, request: 'diagnostics' | 'other'): ResponseError<unknown> {
  const reason = error.reason;
  if (reason === 'cancelled') return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled');
  if (request === 'diagnostics') return new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed; pull again', { retriggerRequest: true });
  return new ResponseError(LSPErrorCodes.ContentModified, reason === 'closed' ? 'The document was closed' : 'The document changed');
}

/** Throws RequestCancelled when the client cancelled: checked after every wait of a request. */
export function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled');
}
