import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Engine } from '../engine/analyze';
import type { KeylessConfig } from '../engine/config';
import type { RuleFailure, ScannedFile } from '../output/report';
import type { Rule } from '../rules/rule';
import { scanFile, type Candidate, type ScanOutcome } from './scan-file';
import type { ScanWorkerData, WorkReply, WorkRequest } from './worker';

/**
 * Analysis of a scan's files on the main thread and, for large trees, on worker threads too.
 *
 * The engine is synchronous and parsing dominates it, so one thread is one core. The main thread
 * always analyzes; once the walk has handed out `threshold` files, workers join, each pulling from
 * the same walk. Whoever is free takes the next file, so the split needs no tuning, and a worker
 * that is still starting costs the main thread nothing. Results are merged and sorted by the
 * caller, so the report is the same byte for byte whichever thread analyzed a file.
 */

/**
 * Requests kept in flight per worker. The main thread hands out work only between two of its own
 * files, and one large file keeps it busy for up to ~100 ms, so each worker holds enough small
 * files to stay busy meanwhile; more would only leave work queued behind a worker at the end.
 */
const WORKER_DEPTH = 16;

/**
 * Files the walk runs ahead of the analysis. Its folder reads happen in the thread pool while the
 * engine works, so by the time a file is wanted its folder has long been read.
 */
const WALK_AHEAD = 64;

/**
 * How much of the tree the main thread analyzes alone before workers are worth starting, when
 * nobody says otherwise. A worker costs about 0.2 s to start (loading the bundle and the
 * WebAssembly parser), then runs cold while its JIT warms up as the main thread's did, and takes
 * ~50 MB. On two idle cores `npm run bench` measured workers from the first file breaking even up
 * to about 800 files (2 MB) and gaining 1.1× at 1,600 files and 1.3× at 5,000; on a busy machine
 * there is no idle core and they lose. The walk is lazy, so what has been seen so far stands for
 * the tree's size.
 */
export const AUTO_WORKER_FILES = 800;
export const AUTO_WORKER_BYTES = 2 * 1024 * 1024;

/**
 * Workers the default plan starts: one per core beyond the main thread's, but only on cores that
 * are idle. A worker is a second engine warming up its own JIT and WebAssembly, so it costs CPU
 * time the main thread would not have spent; that buys wall time only from a core nobody else
 * wants. On two cores shared with other work (1-minute load average 15–28), the 5,000-file tree
 * cost 15.4 s of CPU with its worker and 12.6 s without, for no shorter a wall time (55 s and
 * 53 s). `load` is the 1-minute load average (0 where the platform has none, as on Windows).
 */
export function autoWorkerCount(cores: number, load: number): number {
  const idle = Math.round(cores - load);
  // The main thread takes one idle core; workers go on the others.
  return Math.max(0, Math.min(cores - 1, idle - 1));
}

export interface WorkerPlan {
  /** Worker threads to start besides the main thread; 0: analyze on the main thread only. */
  workers: number;
  /** They start once the walk has handed out this many files (1: with the first file)... */
  threshold: number;
  /** ...or once the main thread has analyzed this many bytes. */
  thresholdBytes: number;
  /** What a worker runs: the CLI bundle, which branches on `isMainThread`. */
  script: string;
}

/**
 * The plan from `KEYLESS_WORKERS`: unset means one worker per idle core beyond the main thread's
 * (autoWorkerCount), for trees past AUTO_WORKER_FILES files or AUTO_WORKER_BYTES; `0` means none;
 * `N` means N from the first file.
 * Workers run the bundle (`dist/cli.js`): when the CLI runs from its TypeScript sources (tests
 * calling `main` in process), there is no bundle to start, and everything runs on the main thread.
 */
export function workerPlan(value: string | undefined, script: string): WorkerPlan | { error: string } {
  const bundled = script.endsWith('.js');
  if (value === undefined || value.trim() === '') {
    return { workers: bundled ? autoWorkerCount(availableParallelism(), loadavg()[0] ?? 0) : 0, threshold: AUTO_WORKER_FILES, thresholdBytes: AUTO_WORKER_BYTES, script };
  }
  if (!/^\d+$/.test(value.trim())) return { error: `KEYLESS_WORKERS must be a whole number of worker threads (got "${value}")` };
  const workers = Number(value.trim());
  if (workers > 64) return { error: `KEYLESS_WORKERS must be at most 64 (got ${workers})` };
  return { workers: bundled ? workers : 0, threshold: 1, thresholdBytes: 0, script };
}

export interface AnalyzeChoices {
  config: KeylessConfig;
  /** Rules other than the catalog (tests): functions cannot cross to a worker, so no workers then. */
  rules: readonly Rule[] | undefined;
}

export interface Analyzed {
  /** Files with something to say (findings, a problem or notes), in no particular order. */
  files: ScannedFile[];
  fileCount: number;
  ruleFailures: RuleFailure[];
}

export async function analyzeAll(candidates: AsyncIterator<Candidate>, engine: Engine, choices: AnalyzeChoices, plan: WorkerPlan): Promise<Analyzed> {
  const analyzed: Analyzed = { files: [], fileCount: 0, ruleFailures: [] };
  let bytes = 0;
  const record = (outcome: ScanOutcome): void => {
    const { scanned } = outcome;
    bytes += outcome.bytes;
    if (scanned.findings.length > 0 || scanned.problem || scanned.notes.length > 0) analyzed.files.push(scanned);
    analyzed.ruleFailures.push(...outcome.ruleFailures);
  };
  const options = { config: choices.config, rules: choices.rules };
  const wanted = choices.rules === undefined ? plan.workers : 0;

  let started = false;
  const workers: ScanWorker[] = [];
  const workerLanes: Promise<void>[] = [];
  const startWorkers = (): void => {
    const data: ScanWorkerData = { kind: 'keyless-scan-worker', config: choices.config };
    for (let i = 0; i < wanted; i++) {
      let worker: ScanWorker;
      try {
        worker = new ScanWorker(plan.script, data);
      } catch {
        break; // no threads to be had: the main thread does the work, as for a small tree
      }
      workers.push(worker);
      for (let d = 0; d < WORKER_DEPTH; d++) workerLanes.push(workerLane(worker));
    }
  };

  const walk = new WalkAhead(candidates, WALK_AHEAD);
  const take = async (): Promise<Candidate | undefined> => {
    const next = await walk.next();
    if (next.done === true) return undefined;
    analyzed.fileCount++;
    if (!started && wanted > 0 && (analyzed.fileCount >= plan.threshold || bytes >= plan.thresholdBytes)) {
      started = true;
      startWorkers();
    }
    return next.value;
  };
  const mainLane = async (): Promise<void> => {
    for (let candidate = await take(); candidate !== undefined; candidate = await take()) {
      record(scanFile(candidate, engine, options));
      // Between two files, let the event loop turn: the walk's pending folder read completes (it
      // ran in the thread pool meanwhile) and the workers' replies come in, each one handing its
      // worker the next file. Without it the thread would sit idle on every folder it enters.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const workerLane = async (worker: ScanWorker): Promise<void> => {
    for (let candidate = await take(); candidate !== undefined; candidate = await take()) {
      // A worker that died or cannot analyze hands its file back: the main thread's engine gives
      // the answer the worker would have given.
      record((await worker.scan(candidate)) ?? scanFile(candidate, engine, options));
    }
  };

  try {
    await mainLane();
    // Every worker lane was started by a `take`, before the walk ran out.
    await Promise.all(workerLanes);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  return analyzed;
}

/** One worker thread and its requests in flight. */
class ScanWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (outcome: ScanOutcome | undefined) => void>();
  private nextId = 0;
  private usable = true;

  constructor(script: string, data: ScanWorkerData) {
    this.worker = new Worker(script, { workerData: data });
    this.worker.on('message', (reply: WorkReply) => {
      const resolve = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if ('outcome' in reply) {
        resolve?.(reply.outcome);
      } else {
        resolve?.(undefined);
        this.fail();
      }
    });
    // A crash (out of memory, a bug outside the per-file error handling) ends this worker only.
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  /** The file's outcome, or undefined when this worker cannot give it (the caller analyzes it). */
  scan(candidate: Candidate): Promise<ScanOutcome | undefined> {
    if (!this.usable) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.waiting.set(id, resolve);
      this.worker.postMessage({ id, candidate } satisfies WorkRequest);
    });
  }

  async stop(): Promise<void> {
    this.usable = false;
    await this.worker.terminate();
  }

  private fail(): void {
    this.usable = false;
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
    void this.worker.terminate();
  }
}

/**
 * Keeps up to `depth` `next()` calls of an async iterator in flight, so it works ahead of its
 * consumers. An async generator queues concurrent calls and answers them in order, so the values
 * come out in the walk's order, and after the end every call answers done.
 */
class WalkAhead<T> {
  private readonly pending: Promise<IteratorResult<T>>[] = [];

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly depth: number,
  ) {}

  next(): Promise<IteratorResult<T>> {
    while (this.pending.length < this.depth) this.pending.push(this.source.next());
    return this.pending.shift()!;
  }
}
