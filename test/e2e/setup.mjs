#!/usr/bin/env node
// Installs what the editor end-to-end suites (test/e2e/) need, and nothing that is already there:
//   1. Debian packages: chromium (the browser playwright-core drives), ripgrep, neovim, and, when
//      code-server still has to be built, the toolchain and headers for its native modules;
//   2. code-server (a real VS Code workbench with a Node extension host) from the npm registry,
//      into .e2e-cache/code-server/, compiled for this Node.
// Only the npm registry and Debian's archive are reached: everything code-server's install scripts
// would download elsewhere (Node headers, ripgrep) is supplied locally first.
//
//   node test/e2e/setup.mjs           install what is missing (apt-get needs root)
//   node test/e2e/setup.mjs --check   only say whether setup is complete (exit 1 when not)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import {
  BUILD_PACKAGES, CACHE, CHROMIUM, CODE_SERVER_BIN, CODE_SERVER_DIR, CODE_SERVER_MARKER, CODE_SERVER_VERSION, NVIM, ROOT,
  RUNTIME_PACKAGES, codeServerInstalled, expectedMarker, setupProblems,
} from './lib/env.mjs';

const T0 = Date.now();
const elapsed = (from = T0) => `${((Date.now() - from) / 1000).toFixed(1)}s`;
const log = (message) => console.log(`[e2e setup ${elapsed()}] ${message}`);

class SetupError extends Error {}
const fail = (reason) => { throw new SetupError(reason); };

async function step(title, fn) {
  const start = Date.now();
  log(`${title}…`);
  const result = await fn();
  log(`${title}: ${result ?? 'done'} (${elapsed(start)})`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) fail(`${command} could not be run: ${result.error.message}`);
  return result;
}

function tail(text, lines = 40) {
  return text.split('\n').slice(-lines).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Debian packages

function installedPackages(names) {
  // dpkg-query prints one status line per known package and fails only for unknown ones; a package
  // counts when its status says "install ok installed".
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...names], { encoding: 'utf8' });
  if (result.error) return undefined;
  const installed = new Set();
  for (const line of result.stdout.split('\n')) {
    const [name, ...status] = line.trim().split(/\s+/);
    if (status.join(' ') === 'install ok installed') installed.add(name.replace(/:.*$/, ''));
  }
  return installed;
}

async function ensureDebianPackages(needBuildTools) {
  const wanted = [...RUNTIME_PACKAGES, ...(needBuildTools ? BUILD_PACKAGES : [])];
  const installed = installedPackages(wanted);
  if (installed === undefined) {
    // Not Debian: nothing to install with, so only insist on what the suites execute.
    const missing = [CHROMIUM, NVIM].filter((file) => !existsSync(file));
    if (missing.length > 0) fail(`no dpkg-query here: install ${missing.join(' and ')} yourself (or set CHROMIUM / NVIM_BIN)`);
    return 'not a Debian system; chromium and nvim found';
  }
  const missing = wanted.filter((name) => !installed.has(name));
  if (missing.length === 0) return `all present (${wanted.join(' ')})`;
  if (process.getuid?.() !== 0) {
    fail(`missing Debian packages: ${missing.join(' ')}; run this as root, or install them: sudo apt-get install --no-install-recommends ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const logFile = join(CACHE, 'apt.log');
  const update = run('apt-get', ['update', '-qq'], { env });
  writeFileSync(logFile, update.stdout + update.stderr);
  if (update.status !== 0) fail(`apt-get update failed (exit ${update.status}): ${tail(update.stderr, 3).replace(/\n/g, ' | ')}`);
  // Without recommends: chromium's would pull in systemd, avahi and CUPS, none of which a
  // headless browser uses; the fonts it renders with come from fonts-dejavu-core (in the list).
  const install = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  writeFileSync(logFile, update.stdout + update.stderr + install.stdout + install.stderr);
  if (install.status !== 0) {
    console.error(tail(install.stdout + install.stderr));
    fail(`apt-get install ${missing.join(' ')} failed (exit ${install.status}; log: ${logFile})`);
  }
  const still = wanted.filter((name) => !installedPackages([name])?.has(name));
  if (still.length > 0) fail(`apt-get reported success but these are still not installed: ${still.join(' ')}`);
  return `installed ${missing.join(' ')}`;
}

// ---------------------------------------------------------------------------------------------
// code-server

/** A Node prefix with include/node, so node-gyp compiles against it instead of downloading headers. */
function nodeDir() {
  const candidates = [process.env.npm_config_nodedir, resolve(process.execPath, '..', '..')].filter(Boolean);
  const found = candidates.find((dir) => existsSync(join(dir, 'include', 'node', 'node_version.h')));
  if (!found) fail(`no Node headers (include/node/node_version.h) under ${candidates.join(' or ')}: node-gyp would download them; set npm_config_nodedir to a Node install that has them`);
  return found;
}

function npmPack(spec, destination, env) {
  const result = run('npm', ['pack', '--silent', '--pack-destination', destination, spec], { env, cwd: destination });
  if (result.status !== 0) fail(`npm pack ${spec} failed: ${tail(result.stderr, 3).replace(/\n/g, ' | ')}`);
  const name = result.stdout.trim().split('\n').pop();
  return join(destination, name);
}

function readFromTarball(tarball, member) {
  const result = run('tar', ['xzf', tarball, '-O', member]);
  if (result.status !== 0) fail(`cannot read ${member} from ${tarball}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** ripgrep's target triple as @vscode/ripgrep's postinstall names it for Linux. */
function ripgrepTarget() {
  if (process.platform !== 'linux') fail(`the e2e setup supports Linux only, not ${process.platform}`);
  const targets = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };
  return targets[process.arch] ?? fail(`no ripgrep target for ${process.arch}`);
}

/**
 * @vscode/ripgrep's postinstall downloads ripgrep from GitHub unless the archive is already in its
 * cache ($TMPDIR/vscode-ripgrep-cache-<package version>/ripgrep-<ripgrep version>-<target>.tar.gz).
 * Both versions are read from the packages themselves, and Debian's rg goes in the archive.
 */
function seedRipgrepCache(tmp, env) {
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((file) => existsSync(file)) ?? fail('ripgrep (rg) is not installed');
  const codeServerTgz = npmPack(`code-server@${CODE_SERVER_VERSION}`, tmp, env);
  const shrinkwrap = JSON.parse(readFromTarball(codeServerTgz, 'package/lib/vscode/npm-shrinkwrap.json'));
  const packageVersion = shrinkwrap.packages?.['node_modules/@vscode/ripgrep']?.version ?? fail('code-server no longer lists @vscode/ripgrep');
  const ripgrepTgz = npmPack(`@vscode/ripgrep@${packageVersion}`, tmp, env);
  const postinstall = readFromTarball(ripgrepTgz, 'package/lib/postinstall.js');
  const version = /^const VERSION = '([^']+)'/m.exec(postinstall)?.[1] ?? fail(`cannot find ripgrep's VERSION in @vscode/ripgrep ${packageVersion}`);
  const cacheDir = join(tmp, `vscode-ripgrep-cache-${packageVersion}`);
  const staging = join(cacheDir, 'staging');
  mkdirSync(staging, { recursive: true });
  copyFileSync(rg, join(staging, 'rg'));
  const archive = join(cacheDir, `ripgrep-${version}-${ripgrepTarget()}.tar.gz`);
  const tar = run('tar', ['czf', archive, '-C', staging, 'rg']);
  if (tar.status !== 0) fail(`cannot write ${archive}: ${tar.stderr.trim()}`);
  rmSync(staging, { recursive: true, force: true });
  return `@vscode/ripgrep ${packageVersion} will find ripgrep ${version} (${rg}) in its cache`;
}

function npmInstall(env, logFile) {
  return new Promise((resolvePromise) => {
    const out = [];
    const child = spawn('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: CODE_SERVER_DIR, env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => out.push(chunk));
    // A quiet CI log for two minutes looks like a hang; say that it is working.
    const start = Date.now();
    const heartbeat = setInterval(() => log(`  npm install still running (${elapsed(start)})`), 30_000);
    child.on('error', (error) => out.push(Buffer.from(String(error))));
    child.on('close', (code) => {
      clearInterval(heartbeat);
      const text = Buffer.concat(out).toString('utf8');
      writeFileSync(logFile, text);
      resolvePromise({ code, text });
    });
  });
}

async function installCodeServer() {
  const node = nodeDir();
  const tmp = join(CACHE, 'tmp');
  // A half-finished or stale install (other Node ABI) is removed, not patched.
  rmSync(join(CODE_SERVER_DIR, 'node_modules'), { recursive: true, force: true });
  rmSync(CODE_SERVER_MARKER, { force: true });
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  mkdirSync(CODE_SERVER_DIR, { recursive: true });
  writeFileSync(join(CODE_SERVER_DIR, 'package.json'), JSON.stringify({ name: 'keyless-e2e-code-server', private: true }, null, 2) + '\n');

  const env = {
    ...process.env,
    // node-gyp's temporary files and @vscode/ripgrep's download cache both follow TMPDIR.
    TMPDIR: tmp,
    npm_config_nodedir: node,
    // code-server's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    // node-pty's postinstall runs `npx node-gyp`, which a `yes=false` npm config would cancel.
    npm_config_yes: 'true',
    npm_config_ignore_scripts: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  await step('seed @vscode/ripgrep download cache with Debian rg', () => seedRipgrepCache(tmp, env));

  const logFile = join(CODE_SERVER_DIR, 'install.log');
  await step(`npm install code-server@${CODE_SERVER_VERSION} (compiles native modules; log ${logFile})`, async () => {
    const { code, text } = await npmInstall(env, logFile);
    if (code !== 0) {
      console.error(tail(text, 60));
      fail(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${code}; log: ${logFile})`);
    }
    // Proof that ripgrep came from the seeded cache rather than a download (which cannot work here).
    if (!text.includes('Using cached download')) fail(`@vscode/ripgrep did not use the seeded cache (log: ${logFile})`);
    const bundledRg = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
    if (!existsSync(bundledRg)) fail(`code-server installed without ${bundledRg}`);
    return 'installed';
  });

  await step('code-server --version', () => {
    const xdg = join(tmp, 'xdg');
    const result = run(CODE_SERVER_BIN, ['--version'], { env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg } });
    const version = result.stdout.trim().split('\n').pop() ?? '';
    if (result.status !== 0 || !version.startsWith(CODE_SERVER_VERSION)) fail(`code-server --version printed ${JSON.stringify(version)} (exit ${result.status}): ${tail(result.stderr, 3)}`);
    return version;
  });

  writeFileSync(CODE_SERVER_MARKER, JSON.stringify({ ...expectedMarker(), installedAt: new Date().toISOString() }, null, 2) + '\n');
  rmSync(tmp, { recursive: true, force: true });
  return `code-server ${CODE_SERVER_VERSION} in ${CODE_SERVER_DIR}`;
}

// ---------------------------------------------------------------------------------------------

function checkHarnessDependencies() {
  // Installed by `npm ci` as devDependencies: setup does not add packages to the project.
  const require = createRequire(join(ROOT, 'package.json'));
  for (const name of ['playwright-core', '@vscode/vsce']) {
    try {
      require.resolve(`${name}/package.json`);
    } catch {
      fail(`${name} is not installed: run \`npm ci\` in ${ROOT}`);
    }
  }
  return 'playwright-core and @vscode/vsce present';
}

async function main() {
  if (process.argv.includes('--check')) {
    const problems = setupProblems();
    if (problems.length > 0) {
      console.error(`e2e setup incomplete: ${problems.join('; ')}: run \`node test/e2e/setup.mjs\``);
      process.exit(1);
    }
    console.log('e2e setup complete');
    return;
  }
  mkdirSync(CACHE, { recursive: true });
  const needCodeServer = !codeServerInstalled();
  log(`node ${process.version}, cache ${CACHE}`);
  await step('npm dev dependencies', checkHarnessDependencies);
  await step('Debian packages', () => ensureDebianPackages(needCodeServer));
  if (needCodeServer) await step(`code-server ${CODE_SERVER_VERSION}`, installCodeServer);
  else log(`code-server ${CODE_SERVER_VERSION}: already installed (${CODE_SERVER_MARKER})`);
  const problems = setupProblems();
  if (problems.length > 0) fail(problems.join('; '));
  log(`e2e setup complete in ${elapsed()}`);
}

main().catch((error) => {
  const reason = error instanceof SetupError ? error.message : (error?.stack ?? String(error));
  console.error(`e2e setup failed after ${elapsed()}: ${reason}`);
  process.exit(1);
});
