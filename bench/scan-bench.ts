/**
 * `keyless scan` as a process against secretlint (recommended preset) and against the parse-only
 * baseline, over the same files; and where worker threads start to pay.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AUTO_WORKER_BYTES, AUTO_WORKER_FILES } from '../server/src/cli/pool';
import { writeTree } from './generate';
import { median } from './lsp-bench';
import { runProcess, type ProcessRun } from './processes';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SECRETLINT = path.join(ROOT, 'node_modules', 'secretlint', 'bin', 'secretlint.js');

/** The files Keyless reads, as a glob secretlint expands (with dotfiles) to the same list. */
const SAME_FILES_GLOB = '**/*.{tf,tfvars,json,yml,yaml}';

export interface ToolRuns {
  tool: string;
  /** How it was run, for the table's notes. */
  command: string;
  runs: number;
  /** Median, min and max wall time of the process, ms. */
  wallMs: number;
  wallRange: [number, number];
  cpuS?: number;
  maxRssKb?: number;
  filesPerS: number;
  mbPerS: number;
  findings: number;
  exitCode: number | null;
}

export interface ScanInput {
  name: string;
  files: number;
  bytes: number;
  tools: ToolRuns[];
  /**
   * Keyless (default) ÷ parse-only, best wall time of each: the machine is shared, and other work
   * only ever adds time, so the fastest run is the closest to what the tool itself costs.
   */
  ratioToParse: number;
  /** In-process read + parse time the baseline reports, median ms. */
  parseLoopMs: number;
}

interface Subject {
  tool: string;
  command: string;
  program: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  count: (stdout: string) => number;
}

function keylessFindings(stdout: string): number {
  return (JSON.parse(stdout) as { findings: unknown[] }).findings.length;
}

function secretlintFindings(stdout: string): number {
  return (JSON.parse(stdout) as { messages: unknown[] }[]).reduce((n, f) => n + f.messages.length, 0);
}

function withoutWorkersEnv(value: string | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (value === undefined) delete env.KEYLESS_WORKERS;
  else env.KEYLESS_WORKERS = value;
  return env;
}

/**
 * Runs every subject `runs` times over `dir`, round robin (so a burst of load elsewhere on the
 * machine hits them alike), secretlint `secretlintRuns` times.
 */
export async function benchScanInput(name: string, dir: string, parseOnly: string, runs: number, secretlintRuns: number, work: string): Promise<ScanInput> {
  const { files, bytes } = sizeOf(dir);
  const rc = path.join(work, 'secretlintrc.json');
  fs.writeFileSync(rc, `${JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] })}\n`);
  const cores = os.availableParallelism();
  const subjects: Subject[] = [
    { tool: `Keyless, default (+1 worker per idle core beyond the first, up to ${cores - 1}, past ${AUTO_WORKER_FILES} files or ${AUTO_WORKER_BYTES / 1024 / 1024} MB)`, command: 'keyless scan --format json', program: process.execPath, args: [CLI, 'scan', '--format', 'json'], env: withoutWorkersEnv(undefined), count: keylessFindings },
    { tool: 'Keyless, KEYLESS_WORKERS=0', command: 'KEYLESS_WORKERS=0 keyless scan --format json', program: process.execPath, args: [CLI, 'scan', '--format', 'json'], env: withoutWorkersEnv('0'), count: keylessFindings },
    { tool: 'parse only (same parsers, sequential)', command: 'bench/parse-only.ts, bundled', program: process.execPath, args: [parseOnly, '.'], count: () => 0 },
  ];
  const secretlint: Subject = {
    tool: 'secretlint 11.7.1 (recommend preset)',
    command: `secretlint "${SAME_FILES_GLOB}" --format json --secretlintrc <file>`,
    program: process.execPath,
    args: [SECRETLINT, SAME_FILES_GLOB, '--format', 'json', '--secretlintrc', rc],
    count: secretlintFindings,
  };

  const results = new Map<Subject, { runs: ProcessRun[]; findings: number; parseMs: number[] }>();
  const record = async (subject: Subject): Promise<void> => {
    const stdoutFile = path.join(work, 'stdout');
    const run = await runProcess(subject.program, subject.args, { cwd: dir, env: subject.env ?? process.env, stdoutFile });
    const stdout = fs.readFileSync(stdoutFile, 'utf8');
    const entry = results.get(subject) ?? { runs: [], findings: 0, parseMs: [] };
    entry.runs.push(run);
    if (run.code !== 0 && run.code !== 1) throw new Error(`${subject.tool} exited with ${run.code}: ${run.stderr.trim().split('\n').slice(0, 3).join(' / ')}`);
    if (subject === subjects[2]) entry.parseMs.push((JSON.parse(stdout) as { parseMs: number }).parseMs);
    else entry.findings = subject.count(stdout);
    results.set(subject, entry);
  };
  for (let i = 0; i < runs; i++) {
    for (const subject of subjects) await record(subject);
    if (i < secretlintRuns) await record(secretlint);
  }

  const tools = [...subjects, secretlint].map((subject): ToolRuns => {
    const entry = results.get(subject)!;
    const walls = entry.runs.map((r) => r.wallMs);
    const wallMs = median(walls);
    const cpu = entry.runs.map((r) => r.cpuS).filter((c): c is number => c !== undefined);
    const rss = entry.runs.map((r) => r.maxRssKb).filter((c): c is number => c !== undefined);
    return {
      tool: subject.tool,
      command: subject.command,
      runs: entry.runs.length,
      wallMs,
      wallRange: [Math.min(...walls), Math.max(...walls)],
      ...(cpu.length > 0 ? { cpuS: median(cpu) } : {}),
      ...(rss.length > 0 ? { maxRssKb: Math.max(...rss) } : {}),
      filesPerS: files / (wallMs / 1000),
      mbPerS: bytes / 1024 / 1024 / (wallMs / 1000),
      findings: entry.findings,
      exitCode: entry.runs[entry.runs.length - 1]!.code,
    };
  });
  return {
    name,
    files,
    bytes,
    tools,
    ratioToParse: tools[0]!.wallRange[0] / tools[2]!.wallRange[0],
    parseLoopMs: median(results.get(subjects[2]!)!.parseMs),
  };
}

export interface CrossoverPoint {
  files: number;
  kilobytes: number;
  /**
   * Best wall ms of the runs (other work on the machine only adds time): main thread only; main
   * thread + workers (one per core beyond it) from the first file; the default plan.
   */
  inProcessMs: number;
  withWorkersMs: number;
  defaultMs: number;
}

/**
 * Where workers start to pay: trees of growing size scanned with KEYLESS_WORKERS=0, with the
 * default worker count forced on from the first file, and with the default plan (workers past its
 * thresholds), best of `runs` each, interleaved.
 */
export async function benchCrossover(sizes: readonly number[], runs: number, work: string): Promise<CrossoverPoint[]> {
  const workers = String(Math.max(1, os.availableParallelism() - 1));
  const points: CrossoverPoint[] = [];
  for (const size of sizes) {
    const dir = path.join(work, `tree-${size}`);
    writeTree(dir, { files: size });
    const { bytes } = sizeOf(dir);
    const off: number[] = [];
    const on: number[] = [];
    const auto: number[] = [];
    const stdoutFile = path.join(work, 'stdout');
    const time = async (env: NodeJS.ProcessEnv): Promise<number> => (await runProcess(process.execPath, [CLI, 'scan', '--format', 'json'], { cwd: dir, env, stdoutFile })).wallMs;
    for (let i = 0; i < runs; i++) {
      off.push(await time(withoutWorkersEnv('0')));
      on.push(await time(withoutWorkersEnv(workers)));
      auto.push(await time(withoutWorkersEnv(undefined)));
    }
    fs.rmSync(dir, { recursive: true, force: true });
    points.push({ files: size, kilobytes: bytes / 1024, inProcessMs: Math.min(...off), withWorkersMs: Math.min(...on), defaultMs: Math.min(...auto) });
  }
  return points;
}

/** Files Keyless reads under `dir`, and their bytes. */
export function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(tf|tfvars|json|ya?ml)$/i.test(entry.name)) {
        files++;
        bytes += fs.statSync(full).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}
