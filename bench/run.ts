/**
 * `npm run bench`: how much the analysis costs over bare parsing, where the rest of the time
 * goes, and how fast the language server answers a keystroke. Prints markdown tables, writes them
 * into the README's performance section, and writes bench/results.json.
 *
 * Targets: analysis ≤ 1.5 × bare parse; didChange → publishDiagnostics p95 ≤ 50 ms.
 * Environment: KEYLESS_BENCH_RUNS (default 30) timed runs after KEYLESS_BENCH_WARMUP (default 5);
 * KEYLESS_BENCH_SERVER_NODE_ARGS, extra node flags for the spawned server (e.g. --cpu-prof).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { syntaxOf, type Syntax } from '../server/src/dialects/detect';
import { Engine } from '../server/src/engine/analyze';
import { DEFAULT_CONFIG, ruleSetting } from '../server/src/engine/config';
import { parseFile } from '../server/src/engine/parse';
import { isSuppressed, suppressionInsertion } from '../server/src/engine/suppressions';
import { extractFacts } from '../server/src/engine/extract';
import { RULES } from '../server/src/rules';
import type { RuleFinding } from '../server/src/rules/rule';
import { scanText } from '../server/src/secrets/scan';
import { loadHcl, parseHcl } from '../server/src/syntax/hcl';
import { parseJson } from '../server/src/syntax/json';
import { LineIndex } from '../server/src/syntax/text';
import { parseYaml } from '../server/src/syntax/yaml';
import { generateKubernetes, generateTerraform, generateWorkflow } from './generate';

type HclParser = Awaited<ReturnType<typeof loadHcl>>;

const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const RUNS = positiveInt(process.env.KEYLESS_BENCH_RUNS, 30);
const WARMUP = positiveInt(process.env.KEYLESS_BENCH_WARMUP, 5);
const RATIO_TARGET = 1.5;
const P95_TARGET_MS = 50;
const LSP_EDITS = 100;

interface BenchFile {
  path: string;
  text: string;
  syntax: Syntax;
}

interface Input {
  name: string;
  files: BenchFile[];
}

/** Medians in milliseconds of the phases of `Engine.analyze`, each timed on its own. */
interface Breakdown {
  /** parseFile (the parser, dialect detection, the syntax helpers) and freeing the tree. */
  parse: number;
  /** extractFacts without its final scanText: the dialect's reader. */
  facts: number;
  scanText: number;
  rules: number;
  /** The line index, suppression lookups and ranges of each finding. */
  report: number;
}

interface InputResult {
  name: string;
  files: number;
  lines: number;
  kilobytes: number;
  findings: number;
  bareParseMs: number;
  analyzeMs: number;
  ratio: number;
  breakdown: Breakdown;
}

interface LspResult {
  available: boolean;
  reason?: string;
  edits?: number;
  openMs?: number;
  medianMs?: number;
  p95Ms?: number;
  maxMs?: number;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * Runs `body` WARMUP times untimed, then RUNS times, and gives the median of each named lap.
 * `body` gets the run's number, to alternate the order of what it compares, so that neither side
 * is always the one that pays for the other's garbage. There is deliberately no forced collection
 * between laps: after a full GC V8 shrinks the young generation, and the next lap pays extra
 * scavenges (measured: +40% on the Terraform analysis, nothing on bare tree-sitter parsing, whose
 * memory lives in WebAssembly). A running server never collects that way; steady state is the
 * honest number.
 */
function measure<K extends string>(body: (run: number) => Record<K, number>): Record<K, number> {
  for (let i = 0; i < WARMUP; i++) body(i);
  const laps: Record<string, number[]> = {};
  for (let i = 0; i < RUNS; i++) {
    for (const [k, v] of Object.entries(body(i) as Record<string, number>)) (laps[k] ??= []).push(v);
  }
  const result: Record<string, number> = {};
  for (const [k, v] of Object.entries(laps)) result[k] = median(v);
  return result as Record<K, number>;
}

// ---------------------------------------------------------------------------------------------
// Inputs

function generated(g: { path: string; text: string }): BenchFile {
  return { path: g.path, text: g.text, syntax: syntaxOf(g.path)! };
}

function corpusFiles(): BenchFile[] | undefined {
  if (!fs.existsSync(CORPUS)) return undefined;
  const files: BenchFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const rel = path.relative(CORPUS, full).split(path.sep).join('/');
        const syntax = syntaxOf(rel);
        if (syntax) files.push({ path: rel, text: fs.readFileSync(full, 'utf8'), syntax });
      }
    }
  };
  walk(CORPUS);
  return files;
}

// ---------------------------------------------------------------------------------------------
// Parse vs analysis

function bareParse(file: BenchFile, hcl: HclParser): void {
  if (file.syntax === 'yaml') parseYaml(file.text);
  else if (file.syntax === 'json') parseJson(file.text);
  else parseHcl(hcl, file.text).tree?.delete();
}

/**
 * The engine's own pipeline, phase by phase, with the same calls `Engine.analyze` makes, so that
 * a missed ratio says which phase to look at.
 */
function phases(file: BenchFile, hcl: HclParser): Breakdown {
  const text = file.text.charCodeAt(0) === 0xfeff ? ` ${file.text.slice(1)}` : file.text;
  const t0 = performance.now();
  const parsed = parseFile(file.path, text, file.syntax, hcl, Infinity);
  const t1 = performance.now();
  let facts = 0;
  let scan = 0;
  let rules = 0;
  let report = 0;
  let free = 0;
  try {
    if (parsed.dialect !== null) {
      const extracted = extractFacts(parsed, text);
      const t2 = performance.now();
      // extractFacts ends with scanText; timing it again on its own splits the two.
      scanText(text, parsed.locator);
      const t3 = performance.now();
      facts = t2 - t1 - (t3 - t2);
      scan = t3 - t2;
      const found: RuleFinding[] = [];
      for (const rule of RULES) {
        if (ruleSetting(DEFAULT_CONFIG, rule.id, rule.severity) === 'off' || !rule.dialects.includes(parsed.dialect)) continue;
        found.push(...rule.check({ path: file.path, dialect: parsed.dialect, facts: extracted }));
      }
      const t4 = performance.now();
      rules = t4 - t3;
      // What analyze does per finding: suppression lookups and offset → position conversions.
      const index = new LineIndex(text);
      for (const f of found) {
        if (isSuppressed('bench', f.span.start, parsed, index)) continue;
        suppressionInsertion('bench', f.span.start, parsed, index);
        index.rangeOf(f.span);
      }
      report = performance.now() - t4;
    }
  } finally {
    // Freeing the HCL tree (WebAssembly memory) is part of parsing's cost: bare parsing pays it too.
    const t5 = performance.now();
    parsed.dispose();
    free = performance.now() - t5;
  }
  return { parse: t1 - t0 + free, facts, scanText: scan, rules, report };
}

function benchInput(input: Input, engine: Engine, hcl: HclParser): InputResult {
  let findings = 0;
  for (const file of input.files) findings += engine.analyze({ path: file.path, text: file.text }).findings.length;

  const timeBare = (): number => {
    const t0 = performance.now();
    for (const file of input.files) bareParse(file, hcl);
    return performance.now() - t0;
  };
  const timeAnalyze = (): number => {
    const t0 = performance.now();
    for (const file of input.files) engine.analyze({ path: file.path, text: file.text });
    return performance.now() - t0;
  };
  const main = measure((run) => {
    if (run % 2 === 0) {
      const bare = timeBare();
      return { bare, analyze: timeAnalyze() };
    }
    const analyze = timeAnalyze();
    return { bare: timeBare(), analyze };
  });
  const breakdown = measure((): Record<keyof Breakdown, number> => {
    const sum = { parse: 0, facts: 0, scanText: 0, rules: 0, report: 0 };
    for (const file of input.files) {
      const p = phases(file, hcl);
      for (const k of Object.keys(sum) as (keyof Breakdown)[]) sum[k] += p[k];
    }
    return sum;
  });
  return {
    name: input.name,
    files: input.files.length,
    lines: input.files.reduce((n, f) => n + f.text.split('\n').length, 0),
    kilobytes: input.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) / 1024,
    findings,
    bareParseMs: main.bare,
    analyzeMs: main.analyze,
    ratio: main.analyze / main.bare,
    breakdown,
  };
}

// ---------------------------------------------------------------------------------------------
// LSP latency

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Opens the generated workflow in the built server and types LSP_EDITS characters into it, one
 * didChange at a time, each waiting for the diagnostics of its version before the next.
 */
async function benchLsp(workflow: { path: string; text: string }): Promise<LspResult> {
  const serverPath = path.join(ROOT, 'dist', 'server.js');
  if (!fs.existsSync(serverPath)) return { available: false, reason: 'dist/server.js not built' };
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-bench-'));
  const filePath = path.join(workspace, workflow.path);
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  fs.writeFileSync(filePath, workflow.text);
  const uri = pathToFileURL(filePath).href;

  // KEYLESS_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env.KEYLESS_BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, serverPath, '--stdio'], { cwd: workspace, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()).slice(-2000));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connection: ProtocolConnection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  // A connection error after the server dies must not crash the benchmark.
  connection.onError(() => undefined);
  connection.onClose(() => undefined);

  // Waiters for diagnostics, by the document version they must carry (or any, for servers that omit it).
  let waiting: { version: number; resolve: (at: number) => void } | undefined;
  connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
    if (params.uri !== uri || !waiting) return;
    if (params.version !== undefined && params.version < waiting.version) return;
    const w = waiting;
    waiting = undefined;
    w.resolve(performance.now());
  });
  const diagnosticsFor = (version: number): Promise<number> => new Promise<number>((resolve) => (waiting = { version, resolve }));
  connection.listen();

  try {
    let init: InitializeResult;
    try {
      // A server that exits (an unfinished entry point) fails at once instead of at the timeout.
      const died = exited.then(() => Promise.reject(new Error(`the server exited (code ${child.exitCode ?? 'none'})`)));
      init = await withTimeout(
        Promise.race([died, connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: pathToFileURL(workspace).href,
          workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'bench' }],
          capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
        })]),
        10_000,
        'initialize',
      );
    } catch (error) {
      return { available: false, reason: `${error instanceof Error ? error.message : String(error)}${stderr ? ` (stderr: ${stderr.trim().split('\n')[0]})` : ''}` };
    }
    await connection.sendNotification(InitializedNotification.type, {});
    const sync = init.capabilities.textDocumentSync;
    const kind = typeof sync === 'number' ? sync : sync?.change ?? TextDocumentSyncKind.None;
    const incremental = kind === TextDocumentSyncKind.Incremental;

    let text = workflow.text;
    let version = 1;
    const opened = diagnosticsFor(version);
    const openStart = performance.now();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } });
    const openMs = (await withTimeout(opened, 10_000, 'diagnostics after didOpen')) - openStart;

    // Type a trailing comment, one character per edit, at the end of a line in the middle of the file.
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => i >= lines.length / 2 && l.trim() === '- run: npm ci');
    const targetLine = line >= 0 ? line : Math.floor(lines.length / 2);
    const typed = ' # keyless benchmark: typing one character at a time into a workflow, like a person would.....';
    const latencies: number[] = [];
    for (let i = 0; i < LSP_EDITS; i++) {
      const ch = typed[i % typed.length]!;
      const character = lines[targetLine]!.length;
      lines[targetLine] += ch;
      text = lines.join('\n');
      version++;
      const published = diagnosticsFor(version);
      const start = performance.now();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: incremental
          ? [{ range: { start: { line: targetLine, character }, end: { line: targetLine, character } }, text: ch }]
          : [{ text }],
      });
      latencies.push((await withTimeout(published, 10_000, `diagnostics after edit ${i + 1}`)) - start);
    }
    return {
      available: true,
      edits: latencies.length,
      openMs,
      medianMs: median(latencies),
      p95Ms: percentile(latencies, 0.95),
      maxMs: Math.max(...latencies),
    };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    try {
      await withTimeout(connection.sendRequest(ShutdownRequest.type), 2_000, 'shutdown');
      await connection.sendNotification(ExitNotification.type);
    } catch {
      // A server that cannot shut down is killed below.
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    if (child.exitCode === null) child.kill();
    connection.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

function table(results: readonly InputResult[], lsp: LspResult): string {
  const out: string[] = [];
  // Other work on the machine moves every number here; the load average says how much to trust them.
  const load = os.loadavg().map((n) => n.toFixed(2)).join(' ');
  out.push(`Median of ${RUNS} runs after ${WARMUP} warm-up runs; Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}; load average ${load}.`);
  out.push('');
  out.push('| input | files | lines | KB | findings | bare parse (ms) | parse + analysis (ms) | ratio |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const mark = r.ratio <= RATIO_TARGET ? '' : ' ✗';
    out.push(`| ${r.name} | ${r.files} | ${r.lines} | ${r.kilobytes.toFixed(0)} | ${r.findings} | ${ms(r.bareParseMs)} | ${ms(r.analyzeMs)} | ${r.ratio.toFixed(2)}×${mark} |`);
  }
  out.push('');
  out.push(`Target: parse + analysis ≤ ${RATIO_TARGET}× bare parse (✗ marks a miss).`);
  out.push('');
  out.push('Where parse + analysis time goes (ms):');
  out.push('');
  out.push('| input | parse + detect + free | dialect facts | scanText | rules | report (suppressions, ranges) |');
  out.push('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const b = r.breakdown;
    out.push(`| ${r.name} | ${ms(b.parse)} | ${ms(b.facts)} | ${ms(b.scanText)} | ${ms(b.rules)} | ${ms(b.report)} |`);
  }
  out.push('');
  if (lsp.available) {
    const mark = lsp.p95Ms! <= P95_TARGET_MS ? '' : ' ✗';
    out.push(`LSP (dist/server.js --stdio, 2,000-line workflow): didOpen → diagnostics ${ms(lsp.openMs!)} ms; ${lsp.edits} one-character didChange edits → publishDiagnostics: median ${ms(lsp.medianMs!)} ms, p95 ${ms(lsp.p95Ms!)} ms${mark}, max ${ms(lsp.maxMs!)} ms (target p95 ≤ ${P95_TARGET_MS} ms).`);
  } else {
    out.push(`LSP: server not available (${lsp.reason ?? 'unknown'})`);
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const engine = await Engine.create();
  const hcl = await loadHcl();
  const workflow = generateWorkflow({ lines: 2000 });
  const inputs: Input[] = [
    { name: 'GitHub workflow (generated)', files: [generated(workflow)] },
    { name: 'Terraform (generated)', files: [generated(generateTerraform({ lines: 5000 }))] },
    { name: 'Kubernetes multi-doc (generated)', files: [generated(generateKubernetes({ lines: 5000 }))] },
  ];
  const corpus = corpusFiles();
  if (corpus) inputs.push({ name: 'shared/corpus (all files)', files: corpus });
  else console.log(`shared/corpus not found: ${CORPUS}`);

  const results = inputs.map((input) => benchInput(input, engine, hcl));
  const lsp = await benchLsp(workflow);
  const report = table(results, lsp);
  console.log(report);
  updateReadme(report);

  const out = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim(),
    loadAverage: os.loadavg(),
    runs: RUNS,
    warmup: WARMUP,
    targets: { ratio: RATIO_TARGET, lspP95Ms: P95_TARGET_MS },
    inputs: results,
    lsp,
  };
  fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
}

/** The README's performance section is the printed tables, replaced between its two markers. */
function updateReadme(report: string): void {
  const readme = path.join(__dirname, '..', 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) {
    console.log('README.md has no bench markers: not updated');
    return;
  }
  fs.writeFileSync(readme, `${text.slice(0, from + start.length)}\n${report.trim()}\n${text.slice(to)}`);
  console.log('README.md performance section updated');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
