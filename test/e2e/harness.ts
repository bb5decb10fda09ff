// What the node:test wrappers of the editor suites share: the setup check, and running one
// harness script (run-api.mjs, ui.mjs, nvim/run.mjs) as a child process with a deadline, its
// output kept for the failure message and in test-output/e2e/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const E2E = __dirname;
export const OUTPUT = path.join(ROOT, 'test-output', 'e2e');

/** Multiplies every deadline (E2E_TIMEOUT_SCALE=3 on a loaded machine): runs take 11–16 s on 2 idle cores. */
export const SCALE = Number(process.env.E2E_TIMEOUT_SCALE) > 0 ? Number(process.env.E2E_TIMEOUT_SCALE) : 1;

export const SETUP_COMMAND = 'node test/e2e/setup.mjs';

/** Fails, saying what to run, when `node test/e2e/setup.mjs` has not installed the editors. */
export function assertSetup(): void {
  const check = spawnSync(process.execPath, [path.join(E2E, 'setup.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(`${(check.stderr || check.stdout).trim() || 'e2e setup check failed'}\nThe editor suites need their setup first: run \`${SETUP_COMMAND}\` (as root, for apt-get).`);
  }
}

export interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  durationMs: number;
  timedOut: boolean;
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, E2E_TIMEOUT_SCALE: String(SCALE) };
  // The harness is a plain Node program, not a test file of this run.
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/**
 * Runs `node <test/e2e/script> ...args`. Past `timeoutMs` it is sent SIGTERM (the harnesses end
 * code-server and the browser on it), then SIGKILL. The output goes to test-output/e2e/<log>.
 */
export function runScript(script: string, args: readonly string[], timeoutMs: number, log: string): Promise<ScriptRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(E2E, script), ...args], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (killer) clearTimeout(killer);
      const output = Buffer.concat(chunks).toString('utf8');
      mkdirSync(OUTPUT, { recursive: true });
      writeFileSync(path.join(OUTPUT, log), output);
      resolve({ code, signal, output, durationMs: Date.now() - started, timedOut });
    });
  });
}

/** The last lines of a run's output, for an assertion message. */
export function tail(run: ScriptRun, lines = 60): string {
  const head = run.timedOut ? `(stopped after ${Math.round(run.durationMs / 1000)} s: over its deadline)\n` : '';
  return head + run.output.trimEnd().split('\n').slice(-lines).join('\n');
}

export function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}
