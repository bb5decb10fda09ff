/**
 * The long mutation fuzz (issue 7, "Hostile input"): seeded hostile mutants of the repository's
 * fixtures and examples and of ../shared/corpus (when present), each through the engine and every
 * output format in process (test/property/fuzz-check.ts), with the bar
 *
 *   0 crashes, 0 files over 1 s, 0 planted secrets in any output,
 *   over at least 10,000 mutants per syntax family (YAML, HCL, JSON).
 *
 * Usage:
 *   node --import tsx bench/fuzz.ts [--per-family N] [--seed S] [--syntax yaml,hcl,json]
 *                                   [--family NAME] [--jobs J] [--extras-every K]
 *   node --import tsx bench/fuzz.ts --seed S --only yaml:1234 [--write FILE]
 *
 * --per-family   mutants per syntax family (default 10000)
 * --seed         the run seed (default: a fixed one); every mutant is a pure function of
 *                (seed, syntax, index), and a failure prints the command that rebuilds it
 * --family       only this mutation family (byte-flips, truncate, splice, indent-shift,
 *                alias-bomb, deep-nesting, huge, nul-invalid-utf8, crlf, bom, unterminated, plant)
 * --jobs         child processes (default 1: the machine is shared)
 * --extras-every every K-th mutant also gets its fixes' titles and a hover checked (default 10)
 * --only         one mutant, with its outcome and where its key pairs were planted
 * --write        with --only: write the mutant's text to FILE (it holds fake keys only)
 *
 * Mutants run in child processes: an abort of V8 itself (an out-of-memory in the regular
 * expression compiler, say) kills a child, not the run; the parent records the mutant that was
 * running as a crash and starts a new child after it. A mutant that sends nothing for
 * HANG_MS is a hang: the child is killed and the mutant counted as a crash and a slow file.
 * A mutant over the time bound (but under three times it) is run once more and keeps the faster
 * time, so that a neighbour's burst of CPU on a shared machine does not count as a slow file; both
 * times are over the bound when it is reported.
 *
 * Prints a summary table (family × syntax: mutants, crashes, slow files, leaks, slowest) and every
 * failure with the command that reproduces it; exits 1 on any failure.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { Engine } from '../server/src/engine/analyze';
import { createEngine } from '../server/src/workspace/grammar';
import { checkMutant, TIME_BOUND_MS, type Outcome } from '../test/property/fuzz-check';
import { FAMILY_NAMES, FULL_SCALE, loadSeeds, makeMutant, SYNTAXES, type FuzzSyntax } from '../test/property/hostile-mutants';

const DEFAULT_SEED = 0x6b657973;
const HANG_MS = 60_000;

interface Options {
  perFamily: number;
  seed: number;
  syntaxes: FuzzSyntax[];
  family: string | undefined;
  jobs: number;
  extrasEvery: number;
  only: { syntax: FuzzSyntax; index: number } | undefined;
  write: string | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { perFamily: 10_000, seed: DEFAULT_SEED, syntaxes: [...SYNTAXES], family: undefined, jobs: 1, extrasEvery: 10, only: undefined, write: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${arg} wants a non-negative integer, got ${v}`);
      return n;
    };
    if (arg === '--per-family') options.perFamily = int();
    else if (arg === '--seed') options.seed = int();
    else if (arg === '--jobs') options.jobs = Math.max(1, int());
    else if (arg === '--extras-every') options.extrasEvery = int();
    else if (arg === '--family') {
      options.family = value();
      if (!FAMILY_NAMES.includes(options.family)) throw new Error(`no family "${options.family}" (${FAMILY_NAMES.join(', ')})`);
    } else if (arg === '--syntax') {
      options.syntaxes = value().split(',') as FuzzSyntax[];
      for (const s of options.syntaxes) if (!SYNTAXES.includes(s)) throw new Error(`no syntax "${s}" (${SYNTAXES.join(', ')})`);
    } else if (arg === '--only') {
      const [syntax, index] = value().split(':');
      if (!SYNTAXES.includes(syntax as FuzzSyntax) || !Number.isSafeInteger(Number(index))) throw new Error('--only wants SYNTAX:INDEX, e.g. yaml:1234');
      options.only = { syntax: syntax as FuzzSyntax, index: Number(index) };
    } else if (arg === '--write') options.write = value();
    else if (arg === '--child') continue;
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

// --- the child: runs a range of mutants and reports each -------------------------------------------

interface Job {
  syntax: FuzzSyntax;
  from: number;
  to: number;
  seed: number;
  family: string | undefined;
  extrasEvery: number;
}

interface Result {
  syntax: FuzzSyntax;
  index: number;
  family: string;
  source: string;
  planted: string[];
  bytes: number;
  outcome: Outcome;
}

type ChildMessage = { kind: 'ready' } | { kind: 'begin'; index: number; family: string; source: string; bytes: number } | { kind: 'result'; result: Result } | { kind: 'done' };

async function runMutant(engine: Engine, pool: ReturnType<typeof loadSeeds>, job: Omit<Job, 'from' | 'to'>, index: number, onBegin?: (family: string, source: string, bytes: number) => void): Promise<Result> {
  const mutant = makeMutant(pool, job.syntax, job.seed, index, FULL_SCALE, job.family);
  onBegin?.(mutant.family, mutant.source, Buffer.byteLength(mutant.text));
  const extras = job.extrasEvery > 0 && index % job.extrasEvery === 0;
  let outcome = checkMutant(engine, mutant, { extras });
  // Past three times the bound it is no neighbour's burst: not worth a second run of a slow input.
  if (!outcome.crash && outcome.ms >= TIME_BOUND_MS && outcome.ms < 3 * TIME_BOUND_MS) {
    const again = checkMutant(engine, mutant);
    if (again.ms < outcome.ms) outcome = { ...outcome, ms: again.ms };
  }
  return { syntax: job.syntax, index, family: mutant.family, source: mutant.source, planted: mutant.planted.map((p) => p.where), bytes: Buffer.byteLength(mutant.text), outcome };
}

async function child(): Promise<void> {
  const engine = await createEngine();
  const pool = loadSeeds();
  const send = (message: ChildMessage): void => {
    process.send!(message);
  };
  process.on('message', (job: Job) => {
    void (async () => {
      for (let index = job.from; index < job.to; index++) {
        const result = await runMutant(engine, pool, job, index, (family, source, bytes) => send({ kind: 'begin', index, family, source, bytes }));
        send({ kind: 'result', result });
      }
      send({ kind: 'done' });
    })();
  });
  send({ kind: 'ready' });
}

// --- the parent: hands out ranges, survives children that die, prints the table ------------------

interface Cell {
  mutants: number;
  crashes: number;
  slow: number;
  leaks: number;
  maxMs: number;
  totalMs: number;
}

const emptyCell = (): Cell => ({ mutants: 0, crashes: 0, slow: 0, leaks: 0, maxMs: 0, totalMs: 0 });

class Tally {
  readonly cells = new Map<string, Cell>();
  readonly failures: string[] = [];

  constructor(private readonly options: Options) {}

  cell(family: string, syntax: FuzzSyntax): Cell {
    const key = `${family}\0${syntax}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = emptyCell();
      this.cells.set(key, cell);
    }
    return cell;
  }

  add(result: Result): void {
    const cell = this.cell(result.family, result.syntax);
    const { outcome } = result;
    cell.mutants++;
    cell.totalMs += outcome.ms;
    cell.maxMs = Math.max(cell.maxMs, outcome.ms);
    const problems: string[] = [];
    if (outcome.crash) {
      cell.crashes++;
      problems.push(`crash: ${outcome.crash}`);
    }
    if (outcome.ms >= TIME_BOUND_MS) {
      cell.slow++;
      problems.push(`slow: ${outcome.ms.toFixed(0)} ms for ${(result.bytes / 1024).toFixed(0)} KB`);
    }
    if (outcome.leaks.length > 0) {
      cell.leaks++;
      problems.push(`leak: ${[...new Set(outcome.leaks)].join('; ')}`);
    }
    if (problems.length > 0) {
      const failure = `${result.syntax}:${result.index} ${result.family} of ${result.source}: ${problems.join(' | ')}\n    reproduce: ${this.reproduce(result.syntax, result.index)}`;
      this.failures.push(failure);
      // As they come, too: a long run shows what it found before it ends.
      if (this.options.only === undefined) process.stderr.write(`  FAIL ${failure}\n`);
    }
  }

  reproduce(syntax: FuzzSyntax, index: number): string {
    return `node --import tsx bench/fuzz.ts --seed ${this.options.seed}${this.options.family ? ` --family ${this.options.family}` : ''} --only ${syntax}:${index}`;
  }

  table(): string {
    const rows: string[][] = [['family', 'syntax', 'mutants', 'crashes', 'slow (≥1 s)', 'leaks', 'mean ms', 'max ms']];
    const families = [...new Set([...this.cells.keys()].map((k) => k.split('\0')[0]!))].sort();
    const totals = new Map<FuzzSyntax, Cell>();
    for (const family of families) {
      for (const syntax of this.options.syntaxes) {
        const cell = this.cells.get(`${family}\0${syntax}`);
        if (!cell) continue;
        rows.push([family, syntax, ...numbers(cell)]);
        const total = totals.get(syntax) ?? emptyCell();
        total.mutants += cell.mutants;
        total.crashes += cell.crashes;
        total.slow += cell.slow;
        total.leaks += cell.leaks;
        total.totalMs += cell.totalMs;
        total.maxMs = Math.max(total.maxMs, cell.maxMs);
        totals.set(syntax, total);
      }
    }
    for (const [syntax, total] of totals) rows.push(['all', syntax, ...numbers(total)]);
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    return rows.map((r, i) => `| ${r.map((v, c) => (c < 2 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |${i === 0 ? `\n|${widths.map((w, c) => (c < 2 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|` : ''}`).join('\n');
  }
}

function numbers(cell: Cell): string[] {
  return [String(cell.mutants), String(cell.crashes), String(cell.slow), String(cell.leaks), (cell.totalMs / Math.max(1, cell.mutants)).toFixed(1), cell.maxMs.toFixed(0)];
}

/** Runs [from, to) of one syntax in a child, starting a new one after a mutant that killed it or hung. */
function runRange(options: Options, tally: Tally, syntax: FuzzSyntax, from: number, to: number, progress: () => void): Promise<void> {
  return new Promise((resolve) => {
    let next = from;
    let running: { index: number; family: string; source: string; bytes: number } | undefined;
    let proc: ChildProcess | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        if (running) recordDeath(`hang: no answer in ${HANG_MS / 1000} s`, HANG_MS);
        proc?.kill('SIGKILL');
      }, HANG_MS);
    };
    const recordDeath = (why: string, ms: number): void => {
      if (!running) return;
      tally.add({ syntax, index: running.index, family: running.family, source: running.source, planted: [], bytes: running.bytes, outcome: { ms, crash: why, leaks: [] } });
      next = running.index + 1;
      running = undefined;
      progress();
    };
    const start = (): void => {
      if (next >= to) {
        clearTimeout(watchdog);
        resolve();
        return;
      }
      let finished = false;
      proc = fork(__filename, ['--child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      proc.on('message', (message: ChildMessage) => {
        arm();
        if (message.kind === 'ready') {
          proc!.send({ syntax, from: next, to, seed: options.seed, family: options.family, extrasEvery: options.extrasEvery } satisfies Job);
        } else if (message.kind === 'begin') {
          running = { index: message.index, family: message.family, source: message.source, bytes: message.bytes };
        } else if (message.kind === 'result') {
          running = undefined;
          tally.add(message.result);
          next = message.result.index + 1;
          progress();
        } else {
          finished = true;
          proc!.kill();
        }
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(watchdog);
        if (!finished) recordDeath(`process died (${signal ?? `exit ${code}`})`, 0);
        start();
      });
      arm();
    };
    start();
  });
}

async function parent(options: Options): Promise<number> {
  const pool = loadSeeds();
  const seedCounts = SYNTAXES.map((s) => `${pool.bySyntax[s].length} ${s}`).join(', ');
  process.stderr.write(`seeds: ${seedCounts}${pool.corpus ? ' (with ../shared/corpus)' : ' (../shared/corpus absent: repository seeds only)'}\n`);

  if (options.only) {
    const engine = await createEngine();
    const job = { syntax: options.only.syntax, seed: options.seed, family: options.family, extrasEvery: 1 };
    const mutant = makeMutant(pool, job.syntax, job.seed, options.only.index, FULL_SCALE, job.family);
    if (options.write) fs.writeFileSync(options.write, mutant.text);
    const result = await runMutant(engine, pool, job, options.only.index);
    const tally = new Tally(options);
    tally.add(result);
    process.stdout.write(
      `${result.syntax}:${result.index} ${result.family} of ${result.source} (${(result.bytes / 1024).toFixed(1)} KB, engine path ${mutant.path})\n` +
        `planted: ${result.planted.join(', ') || 'nothing'}\n` +
        `${result.outcome.ms.toFixed(1)} ms${result.outcome.crash ? `; crash: ${result.outcome.crash}` : ''}${result.outcome.leaks.length ? `; leaks: ${result.outcome.leaks.join('; ')}` : ''}\n` +
        (options.write ? `written to ${options.write}\n` : ''),
    );
    return tally.failures.length > 0 ? 1 : 0;
  }

  const tally = new Tally(options);
  const total = options.perFamily * options.syntaxes.length;
  let done = 0;
  const started = performance.now();
  let lastPrint = 0;
  const progress = (): void => {
    done++;
    const now = performance.now();
    if (now - lastPrint > 10_000 || done === total) {
      lastPrint = now;
      process.stderr.write(`  ${done}/${total} mutants, ${tally.failures.length} failures, ${((now - started) / 1000).toFixed(0)} s\n`);
    }
  };
  // Each syntax's range is cut into `jobs` pieces; pieces run `jobs` at a time.
  const pieces: (() => Promise<void>)[] = [];
  for (const syntax of options.syntaxes) {
    const size = Math.ceil(options.perFamily / options.jobs);
    for (let from = 0; from < options.perFamily; from += size) pieces.push(() => runRange(options, tally, syntax, from, Math.min(options.perFamily, from + size), progress));
  }
  const workers = Array.from({ length: options.jobs }, async () => {
    for (let piece = pieces.shift(); piece; piece = pieces.shift()) await piece();
  });
  await Promise.all(workers);

  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`\nkeyless fuzz: seed ${options.seed}, ${options.perFamily} mutants per syntax family, ${seconds.toFixed(0)} s\n\n${tally.table()}\n\n`);
  if (tally.failures.length === 0) {
    process.stdout.write(`bar met: 0 crashes, 0 files over ${TIME_BOUND_MS} ms, 0 planted secrets in any output\n`);
    return 0;
  }
  process.stdout.write(`${tally.failures.length} failing mutants (seed ${options.seed}):\n${tally.failures.map((f) => `  ${f}`).join('\n')}\n`);
  return 1;
}

if (process.argv.includes('--child')) {
  void child();
} else {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  parent(options).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(2);
    },
  );
}
