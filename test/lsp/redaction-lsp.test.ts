import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HoverRequest, type Diagnostic, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { LEAK_CLASSES, plantedIn } from '../property/leak-classes';
import { fileUri, LspClient, scratchFolder } from './harness';

// The editor's side of every way a value has leaked (issue 7): each class's file is opened in a
// real server; its diagnostics (messages and related information), the hover at each of them, the
// code actions offered for them and everything the server logged must not carry the planted values.

describe('language server: every way a value leaked is closed', () => {
  let client: LspClient;
  let scratch: ReturnType<typeof scratchFolder>;
  before(async () => {
    scratch = scratchFolder();
    client = await LspClient.start({ workspaceFolder: scratch.folder });
  });
  after(async () => {
    await client.dispose();
    scratch.remove();
  });

  for (const leak of LEAK_CLASSES) {
    test(leak.name, async () => {
      const uri = fileUri(path.join(scratch.folder, leak.path));
      await client.open(uri, leak.text);
      const published = await client.waitForCurrent(uri);
      const diagnostics: Diagnostic[] = published.diagnostics;
      if (leak.rule !== undefined) assert.ok(diagnostics.some((d) => d.code === leak.rule), `a ${leak.rule} diagnostic`);
      assert.deepEqual(plantedIn(leak, JSON.stringify(diagnostics)), [], 'diagnostics');
      if (leak.quotedIn === 'message') {
        assert.ok(diagnostics.some((d) => (typeof d.message === 'string' ? d.message : d.message.value).includes(leak.marker)), `a diagnostic quotes the masked name: ${leak.marker}`);
      }

      const seen: string[] = [];
      for (const diagnostic of diagnostics) {
        const hover = await client.request(
          () => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: diagnostic.range.start }),
          'textDocument/hover',
        );
        if (hover) seen.push((hover.contents as MarkupContent).value);
      }
      if (diagnostics.length > 0) {
        const actions = await client.codeActions(uri, diagnostics);
        seen.push(...actions.map((a) => JSON.stringify({ title: a.title, command: a.command?.title })));
      }
      assert.deepEqual(plantedIn(leak, seen.join('\n')), [], 'hover text and code action titles');

      const logged = client.logs.map((l) => l.message).join('\n');
      if (leak.quotedIn === 'parse-error') assert.ok(logged.includes(leak.marker), `the log quotes the masked parser error: ${leak.marker}`);
      assert.deepEqual(plantedIn(leak, logged), [], 'the server log');
    });
  }
});
