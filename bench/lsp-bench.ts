/**
 * Editor latency, Keyless against the language servers a user would have running instead, with
 * one driver (`lsp-driver.ts`) and one edit protocol, and the servers' start-up time and memory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspDriver, sleep, Timeout, type ServerSpec } from './lsp-driver';

const ROOT = path.resolve(__dirname, '..');
const MODULES = path.join(ROOT, 'node_modules');

export const KEYLESS: ServerSpec = {
  name: 'Keyless',
  command: process.execPath,
  args: [path.join(ROOT, 'dist', 'server.js'), '--stdio'],
  // Defaults, as a fresh install reads them.
  settings: (section) => (section === 'keyless' ? {} : null),
};

/**
 * GitHub's Actions language server (the engine of the GitHub Actions extension), over stdio as
 * its README's standalone CLI runs it. Its initialize handler reads `initializationOptions`
 * unconditionally, so an empty object is sent: no `sessionToken` (no github.com look-ups, which
 * this machine could not make anyway) and no repository context.
 */
export const ACTIONS: ServerSpec = {
  name: 'Actions LS',
  command: process.execPath,
  args: [path.join(MODULES, '@actions', 'languageserver', 'bin', 'actions-languageserver'), '--stdio'],
  initializationOptions: {},
};

/**
 * Red Hat's yaml-language-server (the engine of the YAML extension) with validation on and no
 * schema association: the Kubernetes schema and the schema store are downloads, which this
 * machine cannot make, so the schema store is switched off rather than left to fail on each
 * start. It validates YAML syntax and structure only.
 */
export const YAML_LS: ServerSpec = {
  name: 'yaml-language-server',
  command: process.execPath,
  args: [path.join(MODULES, 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
  settings: (section) => {
    switch (section) {
      case 'yaml':
        return {
          validate: true,
          hover: false,
          completion: false,
          format: { enable: false },
          schemas: {},
          schemaStore: { enable: false, url: '' },
          customTags: [],
          maxItemsComputed: 5000,
          yamlVersion: '1.2',
        };
      case 'http':
        return { proxy: '', proxyStrictSSL: false };
      default:
        return {};
    }
  },
};

export interface LatencyResult {
  server: string;
  available: boolean;
  reason?: string;
  /** How the edits reached the server: incremental ranges or the whole text. */
  sync?: 'incremental' | 'full';
  edits?: number;
  /** Edits whose diagnostics did not arrive within the per-edit timeout. */
  misses?: number;
  openMs?: number;
  openDiagnostics?: number;
  medianMs?: number;
  p95Ms?: number;
  maxMs?: number;
  latencies?: number[];
  /**
   * Keyless only: code action requests for single diagnostics spread over the document after the
   * edits (the light bulb on a finding), each computing that finding's fixes: count, median, p95.
   */
  quickFixes?: { requests: number; medianMs: number; p95Ms: number };
  /** VmHWM of the server process after the run, in KB. */
  peakRssKb?: number;
}

export interface LatencyDoc {
  /** Path inside the workspace (the Actions server wants `.github/workflows/`). */
  path: string;
  text: string;
  /** The line typed at: the first at or after the middle that passes this test. */
  targetLine: (line: string) => boolean;
}

/** The characters typed, one per edit: a trailing comment, as a person would type it. */
const TYPED = ' # keyless benchmark: typing one character at a time into a file, like a person would.........';
const EDIT_TIMEOUT_MS = 5_000;

/**
 * Opens `doc` in the server and types `edits` characters at the end of one line, each edit waiting
 * for its diagnostics (or EDIT_TIMEOUT_MS, counted as a miss) before the next.
 */
export async function measureLatency(spec: ServerSpec, doc: LatencyDoc, languageId: string, edits: number): Promise<LatencyResult> {
  const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-bench-lsp-')));
  const file = path.join(workspace, doc.path);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc.text);
  const uri = pathToFileURL(file).href;
  let driver: LspDriver | undefined;
  try {
    driver = await LspDriver.start(spec, workspace, pathToFileURL(workspace).href);
    // yaml-language-server asks for its settings after `initialized` and re-validates open
    // documents once they arrive; opening after they did keeps that from racing the first result.
    await sleep(300);
    const opened = await driver.open(uri, languageId, doc.text);
    // A second publication for the opened version (a settings-triggered re-validation) would
    // otherwise be taken for the first edit's answer.
    await driver.settle(500, 5_000);

    const lines = doc.text.split('\n');
    const middle = Math.floor(lines.length / 2);
    const found = lines.findIndex((l, i) => i >= middle && doc.targetLine(l));
    const line = found >= 0 ? found : middle;
    const latencies: number[] = [];
    let misses = 0;
    for (let i = 0; i < edits; i++) {
      const insert = TYPED[i % TYPED.length]!;
      const character = lines[line]!.length;
      lines[line] += insert;
      try {
        latencies.push(await driver.change(uri, i + 2, { line, character, insert, text: lines.join('\n') }, EDIT_TIMEOUT_MS));
      } catch (error) {
        if (!(error instanceof Timeout)) throw error;
        misses++;
        // A late answer must not be taken for the next edit's.
        await driver.settle(1_000, 10_000);
      }
    }
    const quickFixes = spec.name === KEYLESS.name ? await measureQuickFixes(driver, uri) : undefined;
    const peakRssKb = driver.peakRssKb();
    return {
      server: spec.name,
      available: true,
      sync: driver.incremental ? 'incremental' : 'full',
      edits,
      misses,
      openMs: opened.ms,
      openDiagnostics: opened.count,
      medianMs: median(latencies),
      p95Ms: percentile(latencies, 0.95),
      maxMs: Math.max(...latencies),
      latencies,
      ...(quickFixes !== undefined ? { quickFixes } : {}),
      ...(peakRssKb !== undefined ? { peakRssKb } : {}),
    };
  } catch (error) {
    return { server: spec.name, available: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await driver?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** Up to this many diagnostics, evenly spread over the document, get one code action request each. */
const QUICK_FIX_REQUESTS = 30;

async function measureQuickFixes(driver: LspDriver, uri: string): Promise<LatencyResult['quickFixes']> {
  await driver.settle(300, 5_000);
  const diagnostics = driver.diagnostics.get(uri) ?? [];
  if (diagnostics.length === 0) return undefined;
  const step = Math.max(1, Math.floor(diagnostics.length / QUICK_FIX_REQUESTS));
  const times: number[] = [];
  for (let i = 0; i < diagnostics.length && times.length < QUICK_FIX_REQUESTS; i += step) {
    const { ms, count } = await driver.codeActions(uri, diagnostics[i]!, EDIT_TIMEOUT_MS);
    if (count === 0) throw new Error(`${driver.spec.name}: no quick fix for diagnostic ${i} (${String(diagnostics[i]!.code)})`);
    times.push(ms);
  }
  return { requests: times.length, medianMs: median(times), p95Ms: percentile(times, 0.95) };
}

export interface StartupResult {
  server: string;
  available: boolean;
  reason?: string;
  /** spawn → initialize answered, ms: median and [min, max] over the runs. */
  initializeMs?: number;
  initializeRange?: [number, number];
  /** spawn → first diagnostics of a small file, ms. */
  firstDiagnosticsMs?: number;
  firstDiagnosticsRange?: [number, number];
  runs?: number;
}

/**
 * Cold starts: spawn → initialize answered, and spawn → the first diagnostics of `doc` (initialize,
 * initialized, didOpen). Each run is a fresh process; the median of `runs` is kept.
 */
export async function measureStartup(spec: ServerSpec, doc: { path: string; text: string }, languageId: string, runs: number): Promise<StartupResult> {
  const initialize: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      await inColdWorkspace(doc, 'keyless-bench-start-', async (workspace, file, started) => {
        const spawnedAt = performance.now();
        const driver = started(await LspDriver.start(spec, workspace, pathToFileURL(workspace).href));
        initialize.push(driver.initializeMs);
        await driver.open(pathToFileURL(file).href, languageId, doc.text);
        first.push(performance.now() - spawnedAt);
      });
    } catch (error) {
      return { server: spec.name, available: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  return {
    server: spec.name,
    available: true,
    runs,
    initializeMs: median(initialize),
    initializeRange: range(initialize),
    firstDiagnosticsMs: median(first),
    firstDiagnosticsRange: range(first),
  };
}

export interface FirstOpenResult {
  server: string;
  available: boolean;
  reason?: string;
  runs?: number;
  /** didOpen → the first diagnostics of the document, ms: median and [min, max]. */
  openMs?: number;
  openRange?: [number, number];
  /** The first edit after them → its diagnostics, ms: median and [min, max]. */
  firstEditMs?: number;
  firstEditRange?: [number, number];
}

/**
 * What a user meets first, cold each time: a fresh server, initialized and left idle `idleMs`
 * (an editor opens the file a moment after starting the server), then open → first diagnostics
 * and the first typed character → its diagnostics. Each run is a fresh process.
 */
export async function measureFirstOpen(spec: ServerSpec, doc: LatencyDoc, languageId: string, runs: number, idleMs: number): Promise<FirstOpenResult> {
  const open: number[] = [];
  const edit: number[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      await inColdWorkspace(doc, 'keyless-bench-first-', async (workspace, file, started) => {
        const uri = pathToFileURL(file).href;
        const driver = started(await LspDriver.start(spec, workspace, pathToFileURL(workspace).href));
        await sleep(idleMs);
        open.push((await driver.open(uri, languageId, doc.text)).ms);
        const lines = doc.text.split('\n');
        const middle = Math.floor(lines.length / 2);
        const found = lines.findIndex((l, index) => index >= middle && doc.targetLine(l));
        const line = found >= 0 ? found : middle;
        const character = lines[line]!.length;
        lines[line] += '#';
        edit.push(await driver.change(uri, 2, { line, character, insert: '#', text: lines.join('\n') }, EDIT_TIMEOUT_MS));
      });
    } catch (error) {
      return { server: spec.name, available: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  return {
    server: spec.name,
    available: true,
    runs,
    openMs: median(open),
    openRange: range(open),
    firstEditMs: median(edit),
    firstEditRange: range(edit),
  };
}

/**
 * One cold run: a fresh temporary workspace holding `doc`, handed to `run`; the server `run` starts
 * (passed through `started`) is stopped and the workspace removed whatever happens.
 */
async function inColdWorkspace(doc: { path: string; text: string }, prefix: string, run: (workspace: string, file: string, started: (driver: LspDriver) => LspDriver) => Promise<void>): Promise<void> {
  const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const file = path.join(workspace, doc.path);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc.text);
  let driver: LspDriver | undefined;
  try {
    await run(workspace, file, (d) => (driver = d));
  } finally {
    await driver?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** [min, max] of the runs, shown beside their median. */
function range(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
