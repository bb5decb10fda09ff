/**
 * Runs document analysis off the keystroke path, newest version only, one document at a time.
 *
 * A change only marks its document pending; the work runs from `setImmediate`, after the message
 * that caused it has been handled. The JSON-RPC connection itself dispatches one queued message per
 * event-loop turn, so when changes pile up (typing faster than analysis, a burst of edits) a single
 * `setImmediate` would still run between two queued changes and analyze a version that is already
 * stale. A pending document therefore runs only once its version has held for one full turn: while
 * changes are still being dispatched it keeps waiting, and when they stop only the newest version
 * is analyzed. An idle editor pays two turns of the event loop, well under a millisecond.
 *
 * One job runs at a time, and the scheduler returns to the event loop between jobs, so a large file
 * delays others by one analysis at most and messages (changes, cancellations, requests) are served
 * in between.
 */
export interface SchedulerOptions {
  /** The current version of an open document; undefined once it is closed. */
  versionOf: (uri: string) => number | undefined;
  /** The work for one document. It may itself find its result stale and drop it. */
  run: (uri: string) => Promise<void>;
  /** Reports a job that threw; must not throw itself. */
  onError: (uri: string, error: unknown) => void;
}

/** Pending documents mapped to the version seen on the last turn (undefined: not looked at yet). */
type Pending = Map<string, number | undefined>;

export class DocumentScheduler {
  private readonly pending: Pending = new Map();
  private timer: NodeJS.Immediate | undefined;
  private running = false;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {}

  /** Asks for an analysis of the document's newest version. Repeated calls before it runs coalesce. */
  schedule(uri: string): void {
    if (this.stopped) return;
    if (!this.pending.has(uri)) this.pending.set(uri, undefined);
    this.kick();
  }

  /** Whether no analysis is pending or running: background work waits for this. */
  get idle(): boolean {
    return !this.running && this.pending.size === 0;
  }

  /** Forgets a document (closed): work not started for it is dropped. */
  unschedule(uri: string): void {
    this.pending.delete(uri);
  }

  /** After shutdown: nothing new starts; the job in flight finishes and is the last. */
  stop(): void {
    this.stopped = true;
    this.pending.clear();
    if (this.timer !== undefined) clearImmediate(this.timer);
    this.timer = undefined;
  }

  private kick(): void {
    if (this.stopped || this.running || this.timer !== undefined || this.pending.size === 0) return;
    this.timer = setImmediate(() => this.turn());
  }

  private turn(): void {
    this.timer = undefined;
    for (const [uri, seen] of this.pending) {
      const version = this.options.versionOf(uri);
      if (version === undefined) {
        this.pending.delete(uri);
        continue;
      }
      if (version !== seen) {
        // Changed since the last turn (or never looked at): more changes may be queued behind it.
        this.pending.set(uri, version);
        continue;
      }
      this.pending.delete(uri);
      this.start(uri);
      return;
    }
    this.kick();
  }

  private start(uri: string): void {
    this.running = true;
    let job: Promise<void>;
    try {
      job = this.options.run(uri);
    } catch (error) {
      job = Promise.reject(error);
    }
    job
      .catch((error: unknown) => this.options.onError(uri, error))
      .finally(() => {
        this.running = false;
        this.kick();
      });
  }
}
