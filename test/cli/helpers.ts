import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Rule } from '../../server/src/rules/rule';

/**
 * The CLI as users run it: the built bundle in a child process. `npm run build` (or the suite
 * runner, which builds first) must have run.
 */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(__dirname, 'fixtures');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The bundle exists and runs a scan (loading the engine and its .wasm), or the suite stops here. */
export function assertBuilt(): void {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
  const empty = workspace({});
  const smoke = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json'], { cwd: empty, encoding: 'utf8' });
  assert.equal(smoke.status, 0, `${CLI} does not run a scan:\n${smoke.stderr.split('\n').slice(0, 8).join('\n')}`);
}

export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined>; unprivileged?: boolean }): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  // File modes do not stop root: to meet a permission error, a test running as root runs the CLI
  // as `nobody` (util-linux's setpriv is on every Debian machine).
  const asNobody = options.unprivileged === true && process.getuid?.() === 0;
  const command = asNobody ? 'setpriv' : process.execPath;
  const argv = asNobody ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args] : [CLI, ...args];
  return new Promise((resolve, reject) => {
    execFile(command, argv, { cwd: options.cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
      if (code === undefined) reject(error ?? new Error('no exit code'));
      else resolve({ code, stdout, stderr });
    });
  });
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A fresh folder holding `files` (path → content); removed when the process exits. */
export function workspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-cli-')));
  created.push(root);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

const created: string[] = [];
process.on('exit', () => {
  for (const root of created) fs.rmSync(root, { recursive: true, force: true });
});

/** The JSON report's findings as `file:line:col rule`, in report order. */
export function findingKeys(stdout: string): string[] {
  const report = JSON.parse(stdout) as { findings: { file: string; line: number; column: number; rule: string }[] };
  return report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);
}

/** A rule that always throws, with a message quoting a credential (as a careless rule might): it must never be printed. */
export const THROWING_RULE: Rule = {
  id: 'throwing-rule',
  severity: 'error',
  title: 'Always throws',
  dialects: ['terraform'],
  check() {
    throw new TypeError('cannot read AKIAIOSFODNN7EXAMPLE');
  },
};
