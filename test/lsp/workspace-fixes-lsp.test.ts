import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionKind,
  CodeActionRequest,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  FileChangeType,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type CreateFile,
  type Diagnostic,
  type FileEvent,
  type FullDocumentDiagnosticReport,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { FIX_ALL_KIND, quickFixes, safeFixes, type DiagnosticWithFixes } from '../../server/src/lsp/code-actions';
import { isKeylessDiagnosticData, type DiagnosticFix, type DiagnosticFixEdit, type KeylessDiagnosticData } from '../../server/src/lsp/diagnostics';
import { applyEdits, defaultCapabilities, fileUri, LspClient, ROOT, scratchFolder, WAIT_MS } from './harness';
import { MIXED_FIXES_WORKFLOW } from '../fixtures/workflows';

// Fixes that write beyond their file: the server indexes each workspace folder (facts and text of
// every file Keyless reads, the repository from .git/config) and hands it to the engine, so the
// OIDC rewrite of a workflow comes with the cloud side it needs, as files the WorkspaceEdit creates.

const EXAMPLES = path.join(ROOT, 'examples');
const WORKFLOW = path.join('.github', 'workflows', 'deploy.yml');
/** 0-based line of the configure-aws-credentials step the rewrite replaces the keys of. */
const USES_LINE = 16;
const GIT_CONFIG = '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:acme/site.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';

/** A scratch copy of examples/ that is a clone of github.com/acme/site. */
function exampleRepository(): { folder: string; remove: () => void } {
  const scratch = scratchFolder(EXAMPLES);
  mkdirSync(path.join(scratch.folder, '.git'));
  writeFileSync(path.join(scratch.folder, '.git', 'config'), GIT_CONFIG);
  return scratch;
}

type Scratch = { folder: string; remove: () => void };

/** A server started on a fresh example repository (exampleRepository), as a suite's `before` does. */
async function startOnExampleRepository(capabilities: ClientCapabilities): Promise<{ client: LspClient; scratch: Scratch }> {
  const scratch = exampleRepository();
  return { client: await LspClient.start({ workspaceFolder: scratch.folder, capabilities }), scratch };
}

async function stop(client: LspClient, scratch: Scratch): Promise<void> {
  await client.dispose();
  scratch.remove();
}

/** What VS Code declares: versioned edits and the three resource operations. */
function vscodeCapabilities(pull = false): ClientCapabilities {
  const capabilities = defaultCapabilities(pull);
  capabilities.workspace!.workspaceEdit = { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'], failureHandling: 'textOnlyTransactional' };
  return capabilities;
}

function isCodeAction(action: Command | CodeAction): action is CodeAction {
  return 'kind' in action || 'edit' in action;
}

function isCreate(change: NonNullable<WorkspaceEdit['documentChanges']>[number]): change is CreateFile {
  return 'kind' in change && change.kind === 'create';
}

function isTextDocumentEdit(change: NonNullable<WorkspaceEdit['documentChanges']>[number]): change is TextDocumentEdit {
  return 'textDocument' in change;
}

function textEdits(change: TextDocumentEdit): TextEdit[] {
  return change.edits.filter((edit): edit is TextEdit => 'newText' in edit);
}

function onUsesLine(diagnostic: Diagnostic): boolean {
  return diagnostic.code === 'static-cloud-credentials' && diagnostic.range.start.line === USES_LINE;
}

function isStaticCredentials(diagnostic: Diagnostic): boolean {
  return diagnostic.code === 'static-cloud-credentials';
}

async function codeActions(client: LspClient, uri: string, diagnostics: Diagnostic[], only: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const actions = await client.request(() => client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } }), 'textDocument/codeAction');
  return (actions ?? []).filter(isCodeAction);
}

/** The quick fixes of the first current diagnostic `pick` accepts (none when there is none). */
async function quickFixesOf(client: LspClient, uri: string, pick: (d: Diagnostic) => boolean, diagnostics?: Diagnostic[]): Promise<CodeAction[]> {
  const diagnostic = (diagnostics ?? (await client.waitForCurrent(uri)).diagnostics).find(pick);
  return diagnostic === undefined ? [] : codeActions(client, uri, [diagnostic], [CodeActionKind.QuickFix]);
}

/** The names of the files the first offered fix that creates any creates. */
function createdNames(actions: readonly CodeAction[]): string[] {
  const creating = actions.find((a) => (a.edit?.documentChanges ?? []).some(isCreate));
  return (creating?.edit?.documentChanges ?? []).filter(isCreate).map((c) => path.basename(fileURLToPath(c.uri))).sort();
}

/**
 * Asks for the quick fixes again until `accept` holds of the files they create: the index is built
 * and follows the workspace in the background, and fixes are computed when asked for.
 */
async function waitForRewrite(client: LspClient, uri: string, accept: (names: string[]) => boolean, description: string, pick = onUsesLine, diagnostics?: () => Diagnostic[]): Promise<CodeAction[]> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const actions = await quickFixesOf(client, uri, pick, diagnostics?.());
    if (accept(createdNames(actions))) return actions;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}: the fixes create ${JSON.stringify(createdNames(actions))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the OIDC rewrite with the workspace index (VS Code-like client)', () => {
  let client: LspClient;
  let scratch: Scratch;
  let uri: string;
  before(async () => {
    ({ client, scratch } = await startOnExampleRepository(vscodeCapabilities()));
    uri = fileUri(path.join(scratch.folder, WORKFLOW));
  });
  after(() => stop(client, scratch));

  test('the server watches what it indexes: the files Keyless reads and .git/config', async () => {
    await client.waitFor('the index watchers', () =>
      client.registrations.find(
        (r) => r.method === DidChangeWatchedFilesNotification.method && JSON.stringify(r.registerOptions).includes('.git/config'),
      ),
    );
    const watchers = client.registrations
      .filter((r) => r.method === DidChangeWatchedFilesNotification.method)
      .flatMap((r) => (r.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern));
    assert.deepEqual(watchers.sort(), ['**/*.{tf,tfvars,json,yml,yaml,template}', '**/.git/config', '**/.keyless.yaml']);
  });

  test('the quick fix creates the trust files and rewrites the workflow; applied, the finding goes', async () => {
    await client.open(uri, readFileSync(path.join(scratch.folder, WORKFLOW), 'utf8'));
    // Diagnostics come at once, without fixes; once the folder is indexed, the quick fix asked for
    // comes with the cloud side.
    const published = await client.waitForCurrent(uri);
    assert.equal(published.diagnostics.some((d) => 'fixes' in (d.data as object)), false, 'diagnostics carry no fixes');
    const actions = await waitForRewrite(client, uri, (names) => names.length > 0, 'the rewrite that writes the trust');
    assert.deepEqual(createdNames(actions), ['keyless-oidc-provider-github.tf', 'keyless-oidc-site-production.tf']);
    const rewrite = actions[0]!;
    // A short title (a menu shows about 80 characters): the files it writes are in the edit, and in its follow-ups.
    assert.equal(rewrite.title, 'Assume role "gha-site-production" through OIDC instead of the keys');
    assert.equal(rewrite.isPreferred, undefined, 'the rewrite is not safe, so not preferred');
    assert.equal(actions.at(-1)!.title, 'Suppress static-cloud-credentials on this line');

    // The shape: each new file is a CreateFile that never overwrites, then the edit writing its
    // text; then the workflow's edits, versioned.
    const changes = rewrite.edit!.documentChanges!;
    const providerUri = fileUri(path.join(scratch.folder, 'terraform', 'keyless-oidc-provider-github.tf'));
    const roleUri = fileUri(path.join(scratch.folder, 'terraform', 'keyless-oidc-site-production.tf'));
    assert.deepEqual(
      changes.map((c) => (isCreate(c) ? `create ${c.uri} ${JSON.stringify(c.options)}` : isTextDocumentEdit(c) ? `edit ${c.textDocument.uri} v${c.textDocument.version}` : 'other')),
      [
        `create ${providerUri} {"ignoreIfExists":false,"overwrite":false}`,
        `edit ${providerUri} vnull`,
        `create ${roleUri} {"ignoreIfExists":false,"overwrite":false}`,
        `edit ${roleUri} vnull`,
        `edit ${uri} v1`,
      ],
    );

    // Applied as an editor would: the files created with their text, the open workflow edited.
    const texts = new Map<string, string>();
    for (const change of changes) {
      if (isCreate(change)) {
        assert.equal(existsSync(fileURLToPath(change.uri)), false, 'a created file does not exist yet');
        texts.set(change.uri, '');
      } else if (isTextDocumentEdit(change) && texts.has(change.textDocument.uri)) {
        texts.set(change.textDocument.uri, applyEdits(texts.get(change.textDocument.uri)!, textEdits(change)));
      }
    }
    for (const [created, text] of texts) writeFileSync(fileURLToPath(created), text);
    const role = texts.get(roleUri)!;
    assert.match(role, /repo:acme\/site:environment:production/);
    assert.match(texts.get(providerUri)!, /resource "aws_iam_openid_connect_provider"/);

    const workflowEdit = changes.filter(isTextDocumentEdit).find((c) => c.textDocument.uri === uri)!;
    const ordered = [...textEdits(workflowEdit)].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    for (const edit of ordered) await client.change(uri, { range: edit.range, text: edit.newText });
    assert.match(client.text(uri), /role-to-assume: arn:aws:iam::\$\{\{ vars\.AWS_ACCOUNT_ID \}\}:role\/gha-site-production/);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [...texts.keys()].map((created): FileEvent => ({ uri: created, type: FileChangeType.Created })),
    });

    const fixed = await client.waitForCurrent(uri, 'the rewritten workflow');
    assert.deepEqual(fixed.diagnostics.filter((d) => d.range.start.line <= 25 && d.code === 'static-cloud-credentials'), [], 'the keys of the deploy job are gone');
    // The other job's rewrite now finds the provider the first one wrote: it creates only its role.
    const smoke = await waitForRewrite(client, uri, (names) => names.length === 1, 'the next rewrite reusing the new provider', isStaticCredentials);
    assert.deepEqual(createdNames(smoke), ['keyless-oidc-site-main.tf']);
    await client.close(uri);
  });
});

describe('the index follows the workspace', () => {
  let client: LspClient;
  let scratch: Scratch;
  let uri: string;
  before(async () => {
    ({ client, scratch } = await startOnExampleRepository(vscodeCapabilities()));
    uri = fileUri(path.join(scratch.folder, WORKFLOW));
    await client.open(uri, readFileSync(path.join(scratch.folder, WORKFLOW), 'utf8'));
    await waitForRewrite(client, uri, (names) => names.length === 2, 'the rewrite with the index');
  });
  after(() => stop(client, scratch));

  test('an IaC file written on disk: the rewrite uses the OIDC provider it declares', async () => {
    const file = path.join(scratch.folder, 'terraform', 'oidc.tf');
    writeFileSync(file, 'resource "aws_iam_openid_connect_provider" "github" {\n  url            = "https://token.actions.githubusercontent.com"\n  client_id_list = ["sts.amazonaws.com"]\n}\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(file), type: FileChangeType.Created }] });
    const updated = await waitForRewrite(client, uri, (names) => names.length === 1, 'the rewrite without a provider of its own');
    assert.deepEqual(createdNames(updated), ['keyless-oidc-site-production.tf']);
  });

  test('an IaC document edited in the editor counts before it is saved, and again once it is closed', async () => {
    const file = path.join(scratch.folder, 'terraform', 'oidc.tf');
    const tfUri = fileUri(file);
    await client.open(tfUri, readFileSync(file, 'utf8'));
    // Typed away (unsaved): the workflow's rewrite writes a provider again.
    await client.replace(tfUri, 'resource "aws_iam_openid_connect_provider" "github"', 'resource "aws_s3_bucket" "github"');
    await waitForRewrite(client, uri, (names) => names.length === 2, 'the rewrite once the provider is edited away');
    // Closed without saving: the disk's text, with the provider, counts again.
    await client.close(tfUri);
    await waitForRewrite(client, uri, (names) => names.length === 1, 'the rewrite once the edit is discarded');
  });

  test('a changed git remote names the new repository in the trust', async () => {
    writeFileSync(path.join(scratch.folder, '.git', 'config'), GIT_CONFIG.replace('acme/site', 'acme/portal'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(path.join(scratch.folder, '.git', 'config')), type: FileChangeType.Changed }] });
    await waitForRewrite(client, uri, (names) => names.includes('keyless-oidc-portal-production.tf'), 'the trust of acme/portal');
  });

  test('fix-all applies only the safe fixes (long-session), never the rewrite', async () => {
    const mixed = fileUri(path.join(scratch.folder, '.github', 'workflows', 'mixed.yml'));
    const text = MIXED_FIXES_WORKFLOW;
    await client.open(mixed, text);
    const { diagnostics } = await client.waitForCurrent(mixed);
    assert.deepEqual(diagnostics.map((d) => d.code), ['workflow-permissions', 'long-session', 'static-cloud-credentials']);
    // The index is built (the describe's before waited for it): the rewrite would create files.
    assert.ok(createdNames(await quickFixesOf(client, mixed, isStaticCredentials, diagnostics)).length > 0, 'the rewrite writes the trust');
    const actions = await codeActions(client, mixed, diagnostics, [FIX_ALL_KIND]);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, FIX_ALL_KIND);
    const changes = actions[0]!.edit!.documentChanges!;
    assert.equal(changes.some(isCreate), false, 'no file is created by fix-all here');
    assert.deepEqual(
      changes.filter(isTextDocumentEdit).map((c) => ({ uri: c.textDocument.uri, version: c.textDocument.version, edits: textEdits(c).map((e) => e.newText) })),
      [{ uri: mixed, version: 1, edits: ['3600'] }],
    );
    for (const edit of textEdits(changes.filter(isTextDocumentEdit)[0]!)) await client.change(mixed, { range: edit.range, text: edit.newText });
    const after = await client.waitForCurrent(mixed, 'after fix-all');
    assert.deepEqual(after.diagnostics.map((d) => d.code), ['workflow-permissions', 'static-cloud-credentials'], 'the unsafe fixes are left for a person');
    await client.close(mixed);
  });
});

describe('a client that cannot create files', () => {
  let client: LspClient;
  let scratch: Scratch;
  before(async () => {
    // documentChanges, but no resource operations.
    ({ client, scratch } = await startOnExampleRepository(defaultCapabilities(false)));
  });
  after(() => stop(client, scratch));

  test('is not offered the fix that writes the trust files (the rest still are)', async () => {
    const uri = fileUri(path.join(scratch.folder, WORKFLOW));
    await client.open(uri, readFileSync(path.join(scratch.folder, WORKFLOW), 'utf8'));
    // Until the index is built, the rewrite names the role through a repository variable and is
    // offered; once it is, the rewrite writes the trust, and is not.
    await client.waitFor('the folder indexed', () => client.logs.some((m) => m.message.includes('Indexed ')));
    const actions = await quickFixesOf(client, uri, onUsesLine);
    assert.deepEqual(actions.map((a) => a.title), ['Suppress static-cloud-credentials on this line']);
  });
});

describe('a pull client', () => {
  let client: LspClient;
  let scratch: Scratch;
  before(async () => {
    ({ client, scratch } = await startOnExampleRepository(vscodeCapabilities(true)));
  });
  after(() => stop(client, scratch));

  test('gets the rewrite with the trust files for the diagnostics it pulled, once the folder is indexed', async () => {
    const uri = fileUri(path.join(scratch.folder, WORKFLOW));
    await client.open(uri, readFileSync(path.join(scratch.folder, WORKFLOW), 'utf8'));
    const report = await client.request(() => client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }), 'textDocument/diagnostic');
    assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
    const items = (report as FullDocumentDiagnosticReport).items;
    const actions = await waitForRewrite(client, uri, (names) => names.length === 2, 'the rewrite that writes the trust', onUsesLine, () => items);
    assert.deepEqual(createdNames(actions), ['keyless-oidc-provider-github.tf', 'keyless-oidc-site-production.tf']);
    assert.deepEqual(client.published, [], 'nothing is pushed to a pull client');
  });
});

describe('fixes that write other files (units)', () => {
  const doc = 'file:///w/.github/workflows/a.yml';
  const trust = 'file:///w/infra/trust.tf';
  const main = 'file:///w/infra/main.tf';
  const at = (uri: string, line: number, newText: string): DiagnosticFixEdit => ({ uri, range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText });
  const rewrite: DiagnosticFix = { title: 'rewrite', safe: false, edits: [at(trust, 0, 'resource {}\n'), at(doc, 3, 'role\n'), at(main, 1, '# x\n')], creates: [trust] };
  const safe: DiagnosticFix = { title: 'safe', safe: true, edits: [at(doc, 5, '3600')] };
  const diagnostic = (fixes: DiagnosticFix[]): DiagnosticWithFixes => ({
    diagnostic: { range: at(doc, 3, '').range, message: 'm', source: 'keyless', data: { rule: 'r', version: 7 } satisfies KeylessDiagnosticData },
    fixes,
    version: 7,
  });

  test('the data a diagnostic carries round-trips, and anything else is not trusted', () => {
    const data: unknown = JSON.parse(JSON.stringify(diagnostic([rewrite, safe]).diagnostic.data));
    assert.equal(isKeylessDiagnosticData(data), true);
    assert.equal(isKeylessDiagnosticData({ rule: 'r', version: '1' }), false);
    assert.equal(isKeylessDiagnosticData({ version: 1 }), false);
  });

  test('a creating fix: offered with documentChanges and create, its files first; else left out, the next safe one preferred', () => {
    const both = quickFixes(doc, [diagnostic([rewrite, safe])], { documentChanges: true, createFiles: true, otherVersion: (uri) => (uri === main ? 4 : undefined) });
    assert.deepEqual(both.map((a) => [a.title, a.isPreferred ?? false]), [['rewrite', false], ['safe', true]]);
    assert.deepEqual(both[0]!.edit, {
      documentChanges: [
        { kind: 'create', uri: trust, options: { ignoreIfExists: false, overwrite: false } },
        { textDocument: { uri: trust, version: null }, edits: [{ range: at(trust, 0, '').range, newText: 'resource {}\n' }] },
        { textDocument: { uri: doc, version: 7 }, edits: [{ range: at(doc, 3, '').range, newText: 'role\n' }] },
        { textDocument: { uri: main, version: 4 }, edits: [{ range: at(main, 1, '').range, newText: '# x\n' }] },
      ],
    });
    assert.deepEqual(quickFixes(doc, [diagnostic([rewrite, safe])], { documentChanges: true }).map((a) => a.title), ['safe']);
    assert.deepEqual(quickFixes(doc, [diagnostic([rewrite, safe])], { documentChanges: false, createFiles: true }).map((a) => a.title), ['safe']);
    // An open file whose text moved on since the analysis: the fix that edits it waits.
    assert.deepEqual(quickFixes(doc, [diagnostic([rewrite, safe])], { documentChanges: true, createFiles: true, otherVersion: () => undefined }).map((a) => a.title), ['safe']);
  });

  test('fix-all: a file two fixes create, or one creates and another edits, goes to the first only', () => {
    const a: DiagnosticFix = { title: 'a', safe: true, edits: [at(trust, 0, 'a\n')], creates: [trust] };
    const b: DiagnosticFix = { title: 'b', safe: true, edits: [at(trust, 0, 'b\n')], creates: [trust] };
    const c: DiagnosticFix = { title: 'c', safe: true, edits: [at(trust, 2, 'c\n')] };
    assert.deepEqual(safeFixes([a, b, c, safe], { createFiles: true }).map((f) => f.title), ['a', 'safe']);
    assert.deepEqual(safeFixes([a, b, c, safe], { createFiles: false }).map((f) => f.title), ['c', 'safe']);
  });
});
