import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HoverRequest, MarkupKind, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, WORKSPACE } from './harness';

describe('hover over the protocol', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
  });
  after(() => client.dispose());

  async function hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return client.request(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }), 'textDocument/hover');
  }

  test('on a login step: who authenticates to what, how, and the rule with its page', async () => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'hover.yml'));
    await client.open(uri, readFileSync(path.join(WORKSPACE, '.github', 'workflows', 'deploy.yml'), 'utf8'));
    await client.waitForCurrent(uri);
    const result = await hover(uri, 7, 14);
    assert.ok(result, 'a hover');
    const contents = result.contents as MarkupContent;
    assert.equal(contents.kind, MarkupKind.Markdown);
    assert.match(contents.value, /Job `deploy` authenticates to AWS with long-lived credentials \(`aws-access-key-id`, `aws-secret-access-key`\) through `aws-actions\/configure-aws-credentials`/);
    assert.match(contents.value, /Error: \[`static-cloud-credentials`\]\((?:file|https):\/\/[^)]*static-cloud-credentials\.md\)/);
    assert.deepEqual(result.range?.start, { line: 7, character: 8 });
  });

  test('on a literal secret: redacted, never the value', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'hover.tf'));
    await client.open(uri, 'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n}\n');
    await client.waitForCurrent(uri);
    const result = await hover(uri, 1, 20);
    const value = (result?.contents as MarkupContent).value;
    assert.match(value, /A literal AWS access key id \(`AKIA…LE`\) is written here/);
    assert.ok(!value.includes('AKIAIOSFODNN7EXAMPLE'));
  });

  test('nowhere special: no hover', async () => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'hover.yml'));
    assert.equal(await hover(uri, 0, 2), null);
  });
});
