// `npm run package`: the .vsix users install. Writes keyless-<version>.vsix at the repository root,
// or where --out says.
//
// It packages from a staging folder, not from the repository: the minified production bundles are
// built straight into the staging folder's dist/, so the repository's dist/ keeps the development
// build (with source maps) that the tests, the bench and everyone's work run against, even while a
// package is being made. The staging folder holds only what .vscodeignore lets back (each "!" line
// names a file or folder), plus package.json and .vscodeignore itself, which vsce then applies as
// usual. vsce runs offline with --no-dependencies: the bundles carry everything they need.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = outIndex === -1 ? join(root, `keyless-${version}.vsix`) : resolve(process.argv[outIndex + 1]);

/** The files and folders the "!" lines of .vscodeignore name: each pattern up to its first wildcard. */
function allowedPaths() {
  return readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => {
      const segments = line.slice(1).split('/');
      const wildcard = segments.findIndex((s) => /[*?[\]{}()!]/.test(s));
      const literal = wildcard === -1 ? segments : segments.slice(0, wildcard);
      if (literal.length === 0) throw new Error(`.vscodeignore: "${line}" names no file or folder; the staging copy needs one`);
      return literal.join('/');
    });
}

/** Runs a node script; its own output says what went wrong, so a failure only sets the exit code. */
function run(script, args, options) {
  try {
    execFileSync(process.execPath, [script, ...args], options);
    return true;
  } catch (error) {
    process.exitCode = error.status ?? 1;
    return false;
  }
}

/** Builds into the staging folder, copies the rest of the package there, and runs vsce on it. */
function packageFrom(staging) {
  if (!run(join(root, 'scripts', 'build.mjs'), ['--production', '--outdir', join(staging, 'dist')], { cwd: root, stdio: 'inherit' })) return false;
  for (const path of new Set(['.vscodeignore', ...allowedPaths()])) {
    // dist/ is the production build just made; a missing file is vsce's to report (LICENSE,
    // README.md and the icon are required, and it says so by name).
    if (path === 'dist' || path.startsWith('dist/') || !existsSync(join(root, path))) continue;
    cpSync(join(root, path), join(staging, path), { recursive: true });
  }
  // vsce writes the file but does not make its folder.
  mkdirSync(dirname(out), { recursive: true });
  return run(join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), ['package', '--no-dependencies', '--out', out], {
    cwd: staging,
    // No prompt can be answered here (vsce asks before packaging without a licence): end of input
    // makes it refuse instead of waiting.
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

const staging = mkdtempSync(join(tmpdir(), 'keyless-package-'));
try {
  if (packageFrom(staging)) console.log(out);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
