// Where the editor end-to-end suites find their tools, and how they tell whether setup has run.
// Shared by setup.mjs (which installs), the harnesses (which refuse to start without it) and the
// node:test wrappers (through `setup.mjs --check`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const E2E_DIR = join(ROOT, 'test', 'e2e');
export const CACHE = process.env.KEYLESS_E2E_CACHE || join(ROOT, '.e2e-cache');
export const OUTPUT = join(ROOT, 'test-output', 'e2e');

/**
 * 4.100.3 (VS Code 1.100.3) is the last code-server release that runs on Node 20, and the
 * extension's engines.vscode (^1.100.0) must be satisfiable by it.
 */
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = join(CACHE, 'code-server');
export const CODE_SERVER_BIN = process.env.CODE_SERVER || join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
export const CODE_SERVER_MARKER = join(CODE_SERVER_DIR, '.keyless-e2e-installed.json');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const NVIM = process.env.NVIM_BIN || '/usr/bin/nvim';

/** Debian packages the suites use at run time. */
export const RUNTIME_PACKAGES = ['chromium', 'ripgrep', 'neovim', 'fonts-dejavu-core'];
/** What code-server's native modules (node-pty, spdlog, kerberos, …) need to compile from source. */
export const BUILD_PACKAGES = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'libx11-dev'];

/** Multiplies every timeout of the suites: raise it on a slow or overloaded machine. */
export const SCALE = Number(process.env.E2E_TIMEOUT_SCALE || 1) > 0 ? Number(process.env.E2E_TIMEOUT_SCALE || 1) : 1;

/**
 * The marker setup writes once code-server works. It records the Node ABI too: the native modules
 * were compiled for it, so a different Node needs a fresh install.
 */
export function expectedMarker() {
  return { codeServer: CODE_SERVER_VERSION, nodeAbi: process.versions.modules, arch: process.arch };
}

export function codeServerInstalled() {
  if (process.env.CODE_SERVER) return existsSync(CODE_SERVER_BIN);
  if (!existsSync(CODE_SERVER_MARKER) || !existsSync(CODE_SERVER_BIN)) return false;
  try {
    const marker = JSON.parse(readFileSync(CODE_SERVER_MARKER, 'utf8'));
    const expected = expectedMarker();
    return Object.entries(expected).every(([key, value]) => marker[key] === value);
  } catch {
    return false;
  }
}

/** What is missing for the suites, as short phrases; empty when setup has run. */
export function setupProblems({ needCodeServer = true, needChromium = true, needNvim = true } = {}) {
  const problems = [];
  if (needCodeServer && !codeServerInstalled()) problems.push(`code-server ${CODE_SERVER_VERSION} is not installed in ${CODE_SERVER_DIR}`);
  if (needChromium && !existsSync(CHROMIUM)) problems.push(`${CHROMIUM} is missing`);
  if (needNvim && !existsSync(NVIM)) problems.push(`${NVIM} is missing`);
  return problems;
}

export const SETUP_HINT = 'run `node test/e2e/setup.mjs` first';
