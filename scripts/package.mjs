// `npm run package`: the .vsix users install and the CLI's npm package, from one production build.
// Writes keyless-<version>.vsix at the repository root, or where --out says, and the npm tarball
// keyless-<version>.tgz into the repository root, or the folder --npm-out names.
//
// It packages from a staging folder, not from the repository: the minified production bundles are
// built straight into the staging folder's dist/, so the repository's dist/ keeps the development
// build (with source maps) that the tests, the bench and everyone's work run against, even while a
// package is being made. The staging folder holds only what .vscodeignore lets back (each "!" line
// names a file or folder), plus package.json and .vscodeignore itself, which vsce then applies as
// usual. vsce runs offline with --no-dependencies: the bundles carry everything they need.
//
// The npm package is packed from a second staging folder holding what NPM_FILES names, taken from
// the same production build, and a package.json for the command line, whose "files" is NPM_FILES:
// without the extension's "main" (npm would ship the file "main" names whatever "files" says), its
// contributions and the scripts that build from sources the package does not carry. The list lives
// here, not in the repository's package.json, because vsce refuses a package.json with "files"
// beside a .vscodeignore. npm pack runs offline: the package has no dependencies.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = outIndex === -1 ? join(root, `keyless-${version}.vsix`) : resolve(process.argv[outIndex + 1]);
const npmOutIndex = process.argv.indexOf('--npm-out');
const npmOut = npmOutIndex === -1 ? root : resolve(process.argv[npmOutIndex + 1]);

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

/** What the npm package ships besides package.json, README.md and LICENSE (which npm adds): what `keyless` runs and reads. */
const NPM_FILES = ['dist/cli.js', 'dist/*.wasm', 'dist/iam-catalog/', 'dist/ThirdPartyNotices.txt', 'docs/rules/', 'docs/federation.md'];

/** The fields of package.json the npm package keeps: what npm and a user of the command read. */
const NPM_FIELDS = ['name', 'displayName', 'description', 'version', 'license', 'private', 'engines', 'bin', 'keywords', 'repository', 'homepage'];

/** A "files" entry's paths under `from`: a path as it is, or a `*` in its last segment (`dist/*.wasm`). */
function expand(from, pattern) {
  const slash = pattern.lastIndexOf('/');
  const dir = pattern.slice(0, slash + 1);
  const name = pattern.slice(slash + 1);
  if (!name.includes('*')) return existsSync(join(from, pattern)) ? [pattern] : [];
  const matches = new RegExp(`^${name.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  return readdirSync(join(from, dir)).filter((entry) => matches.test(entry)).map((entry) => `${dir}${entry}`);
}

/** Packs the command-line package from the build in `staging`'s dist/, into `npmOut`. */
function packNpm(staging) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const npmStaging = join(staging, 'npm');
  mkdirSync(npmStaging);
  const npmManifest = { ...Object.fromEntries(NPM_FIELDS.filter((f) => f in manifest).map((f) => [f, manifest[f]])), files: NPM_FILES };
  writeFileSync(join(npmStaging, 'package.json'), `${JSON.stringify(npmManifest, null, 2)}\n`);
  // "files" patterns read from the build (dist/...) or the repository (docs/...); npm adds README
  // and LICENSE by itself.
  for (const pattern of [...NPM_FILES, 'README.md', 'LICENSE']) {
    const from = pattern.startsWith('dist/') ? staging : root;
    for (const file of expand(from, pattern.replace(/\/$/, ''))) cpSync(join(from, file), join(npmStaging, file), { recursive: true });
  }
  mkdirSync(npmOut, { recursive: true });
  try {
    const output = execFileSync('npm', ['pack', '--json', '--pack-destination', npmOut], { cwd: npmStaging, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return join(npmOut, JSON.parse(output)[0].filename);
  } catch (error) {
    process.exitCode = error.status ?? 1;
    return undefined;
  }
}

const staging = mkdtempSync(join(tmpdir(), 'keyless-package-'));
try {
  if (packageFrom(staging)) {
    console.log(out);
    const tarball = packNpm(staging);
    if (tarball) console.log(tarball);
  }
} finally {
  rmSync(staging, { recursive: true, force: true });
}
