import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileUri, LspClient, WORKSPACE } from './harness';

// Hostile documents must not take the server down, and what it logs must never quote a document.

const POD = readFileSync(path.join(WORKSPACE, 'pod.yaml'), 'utf8');
const KEY = 'AKIAIOSFODNN7EXAMPLE';

/** Bytes no editor would call text, as the editor would hand them over (one char per byte). */
function binary(length: number): string {
  let seed = 7;
  let text = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    text += String.fromCharCode(seed % 256);
  }
  return text;
}

const DEPTH = 5_000;
const HOSTILE: Record<string, string> = {
  'binary.yaml': binary(64 * 1024),
  'binary.tf': `provider "aws" {\u0000${binary(8 * 1024)}`,
  'binary.json': `{"Version": "2012-10-17", "Statement": [${binary(4 * 1024)}`,
  'deep-flow-sequences.yaml': `apiVersion: v1\nkind: Pod\nspec:\n  containers: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`,
  'deep-flow-maps.yaml': `apiVersion: v1\nkind: Pod\nspec: ${'{a: '.repeat(DEPTH)}1${'}'.repeat(DEPTH)}\n`,
  'deep-block-sequences.yaml': `${'- '.repeat(DEPTH)}x\n`,
  'deep-workflow.yml': `on: push\njobs:\n  a:\n    runs-on: x\n    steps: ${'[{env: '.repeat(DEPTH)}1${'}]'.repeat(DEPTH)}\n`,
  'deep.json': `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`,
  'deep.tf': `locals {\n  x = ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n}\n`,
  'unterminated.tf': `provider "aws" {\n  access_key = "${KEY}\n`,
};

describe('robustness', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
  });
  after(() => client.dispose());

  for (const [name, text] of Object.entries(HOSTILE)) {
    test(`${name}: analyzed without killing the server, which then still serves another file`, async () => {
      const uri = fileUri(path.join(WORKSPACE, 'hostile', name));
      await client.open(uri, text);
      const published = await client.waitForCurrent(uri);
      // Only rule findings are diagnostics, never syntax errors.
      for (const diagnostic of published.diagnostics) assert.match(String(diagnostic.code), /^[a-z]+(-[a-z]+)+$/);
      const other = fileUri(path.join(WORKSPACE, 'hostile', `after-${name}.yaml`));
      await client.open(other, POD);
      assert.deepEqual((await client.waitForCurrent(other)).diagnostics.map((d) => d.code), ['pod-static-cloud-credentials']);
      await client.close(uri);
      await client.close(other);
    });
  }

  test('a half-typed file is not a diagnostic: its syntax errors are logged at debug level', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'hostile', 'half-typed.yaml'));
    await client.open(uri, `${POD}      - name: [unclosed\n`);
    const published = await client.waitForCurrent(uri);
    assert.ok(published.diagnostics.every((d) => d.source === 'keyless' && typeof d.code === 'string' && !String(d.message).toLowerCase().includes('syntax')));
    await client.waitFor('a debug log of the syntax error', () => client.logs.find((l) => l.type === 5 && l.message.includes('half-typed.yaml') && l.message.includes('syntax error')));
    await client.close(uri);
  });

  test('a note (Helm template) is logged once per document version', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'chart', 'templates', 'deployment.yaml'));
    const notes = (): number => client.logs.filter((l) => l.message.includes('deployment.yaml') && l.message.includes('Helm template')).length;
    await client.open(uri, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n');
    assert.deepEqual((await client.waitForCurrent(uri)).diagnostics, []);
    await client.waitFor('the note', () => notes() === 1);
    // Same version, analyzed again for a settings change: no second note.
    const since = client.published.length;
    await client.changeSettings({ rules: { 'long-lived-key': 'warning' } });
    await client.waitForDiagnostics(uri, (p) => p.version === 1, 'the re-analysis', since);
    assert.equal(notes(), 1);
    await client.replace(uri, 'name: {{', 'name:  {{');
    await client.waitForCurrent(uri);
    await client.waitFor('the note of version 2', () => notes() === 2);
    await client.changeSettings({});
    await client.close(uri);
  });

  test('a file over the size limit is skipped with a note', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'hostile', 'huge.yaml'));
    const line = `# ${'x'.repeat(1022)}\n`;
    await client.open(uri, `${POD}${line.repeat(4 * 1024 + 1)}`);
    assert.deepEqual((await client.waitForCurrent(uri)).diagnostics, []);
    await client.waitFor('the size note', () => client.logs.find((l) => l.message.includes('huge.yaml') && l.message.includes('larger than')));
    await client.close(uri);
  });

  test('no log line quotes a credential value', () => {
    assert.ok(client.logs.length > 0);
    for (const log of client.logs) assert.ok(!log.message.includes(KEY), log.message.slice(0, 200));
  });
});

// V8 aborted the whole server ("RegExpCompiler Allocation failed", exit 134) when the `yaml`
// library first compiled a regular expression near the end of the stack: a line of 1,000 nested
// `[` around a key, analyzed on open and again after one edit. Which expressions are still to be
// compiled depends on what the process has parsed before, so each case gets a fresh server.
describe('a line of 1,000 nested brackets, opened then edited, in a fresh server', () => {
  const template = readFileSync(path.join(__dirname, '..', '..', 'examples', 'cloudformation', 'ci-user.yaml'), 'utf8');
  const wrap = (line: string): string => `${'['.repeat(1_000)}${line}${']'.repeat(1_000)}`;
  const cases: Record<string, string> = {
    'template-first-line.yaml': template.replace(/^[^\n]*/, (line) => wrap(line)),
    'pod-key.yaml': `${POD.trimEnd()}\n        - name: AWS_SESSION_TOKEN\n          value: ${wrap(KEY)}\n`,
  };
  for (const [name, text] of Object.entries(cases)) {
    test(`${name}: the server answers after the edit, and serves another file`, async () => {
      const client = await LspClient.start({ workspaceFolder: WORKSPACE });
      try {
        const uri = fileUri(path.join(WORKSPACE, 'hostile', name));
        await client.open(uri, text);
        await client.waitForCurrent(uri);
        await client.change(uri, { text: `${text}# edited\n` });
        await client.waitForCurrent(uri);
        const other = fileUri(path.join(WORKSPACE, 'hostile', `after-${name}`));
        await client.open(other, POD);
        assert.deepEqual((await client.waitForCurrent(other)).diagnostics.map((d) => d.code), ['pod-static-cloud-credentials']);
      } finally {
        await client.dispose();
      }
    });
  }
});
