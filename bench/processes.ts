/**
 * Running benchmark subjects as processes: wall time, CPU time and peak memory of one run, and
 * bundling the benchmark's own helper scripts the way `dist/` is bundled.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TIME = '/usr/bin/time';
export const HAVE_TIME = fs.existsSync(TIME);

export interface ProcessRun {
  code: number | null;
  wallMs: number;
  /** User + system CPU seconds, from /usr/bin/time (absent without it). */
  cpuS?: number;
  /** Peak resident set of the process, KB: /usr/bin/time's "maximum resident set size". */
  maxRssKb?: number;
  stderr: string;
}

/**
 * Runs `command` in `cwd`, its standard output into `stdoutFile` (a file, not a pipe: a process that
 * exits right after writing would lose what a pipe had not taken yet). Under /usr/bin/time when it
 * is there, for CPU time and peak memory; otherwise the peak comes from polling /proc VmHWM.
 */
export async function runProcess(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; stdoutFile: string }): Promise<ProcessRun> {
  const out = fs.openSync(options.stdoutFile, 'w');
  const timeFile = path.join(os.tmpdir(), `keyless-bench-time-${process.pid}-${Date.now()}`);
  const argv = HAVE_TIME ? ['-f', '%M %U %S', '-o', timeFile, command, ...args] : [...args];
  const start = performance.now();
  const child = spawn(HAVE_TIME ? TIME : command, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let polledKb = 0;
  const poll = HAVE_TIME
    ? undefined
    : setInterval(() => {
        try {
          const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (match) polledKb = Math.max(polledKb, Number(match[1]));
        } catch {
          // The process is gone: the last poll stands.
        }
      }, 20);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  const wallMs = performance.now() - start;
  if (poll) clearInterval(poll);
  fs.closeSync(out);
  if (!HAVE_TIME) return { code, wallMs, ...(polledKb > 0 ? { maxRssKb: polledKb } : {}), stderr };
  try {
    // /usr/bin/time writes "Command exited with non-zero status N" first when the command fails.
    const last = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [rss, user, sys] = last.split(' ').map(Number);
    return { code, wallMs, cpuS: (user ?? 0) + (sys ?? 0), maxRssKb: rss ?? 0, stderr };
  } finally {
    fs.rmSync(timeFile, { force: true });
  }
}

/**
 * Bundles a benchmark script with esbuild into `outDir`, with the aliases `scripts/build.mjs` uses
 * and the two .wasm files beside it (where `locateWasm` looks), so it loads as `dist/` code does.
 */
export async function bundleScript(entry: string, outDir: string, root: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.js`);
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    alias: {
      'jsonc-parser': path.join(root, 'node_modules/jsonc-parser/lib/esm/main.js'),
      'web-tree-sitter': path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs'),
    },
  });
  for (const wasm of ['web-tree-sitter.wasm', 'tree-sitter-terraform.wasm']) fs.copyFileSync(path.join(root, 'dist', wasm), path.join(outDir, wasm));
  return outfile;
}
