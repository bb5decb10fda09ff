import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, WORKSPACE } from './harness';

// Push diagnostics (the default), one file per format, as the editor opens and edits them.

function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

interface FormatCase {
  format: string;
  file: string;
  /** Rule and range of each diagnostic, in order. */
  expected: { rule: string; range: Range }[];
}

const FORMATS: FormatCase[] = [
  {
    format: 'GitHub Actions',
    file: '.github/workflows/deploy.yml',
    expected: [{ rule: 'static-cloud-credentials', range: range(7, 8, 7, 54) }],
  },
  {
    format: 'Terraform',
    file: 'main.tf',
    expected: [
      { rule: 'provider-static-credentials', range: range(0, 0, 0, 16) },
      { rule: 'hardcoded-secret', range: range(2, 16, 2, 36) },
    ],
  },
  { format: 'Kubernetes', file: 'pod.yaml', expected: [{ rule: 'pod-static-cloud-credentials', range: range(11, 10, 11, 37) }] },
  { format: 'CloudFormation', file: 'template.yaml', expected: [{ rule: 'long-lived-key', range: range(4, 2, 4, 12) }] },
  { format: 'GitLab CI', file: '.gitlab-ci.yml', expected: [{ rule: 'static-cloud-credentials', range: range(5, 4, 5, 27) }] },
];

function fixtureText(file: string): string {
  return readFileSync(path.join(WORKSPACE, file), 'utf8');
}

function codes(diagnostics: readonly Diagnostic[]): unknown[] {
  return diagnostics.map((d) => d.code);
}

describe('push diagnostics', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
  });
  after(() => client.dispose());

  for (const { format, file, expected } of FORMATS) {
    test(`${format}: didOpen publishes ${expected.map((e) => e.rule).join(' + ')} at the tree's ranges`, async () => {
      const uri = fileUri(path.join(WORKSPACE, file));
      await client.open(uri, fixtureText(file));
      const { diagnostics, version } = await client.waitForCurrent(uri);
      assert.equal(version, 1);
      assert.deepEqual(
        diagnostics.map((d) => ({ rule: d.code, range: d.range })),
        expected.map((e) => ({ rule: e.rule, range: e.range })),
      );
      for (const diagnostic of diagnostics) {
        assert.equal(diagnostic.source, 'keyless');
        assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
        // The bundled page when docs/ ships next to dist/, else the web page: the same file either way.
        assert.match(diagnostic.codeDescription?.href ?? '', new RegExp(`/docs/rules/${String(diagnostic.code)}\\.md$`));
        assert.ok(typeof diagnostic.message === 'string' && diagnostic.message.length > 20);
      }
      await client.close(uri);
    });
  }

  test('a diagnostic carries related locations, and its fixes with edits and the version in data', async () => {
    const file = '.github/workflows/deploy.yml';
    const uri = fileUri(path.join(WORKSPACE, file));
    await client.open(uri, fixtureText(file));
    const [diagnostic] = (await client.waitForCurrent(uri)).diagnostics;
    assert.ok(diagnostic);
    assert.match(String(diagnostic.message), /^Job "deploy" authenticates to AWS with long-lived credentials/);
    assert.deepEqual(diagnostic.relatedInformation, [
      { location: { uri, range: range(9, 10, 9, 61) }, message: 'aws-access-key-id: part of the same credential' },
      { location: { uri, range: range(10, 10, 10, 69) }, message: 'aws-secret-access-key: part of the same credential' },
    ]);
    assert.deepEqual(diagnostic.data, { rule: 'static-cloud-credentials', version: 1 });
    // Fixes are computed when asked for: the OIDC rewrite first (unsafe: it changes how the job
    // authenticates), editing this document; the suppression last.
    const actions = await client.codeActions(uri, [diagnostic]);
    assert.match(actions[0]!.title, /role-to-assume|OIDC/);
    assert.equal(actions[0]!.isPreferred, undefined);
    assert.ok(actions[0]!.edit!.documentChanges!.every((change) => 'textDocument' in change && change.textDocument.uri === uri));
    assert.deepEqual(actions.at(-1)!.title, 'Suppress static-cloud-credentials on this line');
    assert.deepEqual(actions.at(-1)!.edit, {
      documentChanges: [{ textDocument: { uri, version: 1 }, edits: [{ range: range(7, 0, 7, 0), newText: '      # keyless-ignore static-cloud-credentials\n' }] }],
    });
    await client.close(uri);
  });

  test('didChange (incremental) updates, clears and restores the diagnostics; didClose clears them', async () => {
    // Not on disk: an open document is analyzed from the editor's text alone.
    const uri = fileUri(path.join(WORKSPACE, 'edited.tf'));
    await client.open(uri, fixtureText('main.tf'));
    assert.deepEqual(codes((await client.waitForCurrent(uri)).diagnostics), ['provider-static-credentials', 'hardcoded-secret']);

    await client.replace(uri, '"AKIAIOSFODNN7EXAMPLE"', 'var.access_key');
    const referenced = await client.waitForCurrent(uri);
    assert.equal(referenced.version, 2);
    assert.deepEqual(codes(referenced.diagnostics), ['provider-static-credentials']);

    await client.replace(uri, '  access_key = var.access_key\n  secret_key = var.secret_key\n', '');
    const cleared = await client.waitForCurrent(uri);
    assert.equal(cleared.version, 3);
    assert.deepEqual(cleared.diagnostics, []);

    await client.replace(uri, '  region     = "us-east-1"\n', '  region     = "us-east-1"\n  secret_key = var.secret_key\n');
    assert.deepEqual(codes((await client.waitForCurrent(uri)).diagnostics), ['provider-static-credentials']);

    const before = client.published.length;
    await client.close(uri);
    const closed = await client.waitForDiagnostics(uri, () => true, 'the close', before);
    assert.deepEqual(closed.diagnostics, []);
  });

  test('an untitled document is read by its language id', async () => {
    const uri = 'untitled:Untitled-1';
    await client.open(uri, fixtureText('.github/workflows/deploy.yml'), 'yaml');
    // Outside .github/workflows, the workflow is recognised by its content.
    assert.deepEqual(codes((await client.waitForCurrent(uri)).diagnostics), ['static-cloud-credentials']);
    await client.close(uri);
  });

  test('files Keyless does not read get no diagnostics at all', async () => {
    const readme = fileUri(path.join(WORKSPACE, 'README.md'));
    await client.open(readme, 'AWS_SECRET_ACCESS_KEY=AKIAIOSFODNN7EXAMPLE\n', 'markdown');
    // Documents are served in order: once a later one has its diagnostics, the README had its turn.
    const later = fileUri(path.join(WORKSPACE, 'later.yaml'));
    await client.open(later, fixtureText('pod.yaml'));
    await client.waitForCurrent(later);
    assert.deepEqual(client.publishedFor(readme), []);
    await client.close(readme);
    await client.close(later);
  });
});
