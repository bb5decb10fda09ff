#!/usr/bin/env node
// Neovim as a second LSP client: runs check.lua in headless Neovim against `node dist/server.js
// --stdio` on a fresh copy of examples/, prints its results, and exits 0 when every check passed.
//
//   node test/e2e/nvim/run.mjs [--server FILE] [--results FILE]   (default server: the checkout's dist/server.js)
// Env: E2E_TIMEOUT_SCALE, KEEP=1 (keep the scratch folder), NVIM_BIN.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { E2E_DIR, NVIM, OUTPUT, ROOT, SCALE, SETUP_HINT, setupProblems } from '../lib/env.mjs';
import { copyExamples, makeRunDir, removeRunDir } from '../lib/profile.mjs';

const { values: args } = parseArgs({ options: { server: { type: 'string' }, results: { type: 'string' } } });
const T0 = Date.now();

const problems = setupProblems({ needCodeServer: false, needChromium: false });
if (problems.length > 0) {
  console.error(`e2e setup incomplete: ${problems.join('; ')}: ${SETUP_HINT}`);
  process.exit(2);
}
const server = resolve(args.server ?? join(ROOT, 'dist', 'server.js'));
if (!existsSync(server)) {
  console.error(`no language server at ${server}: build it with \`npm run build\``);
  process.exit(2);
}

const runDir = makeRunDir('nvim');
const workspace = copyExamples(join(runDir, 'workspace'));
const xdg = join(runDir, 'xdg');
const waitMs = 30_000 * SCALE;
const env = {
  ...process.env,
  // Nothing from the user's own Neovim setup, and nothing written to it.
  XDG_CONFIG_HOME: join(xdg, 'config'), XDG_DATA_HOME: join(xdg, 'data'), XDG_CACHE_HOME: join(xdg, 'cache'), XDG_STATE_HOME: join(xdg, 'state'),
  KEYLESS_SERVER: server,
  KEYLESS_WORKSPACE: workspace,
  KEYLESS_EXPECTED: join(E2E_DIR, 'expected-findings.json'),
  KEYLESS_TIMEOUT_MS: String(waitMs),
};

const child = spawn(NVIM, ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${join(E2E_DIR, 'nvim', 'check.lua')}`], {
  env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'],
});
let stdout = '';
let stderr = '';
child.stdout.on('data', (chunk) => { stdout += chunk; });
child.stderr.on('data', (chunk) => { stderr += chunk; });
// Every wait inside check.lua is bounded; this only stops a Neovim that hangs outside them.
const killer = setTimeout(() => child.kill('SIGKILL'), 8 * waitMs);
const code = await new Promise((r) => child.on('close', (status, signal) => r(status ?? signal)));
clearTimeout(killer);

const line = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{')).pop();
let results;
try {
  results = line ? JSON.parse(line) : undefined;
} catch {
  results = undefined;
}
mkdirSync(OUTPUT, { recursive: true });
const report = JSON.stringify({ exit: code, durationMs: Date.now() - T0, results }, null, 2);
writeFileSync(join(OUTPUT, 'nvim-results.json'), report);
if (args.results) writeFileSync(resolve(args.results), report);

if (results) {
  console.log(`Neovim ${results.nvim} against ${server}`);
  for (const c of results.checks) console.log(`  ${c.ok ? '✓' : '✗'} ${c.name}${c.ok ? '' : `: ${JSON.stringify(c.detail)}`}`);
  if (results.error) console.log(`  ✗ error: ${results.error}`);
}
const ok = code === 0 && results?.ok === true;
if (!ok) {
  console.error(`Neovim check failed (exit ${code})${results ? '' : `; output:\n${stdout}\n${stderr}`}`);
  console.log(`scratch folder kept: ${runDir}`);
} else if (!process.env.KEEP) {
  removeRunDir(runDir);
}
console.log(`[nvim ${((Date.now() - T0) / 1000).toFixed(1)}s] ${ok ? 'Neovim check passed' : 'Neovim check FAILED'}`);
process.exit(ok ? 0 : 1);
