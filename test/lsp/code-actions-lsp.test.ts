import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionKind,
  CodeActionRequest,
  type CodeAction,
  type Command,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { FIX_ALL_KIND, quickFixes, safeFixes } from '../../server/src/lsp/code-actions';
import type { DiagnosticFix, KeylessDiagnosticData } from '../../server/src/lsp/diagnostics';
import { defaultCapabilities, fileUri, LspClient, WORKSPACE } from './harness';

// Code actions compute the fixes of the diagnostics they are asked about, on the document's current
// text: the edit applies to that version, and a diagnostic of an older text gets none.

function isCodeAction(action: Command | CodeAction): action is CodeAction {
  return 'kind' in action || 'edit' in action;
}

function textDocumentEdits(action: CodeAction): { textDocument: TextDocumentEdit['textDocument']; edits: TextEdit[] }[] {
  return (action.edit?.documentChanges ?? [])
    .filter((change): change is TextDocumentEdit => 'textDocument' in change)
    .map((change) => ({ textDocument: change.textDocument, edits: change.edits.filter((edit): edit is TextEdit => 'newText' in edit) }));
}

describe('code actions over the protocol', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
  });
  after(() => client.dispose());

  async function codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await client.request(
      () => client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } }),
      'textDocument/codeAction',
    );
    return (actions ?? []).filter(isCodeAction);
  }

  /** Applies an action's edits to the open document, as one incremental change per edit, last first. */
  async function apply(uri: string, edits: readonly TextEdit[]): Promise<void> {
    const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    for (const edit of ordered) await client.change(uri, { range: edit.range, text: edit.newText });
  }

  test('"Suppress … on this line" is a versioned WorkspaceEdit that makes the finding go away', async () => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'suppress.yml'));
    await client.open(uri, readFileSync(path.join(WORKSPACE, '.github', 'workflows', 'deploy.yml'), 'utf8'));
    const { diagnostics } = await client.waitForCurrent(uri);
    assert.equal(diagnostics.length, 1);

    const actions = await codeActions(uri, diagnostics, [CodeActionKind.QuickFix]);
    // The OIDC rewrite comes first; the suppression is the last action.
    assert.ok(actions.length >= 2);
    const action = actions.at(-1);
    assert.equal(action!.title, 'Suppress static-cloud-credentials on this line');
    assert.equal(action!.kind, CodeActionKind.QuickFix);
    assert.equal(action!.isPreferred, undefined, 'a suppression is not safe, so not preferred');
    assert.deepEqual(action!.diagnostics, diagnostics);
    const [edit] = textDocumentEdits(action!);
    assert.deepEqual(edit!.textDocument, { uri, version: 1 });

    await apply(uri, edit!.edits);
    assert.match(client.text(uri), /\n {6}# keyless-ignore static-cloud-credentials\n {6}- uses: aws-actions\/configure-aws-credentials@v4\n/);
    assert.deepEqual((await client.waitForCurrent(uri, 'the suppressed version')).diagnostics, []);
    await client.close(uri);
  });

  test('a diagnostic of an older text gets no fixes; the current one gets them for the current version', async () => {
    const uri = fileUri(path.join(WORKSPACE, '.github', 'workflows', 'stale.yml'));
    await client.open(uri, readFileSync(path.join(WORKSPACE, '.github', 'workflows', 'deploy.yml'), 'utf8'));
    const [old] = (await client.waitForCurrent(uri)).diagnostics;
    // A line inserted at the top moves the finding down: the old diagnostic's range is stale.
    await client.change(uri, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' });
    const [current] = (await client.waitForCurrent(uri)).diagnostics;
    assert.equal(current!.range.start.line, old!.range.start.line + 1);
    assert.deepEqual(await codeActions(uri, [old!], [CodeActionKind.QuickFix]), []);
    const actions = await codeActions(uri, [current!], [CodeActionKind.QuickFix]);
    assert.ok(actions.length >= 2);
    assert.ok(actions.every((action) => textDocumentEdits(action).every((edit) => edit.textDocument.version === 2)));
    await client.close(uri);
  });

  test('suppressing one of two findings on Terraform keeps the other', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'suppress.tf'));
    await client.open(uri, readFileSync(path.join(WORKSPACE, 'main.tf'), 'utf8'));
    const { diagnostics } = await client.waitForCurrent(uri);
    const secret = diagnostics.filter((d) => d.code === 'hardcoded-secret');
    // The reference fix comes first (var.access_key); Suppress is offered after it.
    const action = (await codeActions(uri, secret)).find((a) => a.title === 'Suppress hardcoded-secret on this line');
    assert.ok(action);
    await apply(uri, textDocumentEdits(action!)[0]!.edits);
    assert.deepEqual((await client.waitForCurrent(uri)).diagnostics.map((d) => d.code), ['provider-static-credentials']);
    await client.close(uri);
  });

  test('diagnostics from other sources, or without Keyless data, get no actions', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'other.tf'));
    const foreign: Diagnostic[] = [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'tflint', data: { rule: 'r', version: 1 } },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'keyless', data: { rule: 'r', version: 'none' } },
    ];
    assert.deepEqual(await codeActions(uri, foreign), []);
  });

  test('source.fixAll.keyless answers (nothing to apply while no fix is safe)', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'fix-all.tf'));
    await client.open(uri, readFileSync(path.join(WORKSPACE, 'main.tf'), 'utf8'));
    const { diagnostics } = await client.waitForCurrent(uri);
    assert.deepEqual(await codeActions(uri, diagnostics, [FIX_ALL_KIND]), []);
    assert.deepEqual(await codeActions(uri, [], [CodeActionKind.Source]), []);
    // Without `only`, the light bulb gets the quick fixes and no fix-all.
    const lightBulb = await codeActions(uri, diagnostics);
    assert.ok(lightBulb.every((a) => a.kind === CodeActionKind.QuickFix), 'only quick fixes');
    assert.deepEqual(
      lightBulb.filter((a) => a.title.startsWith('Suppress')).map((a) => a.title),
      ['Suppress provider-static-credentials on this line', 'Suppress hardcoded-secret on this line'],
    );
    await client.close(uri);
  });

  test('the server advertises quickfix and source.fixAll.keyless', () => {
    assert.deepEqual(client.initializeResult.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.keyless'], resolveProvider: false });
  });
});

describe('code actions for a client without documentChanges', () => {
  let client: LspClient;
  before(async () => {
    const capabilities = defaultCapabilities(false);
    capabilities.workspace!.workspaceEdit = { documentChanges: false };
    client = await LspClient.start({ workspaceFolder: WORKSPACE, capabilities });
  });
  after(() => client.dispose());

  test('the edit comes as `changes`', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'changes.yaml'));
    await client.open(uri, readFileSync(path.join(WORKSPACE, 'pod.yaml'), 'utf8'));
    const { diagnostics } = await client.waitForCurrent(uri);
    const actions = await client.request(
      () => client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics } }),
      'textDocument/codeAction',
    );
    const [action] = (actions ?? []).filter(isCodeAction);
    assert.deepEqual(action!.edit, {
      changes: { [uri]: [{ range: { start: { line: 11, character: 0 }, end: { line: 11, character: 0 } }, newText: '        # keyless-ignore pod-static-cloud-credentials\n' }] },
    });
  });
});

// The fix-all and quick-fix assembly, with made-up fixes.
describe('safe fixes (units)', () => {
  const uri = 'file:///w/a.tf';
  const at = (line: number, startCharacter: number, endCharacter: number, newText: string) => ({
    uri,
    range: { start: { line, character: startCharacter }, end: { line, character: endCharacter } },
    newText,
  });
  const fix = (title: string, safe: boolean, ...edits: ReturnType<typeof at>[]): DiagnosticFix => ({ title, safe, edits });

  test('fix-all takes every safe fix, whole, and leaves one that collides with an earlier one for the next round', () => {
    const fixes = [
      fix('rename', true, at(1, 2, 8, 'role'), at(4, 0, 0, '# added\n')),
      fix('unsafe', false, at(2, 0, 3, 'x')),
      fix('overlapping', true, at(1, 5, 9, 'y'), at(6, 0, 0, 'z')),
      fix('touching', true, at(1, 8, 8, '!')),
      fix('elsewhere', true, at(7, 0, 4, 'w')),
    ];
    assert.deepEqual(safeFixes(fixes).flatMap((f) => f.edits), [at(1, 2, 8, 'role'), at(4, 0, 0, '# added\n'), at(1, 8, 8, '!'), at(7, 0, 4, 'w')]);
  });

  test('the first safe fix of a diagnostic is the preferred quick fix', () => {
    const data: KeylessDiagnosticData = { rule: 'r', version: 3 };
    const diagnostic: Diagnostic = { range: at(0, 0, 4, '').range, message: 'm', source: 'keyless', data };
    const fixes = [fix('suppress', false, at(0, 0, 0, '# s\n')), fix('rewrite', true, at(0, 0, 4, 'role')), fix('other', true, at(0, 0, 4, 'x'))];
    const actions = quickFixes(uri, [{ diagnostic, fixes, version: 3 }], { documentChanges: true });
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred ?? false]),
      [
        ['suppress', false],
        ['rewrite', true],
        ['other', false],
      ],
    );
    assert.deepEqual(actions[1]!.edit, { documentChanges: [{ textDocument: { uri, version: 3 }, edits: [{ range: at(0, 0, 4, '').range, newText: 'role' }] }] });
  });
});
