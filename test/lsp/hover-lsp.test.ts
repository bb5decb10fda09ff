import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HoverRequest, MarkupKind, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, WORKSPACE } from './harness';

describe('hover over the protocol, for an editor that shows diagnostics in its hover (VS Code)', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE, initializationOptions: { hoverShowsDiagnostics: true } });
  });
  after(() => client.dispose());

  async function hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return client.request(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }), 'textDocument/hover');
  }

  test('on a finding whose message says it all: no hover, so the diagnostic is the one box', async () => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'hover.yml'));
    await client.open(uri, readFileSync(path.join(WORKSPACE, '.github', 'workflows', 'deploy.yml'), 'utf8'));
    const published = await client.waitForCurrent(uri);
    // The diagnostic under the pointer already says who authenticates to what, and how.
    assert.match(String(published.diagnostics[0]!.message), /Job "deploy" authenticates to AWS with long-lived credentials/);
    assert.equal(await hover(uri, 7, 14), null);
  });

  test('on a federated login: who authenticates to what, and how', async () => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'federated.yml'));
    const text = [
      'name: deploy',
      'on: push',
      'permissions:',
      '  id-token: write',
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: aws-actions/configure-aws-credentials@v4',
      '        with:',
      '          role-to-assume: arn:aws:iam::123456789012:role/deploy',
      '          aws-region: us-east-1',
      '',
    ].join('\n');
    await client.open(uri, text);
    const published = await client.waitForCurrent(uri);
    const result = await hover(uri, 8, 14);
    assert.ok(result, 'a hover');
    const value = (result.contents as MarkupContent).value;
    assert.equal((result.contents as MarkupContent).kind, MarkupKind.Markdown);
    assert.match(value, /Job `deploy` authenticates to AWS/);
    // A rule page only for a finding under the pointer (the session without a run-specific name
    // may be one), and never the words of a diagnostic.
    const covering = published.diagnostics.filter((d) => d.range.start.line <= 8 && 8 <= d.range.end.line);
    assert.equal(/Rules?: /.test(value), covering.length > 0, value);
    for (const diagnostic of published.diagnostics) assert.ok(!value.includes(String(diagnostic.message)));
    await client.close(uri);
  });

  test('on a literal secret: the fact its finding does not state, with the rule page; never the value', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'hover.tf'));
    await client.open(uri, 'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n}\n');
    const published = await client.waitForCurrent(uri);
    const result = await hover(uri, 1, 20);
    const value = (result?.contents as MarkupContent).value;
    // hardcoded-secret's message already says a literal key is written there: not repeated.
    assert.ok(!/A literal AWS access key id/.test(value), value);
    assert.match(value, /Provider `aws` authenticates to AWS with long-lived credentials \(`access_key`\)/);
    assert.match(value, /Rule: \[`hardcoded-secret`\]\((?:file|https):\/\/[^)]*hardcoded-secret\.md\)/);
    for (const diagnostic of published.diagnostics) assert.ok(!value.includes(String(diagnostic.message)));
    assert.ok(!value.includes('AKIAIOSFODNN7EXAMPLE'));
  });

  test('nowhere special: no hover', async () => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'hover.yml'));
    assert.equal(await hover(uri, 0, 2), null);
  });
});

describe('hover over the protocol, for an editor that keeps diagnostics out of its hover (Neovim, Helix)', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
  });
  after(() => client.dispose());

  test('on a login step: who authenticates to what, how, and the rule with its severity and page', async () => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'hover-plain.yml'));
    await client.open(uri, readFileSync(path.join(WORKSPACE, '.github', 'workflows', 'deploy.yml'), 'utf8'));
    await client.waitForCurrent(uri);
    const result = await client.request(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 7, character: 14 } }), 'textDocument/hover');
    assert.ok(result, 'a hover');
    const contents = result.contents as MarkupContent;
    assert.match(contents.value, /Job `deploy` authenticates to AWS with long-lived credentials \(`aws-access-key-id`, `aws-secret-access-key`\) through `aws-actions\/configure-aws-credentials`/);
    assert.match(contents.value, /Error: \[`static-cloud-credentials`\]\((?:file|https):\/\/[^)]*static-cloud-credentials\.md\)/);
    assert.deepEqual(result.range?.start, { line: 7, character: 8 });
    await client.close(uri);
  });
});
