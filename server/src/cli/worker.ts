import { parentPort } from 'node:worker_threads';
import { createEngine } from '../workspace/grammar';
import type { KeylessConfig } from '../engine/config';
import { errorName, scanFile, type Candidate, type ScanOutcome } from './scan-file';

/**
 * The scan worker: a thread of `keyless scan` with its own engine (its own tree-sitter parser and
 * WebAssembly memory), fed one file path at a time and answering with the file's plain result.
 * It is the CLI bundle itself, started again on a thread (`dist/cli.js` branches on `isMainThread`),
 * because the build makes exactly one bundle for the CLI.
 */

export interface ScanWorkerData {
  kind: 'keyless-scan-worker';
  config: KeylessConfig;
}

export interface WorkRequest {
  id: number;
  candidate: Candidate;
}

/** `failed`: the worker itself cannot analyze (its engine did not load); the file goes elsewhere. */
export type WorkReply = { id: number; outcome: ScanOutcome } | { id: number; failed: string };

export function isScanWorkerData(data: unknown): data is ScanWorkerData {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'keyless-scan-worker';
}

export function runScanWorker(data: ScanWorkerData): void {
  const port = parentPort;
  if (port === null) throw new Error('runScanWorker runs in a worker thread');
  const engine = createEngine();
  // Requests queue on the port while a file is analyzed; each is answered before the next is read.
  port.on('message', (request: WorkRequest) => {
    engine.then(
      (e) => port.postMessage({ id: request.id, outcome: scanFile(request.candidate, e, { config: data.config }) } satisfies WorkReply),
      (error: unknown) => port.postMessage({ id: request.id, failed: errorName(error) } satisfies WorkReply),
    );
  });
}
