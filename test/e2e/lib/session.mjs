// One run of a real VS Code: code-server on 127.0.0.1 with a fresh profile (extensions, user data,
// XDG folders, temp), the Keyless .vsix installed into it, a fresh copy of examples/ as the
// workspace, and Debian's chromium (through playwright-core) showing the workbench. code-server
// only starts an extension host when a workbench page connects, so every run needs the page.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CODE_SERVER_BIN, SCALE } from './env.mjs';
import { SETTINGS } from './profile.mjs';

export { copyExamples, makeRunDir, removeRunDir } from './profile.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries `fn` until it returns something truthy or `timeoutMs` (scaled) passes. `fn` gets the
 * attempt number, so a retry can first reset what the previous attempt left behind (an open menu,
 * a half-typed input). The pause between attempts only paces polling; no step relies on it.
 */
export async function waitFor(fn, timeoutMs, what) {
  const end = Date.now() + timeoutMs * SCALE;
  let lastError;
  for (let attempt = 1; Date.now() < end; attempt++) {
    try {
      const value = await fn(attempt);
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(150);
  }
  throw new Error(`timed out after ${timeoutMs * SCALE} ms waiting for ${what}${lastError ? `: ${lastError.message.split('\n')[0]}` : ''}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts code-server with `vsix` installed and returns the session; `close()` ends everything it
 * started. `env` is added to code-server's environment, which its extension host inherits.
 */
export async function startSession({ runDir, vsix, workspace, env: extraEnv = {}, log = console.log }) {
  const dirs = {
    extensions: join(runDir, 'extensions'), userData: join(runDir, 'user-data'),
    xdg: join(runDir, 'xdg'), tmp: join(runDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  const config = join(runDir, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'), XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'), XDG_STATE_HOME: join(dirs.xdg, 'state'),
    // VS Code puts its IPC sockets here; without it they pile up in /tmp.
    TMPDIR: dirs.tmp,
    E2E_EXTENSIONS_DIR: dirs.extensions,
    ...extraEnv,
  };
  const common = ['--config', config, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData];
  execFileSync(CODE_SERVER_BIN, [...common, '--install-extension', vsix], { env, stdio: 'pipe', timeout: 120_000 * SCALE });
  log('installed the .vsix into a fresh profile');

  const port = await freePort();
  const logFile = join(runDir, 'code-server.log');
  const logFd = openSync(logFile, 'w');
  // Its own process group, so that close() ends the extension host and the language server with it.
  const server = spawn(CODE_SERVER_BIN, [
    ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', workspace,
  ], { env, stdio: ['ignore', logFd, logFd], detached: true });
  closeSync(logFd);
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;

  let browser;
  const session = {
    base, port, dirs, logFile, env,
    /** The `vscode-remote://` authority must be the Host header code-server sees. */
    remote: (path) => `vscode-remote://127.0.0.1:${port}${path}`,
    folderUrl: (query = '') => `${base}/?folder=${encodeURIComponent(workspace)}${query}`,
    page: undefined,
    logTail: (lines = 30) => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n'),
    async close() {
      await browser?.close().catch(() => undefined);
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        return; // already gone
      }
      const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!stopped) {
        try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
      }
    },
  };
  // A harness that is interrupted (a test timeout sends SIGTERM) still ends code-server.
  const onSignal = () => { try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ } process.exit(130); };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  process.once('exit', () => { try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ } });

  try {
    await waitFor(async () => {
      if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}:\n${session.logTail()}`);
      return (await fetch(`${base}/healthz`)).ok;
    }, 60_000, 'code-server to answer /healthz');
    log(`code-server ${base} is up`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env,
      // A closed network and root: no sandbox, nothing that phones home. playwright gives every
      // launch a fresh temporary profile.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      timeout: 60_000 * SCALE,
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    session.page = await context.newPage();
    session.page.setDefaultTimeout(30_000 * SCALE);
    return session;
  } catch (error) {
    await session.close();
    throw error;
  }
}
