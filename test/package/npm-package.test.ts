import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { RULES } from '../../server/src/rules';

/**
 * The CLI's npm package, made by `scripts/package.mjs` (the same production build as the .vsix),
 * then used as a clean machine would: its files listed, installed with npm from the tarball alone
 * and run with npx from it, with an empty npm cache and a registry that cannot be reached, so
 * anything that needed the network would fail.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_TIMEOUT_MS = 240_000;
const INSTALL_TIMEOUT_MS = 120_000;
/** Measured 1.07 MB (939 files) for 0.1.0; the AWS action catalog is most of it. */
const MAX_BYTES = 3 * 1024 * 1024;
const run = promisify(execFile);

let work: string;
let tarball: string;
let entries: string[];

interface Exit {
  code?: number;
  stdout: string;
  stderr: string;
}

/** A command's exit: resolved with code 0, or the error execFile rejects with (code, stdout, stderr). */
function exitOf(promise: Promise<{ stdout: string; stderr: string }>): Promise<Exit> {
  return promise.then(
    (done) => ({ code: 0, ...done }),
    (error: Exit) => error,
  );
}

/** npm with nothing to fall back on: an empty cache, and a registry on a closed port. */
function offlineEnv(cache: string): NodeJS.ProcessEnv {
  return { ...process.env, npm_config_cache: cache, npm_config_registry: 'http://127.0.0.1:9/', npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

before(
  async () => {
    work = mkdtempSync(path.join(tmpdir(), 'keyless-npm-test-'));
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'scripts', 'package.mjs'), '--out', path.join(work, 'keyless.vsix'), '--npm-out', work], { cwd: ROOT, timeout: PACKAGE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    tarball = stdout.trim().split('\n').at(-1)!;
    assert.match(path.basename(tarball), /^keyless-\d+\.\d+\.\d+\.tgz$/);
    entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
  },
  { timeout: PACKAGE_TIMEOUT_MS + 10_000 },
);

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A project folder outside the repository, so no node_modules above it can help. */
function project(): string {
  const dir = mkdtempSync(path.join(work, 'project-'));
  mkdirSync(path.join(dir, 'infra'));
  cpSync(path.join(ROOT, 'test', 'cli', 'fixtures', 'provider.tf'), path.join(dir, 'infra', 'main.tf'));
  return dir;
}

describe('the npm package', () => {
  const ALLOWED = [
    /^package\/(package\.json|README\.md|LICENSE)$/,
    /^package\/dist\/cli\.js$/,
    /^package\/dist\/[^/]+\.wasm$/,
    /^package\/dist\/ThirdPartyNotices\.txt$/,
    /^package\/dist\/iam-catalog\/[a-z0-9-]+(\.descriptions)?\.json$/,
    /^package\/docs\/rules\/[^/]+\.md$/,
    /^package\/docs\/federation\.md$/,
  ];

  test('ships only what runs: the CLI bundle, its .wasm and data, rule pages, licence, notices, README', () => {
    for (const entry of entries) assert.ok(ALLOWED.some((p) => p.test(entry)), `${entry} should not be in the npm package`);
    const required = ['package/package.json', 'package/README.md', 'package/LICENSE', 'package/dist/cli.js', 'package/dist/web-tree-sitter.wasm', 'package/dist/tree-sitter-terraform.wasm', 'package/dist/ThirdPartyNotices.txt', 'package/dist/iam-catalog/index.json', ...RULES.map((r) => `package/docs/rules/${r.id}.md`)];
    for (const file of required) assert.ok(entries.includes(file), `${file} is missing`);
  });

  test(`the tarball is at most ${MAX_BYTES / 1024 / 1024} MiB`, () => {
    const size = statSync(tarball).size;
    assert.ok(size <= MAX_BYTES, `${size} bytes`);
  });

  test('its package.json: the keyless bin, no extension entry, no scripts, no dependencies', () => {
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    const repository = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(manifest.name, 'keyless');
    assert.equal(manifest.version, repository.version);
    assert.deepEqual(manifest.bin, { keyless: 'dist/cli.js' });
    for (const field of ['main', 'scripts', 'dependencies', 'devDependencies', 'contributes', 'activationEvents']) assert.ok(!(field in manifest), `${field} should not be in the npm manifest`);
  });

  test('npm pack in the repository (how pre-commit installs the hook) packs the same files as the release', () => {
    // The repository's dist/ is the development build, with source maps: .npmignore leaves them out.
    assert.ok(statSync(path.join(ROOT, 'dist', 'cli.js')).isFile(), 'run `npm run build` first');
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { files: { path: string }[] }[];
    const fromRepository = packed!.files.map((f) => f.path).sort();
    assert.deepEqual(fromRepository, entries.map((e) => e.slice('package/'.length)).sort());
  });

  test('installs from the tarball alone, offline, into a clean folder, and its bin scans', { timeout: INSTALL_TIMEOUT_MS }, async () => {
    const prefix = mkdtempSync(path.join(work, 'install-'));
    await run('npm', ['install', '--prefix', prefix, tarball], { cwd: prefix, env: offlineEnv(path.join(work, 'cache-install')), timeout: INSTALL_TIMEOUT_MS });
    const cwd = project();
    const scan = await exitOf(run(path.join(prefix, 'node_modules', '.bin', 'keyless'), ['scan', '--format', 'sarif', '.'], { cwd, timeout: INSTALL_TIMEOUT_MS }));
    assert.equal(scan.code, 1, scan.stderr);
    const log = JSON.parse(scan.stdout) as { runs: { results: { ruleId: string }[]; tool: { driver: { rules: { id: string; help: { markdown?: string } }[] } } }[] };
    assert.deepEqual(log.runs[0]!.results.map((r) => r.ruleId).sort(), ['hardcoded-secret', 'provider-static-credentials']);
    // The rule pages shipped and were found beside the bundle: SARIF carries them as help.
    assert.match(log.runs[0]!.tool.driver.rules.find((r) => r.id === 'hardcoded-secret')!.help.markdown ?? '', /^# hardcoded-secret/m);
  });

  test('npx runs it from the tarball, offline', { timeout: INSTALL_TIMEOUT_MS }, async () => {
    const cwd = project();
    cpSync(tarball, path.join(cwd, path.basename(tarball)));
    const scan = await exitOf(run('npx', ['--yes', `./${path.basename(tarball)}`, 'scan', '--format', 'json', 'infra'], { cwd, env: offlineEnv(path.join(work, 'cache-npx')), timeout: INSTALL_TIMEOUT_MS }));
    assert.equal(scan.code, 1, scan.stderr);
    assert.equal((JSON.parse(scan.stdout) as { findings: unknown[] }).findings.length, 2);
  });
});
