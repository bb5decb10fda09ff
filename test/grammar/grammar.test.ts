import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

/**
 * The TextMate grammars, checked by vscode-tmgrammar-test: it tokenizes the `*.test.tf` and
 * `*.test.yaml` files here with vscode-textmate and the grammars package.json contributes (as VS
 * Code does, injections included) and checks the assertion comments in them. VS Code's YAML
 * grammar is not installed here, so YAML comments come from a fixture grammar that scopes them
 * the same way (see fixtures/yaml-comments.tmLanguage.json).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const HERE = path.join(ROOT, 'test', 'grammar');
const YAML_FIXTURE = path.join('test', 'grammar', 'fixtures', 'yaml-comments.tmLanguage.json');

function runnerScript(): string {
  const manifestPath = require.resolve('vscode-tmgrammar-test/package.json', { paths: [ROOT] });
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const bin = manifest.bin['vscode-tmgrammar-test'];
  assert.ok(bin, 'vscode-tmgrammar-test declares no vscode-tmgrammar-test binary');
  return path.join(path.dirname(manifestPath), bin);
}

function runGrammarTests(globs: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [runnerScript(), '--config', 'package.json', '-g', YAML_FIXTURE, ...globs], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ? `\n${String(result.error)}` : ''}` };
}

test('the grammar test files pass', () => {
  const files = readdirSync(HERE).filter((name) => /\.test\.(tf|yaml)$/.test(name));
  assert.ok(files.some((f) => f.endsWith('.tf')) && files.some((f) => f.endsWith('.yaml')), `grammar test files missing in ${HERE}`);
  const { status, output } = runGrammarTests(['test/grammar/*.test.tf', 'test/grammar/*.test.yaml']);
  assert.equal(status, 0, `vscode-tmgrammar-test failed:\n${output}`);
  for (const file of files) assert.ok(output.includes(file), `${file} did not run:\n${output}`);
});

test('a wrong assertion fails the run', () => {
  // Guards the test above against a runner that passes whatever it is given.
  const dir = mkdtempSync(path.join(tmpdir(), 'keyless-grammar-'));
  try {
    const file = path.join(dir, 'wrong.test.tf');
    writeFileSync(file, ['# SYNTAX TEST "source.terraform"', 'x = 1', '#   ^ constant.language.boolean.terraform', ''].join('\n'));
    const { status, output } = runGrammarTests([file]);
    assert.notEqual(status, 0, `a wrong assertion passed:\n${output}`);
    assert.match(output, /constant\.language\.boolean\.terraform/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
