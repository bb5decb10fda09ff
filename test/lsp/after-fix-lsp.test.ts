import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CodeActionKind, CodeActionRequest, ExecuteCommandRequest, MessageType, type ClientCapabilities, type CodeAction, type Command, type CreateFile, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { FIX_APPLIED_COMMAND, fixAppliedCommand, followUpMessage, readFixAppliedArguments } from '../../server/src/lsp/after-fix';
import { quickFixes } from '../../server/src/lsp/code-actions';
import { defaultCapabilities, fileUri, LspClient, ROOT, scratchFolder, WAIT_MS } from './harness';

// After a fix: the editor runs the code action's command once the edit is applied, and the server
// opens the files the fix created (window/showDocument) and says what is left for a person.

const WORKFLOW = path.join('.github', 'workflows', 'deploy.yml');
const USES_LINE = 16;
const GIT_CONFIG = '[remote "origin"]\n\turl = git@github.com:acme/site.git\n';

function capabilities(showDocument: boolean): ClientCapabilities {
  const declared = defaultCapabilities(false);
  declared.workspace!.workspaceEdit = { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] };
  if (showDocument) declared.window = { ...declared.window, showDocument: { support: true } };
  return declared;
}

function isCreate(change: object): change is CreateFile {
  return 'kind' in change && (change as CreateFile).kind === 'create';
}

/** The quick fix that creates files, asked for until the folder's index is built. */
async function creatingFix(client: LspClient, uri: string): Promise<CodeAction> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const diagnostic = (await client.waitForCurrent(uri)).diagnostics.find((d: Diagnostic) => d.code === 'static-cloud-credentials' && d.range.start.line === USES_LINE)!;
    const actions = (await client.request(() => client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] } }), 'code actions')) ?? [];
    const creating = actions.find((a): a is CodeAction => 'edit' in a && (a.edit?.documentChanges ?? []).some(isCreate));
    if (creating !== undefined) return creating;
    if (Date.now() > deadline) throw new Error('timed out waiting for the fix that writes the trust');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const showDocument of [true, false]) {
  describe(`after the OIDC rewrite is applied (client ${showDocument ? 'with' : 'without'} window/showDocument)`, () => {
    let client: LspClient;
    let scratch: { folder: string; remove: () => void };
    before(async () => {
      scratch = scratchFolder(path.join(ROOT, 'examples'));
      mkdirSync(path.join(scratch.folder, '.git'));
      writeFileSync(path.join(scratch.folder, '.git', 'config'), GIT_CONFIG);
      client = await LspClient.start({ workspaceFolder: scratch.folder, capabilities: capabilities(showDocument) });
    });
    after(async () => {
      await client.dispose();
      scratch.remove();
    });

    test('the fix carries keyless.fixApplied; run, it opens what the fix created (first file focused, last) when the client can', async () => {
      assert.ok(client.initializeResult.capabilities.executeCommandProvider?.commands.includes(FIX_APPLIED_COMMAND));
      const uri = fileUri(path.join(scratch.folder, WORKFLOW));
      await client.open(uri, readFileSync(path.join(scratch.folder, WORKFLOW), 'utf8'));
      const fix = await creatingFix(client, uri);
      const created = (fix.edit!.documentChanges! as object[]).filter(isCreate).map((c) => c.uri);
      assert.equal(created.length, 2);
      assert.equal(fix.command?.command, FIX_APPLIED_COMMAND);
      const args = fix.command!.arguments![0] as { created: string[]; followUps: string[] };
      assert.deepEqual(args.created, created);

      await client.request(() => client.connection.sendRequest(ExecuteCommandRequest.type, { command: fix.command!.command, arguments: fix.command!.arguments }), 'the command');
      if (showDocument) {
        await client.waitFor('both files shown', () => client.shownDocuments.length === 2);
        assert.deepEqual(client.shownDocuments.map((d) => [d.uri, d.takeFocus]), [[created[1], false], [created[0], true]]);
      } else {
        assert.deepEqual(client.shownDocuments, []);
      }
      // What the fixers leave for a person, if anything, is said once, after the fix.
      if (args.followUps.length > 0) {
        const message = await client.waitFor('the follow-ups', () => client.shownMessages.find((m) => m.message.startsWith('Keyless: fix applied')));
        for (const step of args.followUps) assert.ok(message.message.includes(step.replace(/[.\s]+$/, '')), step);
      }
    });

    test('the follow-ups are shown as an information message, with any key id masked', async () => {
      const before = client.shownMessages.length;
      await client.request(
        () => client.connection.sendRequest(ExecuteCommandRequest.type, { command: FIX_APPLIED_COMMAND, arguments: [{ created: [], followUps: ['Set repository variable AWS_ROLE_ARN.', 'Revoke key AKIAIOSFODNN7EXAMPLE'] }] }),
        'the command',
      );
      const message = await client.waitFor('the message', () => client.shownMessages.slice(before).find((m) => m.message.startsWith('Keyless:')));
      assert.equal(message.type, MessageType.Info);
      assert.match(message.message, /Set repository variable AWS_ROLE_ARN; Revoke key AKIA…LE\.$/);
      assert.ok(!message.message.includes('AKIAIOSFODNN7EXAMPLE'));
    });

    test('arguments of the wrong shape are refused; a URI that is not a file is never opened', async () => {
      await assert.rejects(client.connection.sendRequest(ExecuteCommandRequest.type, { command: FIX_APPLIED_COMMAND, arguments: [{ created: 'x' }] }), /takes/);
      const shown = client.shownDocuments.length;
      await client.request(() => client.connection.sendRequest(ExecuteCommandRequest.type, { command: FIX_APPLIED_COMMAND, arguments: [{ created: ['https://example.com/x'], followUps: [] }] }), 'the command');
      assert.equal(client.shownDocuments.length, shown);
    });
  });
}

describe('after-fix (units)', () => {
  const edit = { uri: 'file:///w/a.yml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, newText: 'x' };

  test('a fix that creates nothing and leaves nothing carries no command', () => {
    assert.equal(fixAppliedCommand([{}]), undefined);
    const [action] = quickFixes('file:///w/a.yml', [{ diagnostic: { range: edit.range, message: 'm' }, fixes: [{ title: 't', safe: true, edits: [edit] }], version: 1 }], { documentChanges: true, afterFix: true });
    assert.equal(action!.command, undefined);
  });

  test('a fix with follow-ups carries them, each once, for the command to show', () => {
    const command = fixAppliedCommand([{ followUps: ['Set repository variable AWS_ROLE_ARN.'] }, { creates: ['file:///w/t.tf'], followUps: ['Set repository variable AWS_ROLE_ARN.'] }]) as Command;
    assert.deepEqual(command.arguments, [{ created: ['file:///w/t.tf'], followUps: ['Set repository variable AWS_ROLE_ARN.'] }]);
    const [action] = quickFixes('file:///w/a.yml', [{ diagnostic: { range: edit.range, message: 'm' }, fixes: [{ title: 't', safe: true, edits: [edit], followUps: ['Revoke key AKIA…LE.'] }], version: 1 }], { documentChanges: true, afterFix: true });
    assert.equal(action!.command?.command, FIX_APPLIED_COMMAND);
  });

  test('the message: one clause per step; nothing to say, no message', () => {
    assert.equal(followUpMessage([]), undefined);
    assert.equal(followUpMessage(['Review terraform/keyless-oidc.tf and apply it. ', 'Set repository variable AWS_ROLE_ARN.']), 'Keyless: fix applied. Left for you: Review terraform/keyless-oidc.tf and apply it; Set repository variable AWS_ROLE_ARN.');
  });

  test('arguments from the client are checked', () => {
    assert.equal(readFixAppliedArguments(undefined), undefined);
    assert.equal(readFixAppliedArguments({ created: [1], followUps: [] }), undefined);
    assert.deepEqual(readFixAppliedArguments({ created: ['file:///a', 'untitled:b'], followUps: ['x'] }), { created: ['file:///a'], followUps: ['x'] });
  });
});
