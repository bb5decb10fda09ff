// The extension-host cases: Keyless installed from its .vsix, in a real VS Code, on a fresh copy of
// examples/, asserted through the `vscode` API only. They run in the order written, each on its own:
// a case that changes something (a file, a setting) works on its own copy or puts it back.
//
// To add a case, add one `test('what it proves', async () => { … })` below.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const h = require('./helpers');

/** @type {{ title: string, fn: () => Promise<void> }[]} */
const cases = [];
function test(title, fn) {
  cases.push({ title, fn });
}

// The expectations are shared with the Neovim check (../expected-findings.json).
const { formats: FORMATS, workflow } = require('../expected-findings.json');
const WORKFLOW = workflow.file;
/** 0-based line of `uses: aws-actions/configure-aws-credentials@v4` in the example workflow. */
const USES_LINE = workflow.usesLine - 1;
/** The finding on that line, as `rule@line`. */
const USES_FINDING = `${workflow.rule}@${workflow.usesLine}`;

test('the extension installed from the .vsix activates', async () => {
  const ext = await h.extension();
  assert.equal(ext.isActive, true);
  // Installed from the package, not loaded from the source tree: the .vsix is what is under test.
  if (process.env.E2E_EXTENSIONS_DIR) {
    assert.ok(ext.extensionPath.startsWith(process.env.E2E_EXTENSIONS_DIR), `${ext.extensionPath} is under the fresh extensions folder`);
  }
  if (process.env.E2E_EXPECT_VERSION) assert.equal(ext.packageJSON.version, process.env.E2E_EXPECT_VERSION);
});

// First, while no file is open: the Problems panel has the closed files' findings (workspace
// diagnostics), and the scan counts what `keyless scan` counts, open files or not.
test('keyless.scanWorkspace returns the CLI counts, and closed files have their diagnostics', async () => {
  const ext = await h.extension();
  const all = h.cliReport(ext).findings;
  assert.ok(all.length > 0, 'the examples have findings');

  const counts = await vscode.commands.executeCommand('keyless.scanWorkspace');
  assert.equal(typeof counts?.files, 'number', `the command returns { files, findings }: ${JSON.stringify(counts)}`);
  assert.equal(counts.findings, all.length, 'as many findings as the CLI reports');
  const files = [...new Set(all.map((f) => f.file))];
  assert.ok(counts.files >= files.length, `${counts.files} files scanned, at least the ${files.length} with findings`);
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  for (const file of files.filter((f) => !open.has(h.uriOf(f).toString()))) {
    const want = all.filter((f) => f.file === file).length;
    await h.waitForDiagnostics(h.uriOf(file), (d) => d.length === want, `${want} diagnostics from the workspace report`);
  }
});

for (const { format, file, languageId, expected } of FORMATS) {
  test(`${format}: diagnostics in ${file}`, async () => {
    const ext = await h.extension();
    const document = await h.openDocument(file);
    assert.equal(document.languageId, languageId);
    const diagnostics = await h.waitForLabels(document.uri, expected);
    // The editor shows exactly what the packaged CLI reports for the same file: ranges, severities, messages.
    assert.deepEqual(h.editorFindings(diagnostics), h.cliFindings(ext, file));
  });
}

test('every diagnostic links to its rule page, shipped in the extension', async () => {
  const ext = await h.extension();
  for (const { file, expected } of FORMATS) {
    const document = await h.openDocument(file);
    const diagnostics = await h.waitForLabels(document.uri, expected);
    for (const diagnostic of diagnostics) {
      const rule = h.codeOf(diagnostic);
      const target = diagnostic.code?.target;
      assert.ok(target instanceof vscode.Uri, `${h.label(diagnostic)} in ${file} has a codeDescription link`);
      assert.equal(target.scheme, 'file');
      assert.ok(target.fsPath.startsWith(ext.extensionPath), `${target.fsPath} is inside the installed extension`);
      assert.ok(target.path.endsWith(`/docs/rules/${rule}.md`), `${target.path} is the page of ${rule}`);
      assert.ok(h.readDisk(target).length > 0, `${target.fsPath} exists`);
    }
  }
});

test('on the configure-aws-credentials step, the diagnostic says how it authenticates and no hover repeats it', async () => {
  const document = await h.openDocument(WORKFLOW);
  const diagnostics = await h.waitForDiagnostics(document.uri, (d) => d.some((x) => h.label(x) === USES_FINDING), 'the finding on the uses: line');
  const text = document.lineAt(USES_LINE).text;
  assert.ok(text.includes(workflow.usesText), `line ${workflow.usesLine} is the configure-aws-credentials step: ${text}`);
  const finding = diagnostics.find((x) => h.label(x) === USES_FINDING);
  // VS Code shows the diagnostic in the hover box: it is the one that says it.
  assert.ok(finding.message.includes(workflow.hover), `the diagnostic says "${workflow.hover}": ${finding.message}`);
  const position = new vscode.Position(USES_LINE, text.indexOf('configure-aws-credentials'));
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, position);
  // The extension declares hoverShowsDiagnostics, so the server's hover leaves out what the diagnostic says.
  assert.ok(!h.hoverText(hovers).includes(workflow.hover), `no second box says "${workflow.hover}": ${JSON.stringify(h.hoverText(hovers))}`);
});

test('a policy\'s actions and wildcards are explained on hover: the catalog\'s words for an action, the count for a wildcard', async () => {
  const file = 'policies/ops-automation.policy.json';
  const document = await h.openDocument(file);
  const lines = document.getText().split('\n');
  const at = (needle) => {
    const line = lines.findIndex((l) => l.includes(`"${needle}"`));
    assert.ok(line >= 0, `${file} has "${needle}"`);
    return new vscode.Position(line, lines[line].indexOf(needle) + 2);
  };
  // A single action with no finding: the server's hover gives the catalog's service, access level and description.
  const action = h.hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, at('sns:Publish')));
  assert.match(action, /`sns:Publish` \(Amazon SNS, Write\)/, `the hover names the service and access level: ${action}`);
  assert.match(action, /send a message/i, `the hover gives the catalog's description: ${action}`);
  // A service wildcard: its finding, which VS Code shows in the same hover, counts what it grants.
  const diagnostics = await h.waitForDiagnostics(document.uri, (d) => d.some((x) => h.codeOf(x) === 'wildcard-action'), 'the wildcard-action finding');
  const wildcard = diagnostics.find((x) => h.codeOf(x) === 'wildcard-action' && x.range.contains(at('dynamodb:*')));
  assert.ok(wildcard, 'the finding is on "dynamodb:*"');
  assert.match(wildcard.message, /\d+ actions of Amazon DynamoDB today \(\d+ List, \d+ Read, \d+ Write/, `the finding counts the actions by access level: ${wildcard.message}`);
});

test('the Suppress quick fix writes keyless-ignore, saves, and the finding goes away', async () => {
  // On a copy, so that the other cases keep the example as it is.
  const copy = '.github/workflows/suppress-case.yml';
  await vscode.workspace.fs.copy(h.uriOf(WORKFLOW), h.uriOf(copy), { overwrite: true });
  const document = await h.openDocument(copy);
  const before = await h.waitForDiagnostics(document.uri, (d) => d.some((x) => h.label(x) === USES_FINDING), 'the finding on the uses: line');
  const finding = before.find((x) => h.label(x) === USES_FINDING);

  const actions = await h.quickFixes(document.uri, finding.range);
  const title = `Suppress ${workflow.rule} on this line`;
  const suppress = actions.find((a) => a.title === title);
  assert.ok(suppress, `"${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(suppress.kind && vscode.CodeActionKind.QuickFix.contains(suppress.kind), 'it is a quick fix');

  const others = h.labels(before).filter((l) => l !== USES_FINDING);
  // Every finding below the inserted comment moves one line down; those above it (the workflow's
  // `on:`) stay. USES_LINE is 0-based: the comment takes its place, 1-based line USES_LINE + 1.
  const after = others.map((l) => l.replace(/@(\d+)$/, (_, n) => `@${Number(n) >= USES_LINE + 1 ? Number(n) + 1 : Number(n)}`));
  const cleared = h.waitForLabels(document.uri, after, 'the suppressed finding gone and the rest one line down');
  await h.applyCodeAction(suppress);
  await cleared;
  assert.equal(document.lineAt(USES_LINE).text.trim(), `# keyless-ignore ${workflow.rule}`);
  assert.ok(document.lineAt(USES_LINE + 1).text.includes(workflow.usesText), 'the uses: line follows the comment');

  assert.equal(await document.save(), true, 'the document saves');
  assert.equal(h.readDisk(document.uri), document.getText(), 'the file on disk has the fix');
  assert.equal(h.readDisk(document.uri).split('\n')[USES_LINE].trim(), `# keyless-ignore ${workflow.rule}`);
  // Saving re-analyzes from the same text: the finding stays suppressed.
  await h.waitForLabels(document.uri, after);
});

test('keyless.rules setting turns hardcoded-secret off, and back on', async () => {
  const files = ['policies/reports-reader.policy.json', 'terraform/main.tf'];
  const all = Object.fromEntries(FORMATS.filter((f) => files.includes(f.file)).map((f) => [f.file, f.expected]));
  const documents = [];
  // One after the other: the workbench refuses to show two editors at once.
  for (const file of files) documents.push(await h.openDocument(file));
  await Promise.all(documents.map((d, i) => h.waitForLabels(d.uri, all[files[i]])));

  const config = vscode.workspace.getConfiguration('keyless');
  await config.update('rules', { 'hardcoded-secret': 'off' }, vscode.ConfigurationTarget.Workspace);
  try {
    await Promise.all(documents.map((d, i) =>
      h.waitForLabels(d.uri, all[files[i]].filter((l) => !l.startsWith('hardcoded-secret@')), 'the diagnostics without hardcoded-secret')));
  } finally {
    await vscode.workspace.getConfiguration('keyless').update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  }
  await Promise.all(documents.map((d, i) => h.waitForLabels(d.uri, all[files[i]], 'hardcoded-secret back once the setting is removed')));
});

test('every contributed command is registered', async () => {
  const ext = await h.extension();
  const contributed = (ext.packageJSON.contributes?.commands ?? []).map((c) => c.command);
  for (const command of ['keyless.scanWorkspace', 'keyless.restartServer']) assert.ok(contributed.includes(command), `${command} is contributed`);
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = contributed.filter((command) => !registered.has(command));
  assert.deepEqual(missing, [], 'contributed commands without a registration');
});

test('keyless.restartServer brings back a server that analyzes edits', async () => {
  const file = 'kubernetes/uploader.yaml';
  const { expected } = FORMATS.find((f) => f.file === file);
  const document = await h.openDocument(file);
  await h.waitForLabels(document.uri, expected);
  await vscode.commands.executeCommand('keyless.restartServer');

  // An edit only the restarted server can have seen: a line inserted at the top moves every finding.
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, new vscode.Position(0, 0), '# restarted\n');
  const shifted = expected.map((l) => l.replace(/@(\d+)$/, (_, n) => `@${Number(n) + 1}`));
  const moved = h.waitForLabels(document.uri, shifted, 'the findings one line down after the edit');
  assert.equal(await vscode.workspace.applyEdit(edit), true);
  await moved;
  // Back to the file on disk, so no later case sees the edit.
  await vscode.commands.executeCommand('workbench.action.files.revert', document.uri);
  await h.waitForLabels(document.uri, expected, 'the findings back in place after reverting');
});

test('the OIDC quick fix rewrites the workflow, writes the trust files, and the finding goes', async () => {
  // The workspace is a clone of github.com/acme/site (lib/profile.mjs writes its .git/config): once
  // the server has indexed it, the rewrite comes with the cloud side, as files the edit creates.
  const document = await h.openDocument(WORKFLOW);
  const original = document.getText();
  const isConfigureStep = (d) => h.codeOf(d) === workflow.rule && document.lineAt(d.range.start.line).text.includes('configure-aws-credentials');
  // The rewrite that writes the trust is the one whose edit touches files besides the workflow.
  const writesTrust = (a) => a.edit !== undefined && a.edit.entries().some(([uri]) => uri.toString() !== document.uri.toString());
  // Fixes are computed when asked for: ask until the server has indexed the workspace and the
  // rewrite comes with the trust (the diagnostics do not change when it has).
  const deadline = Date.now() + h.WAIT_MS;
  let rewrite;
  while (!rewrite) {
    const finding = h.keylessDiagnostics(document.uri).find(isConfigureStep);
    rewrite = finding ? (await h.quickFixes(document.uri, finding.range)).find(writesTrust) : undefined;
    if (rewrite) break;
    if (Date.now() > deadline) throw new Error(`no quick fix writing the trust within ${h.WAIT_MS} ms: ${JSON.stringify(h.labels(h.keylessDiagnostics(document.uri)))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.match(rewrite.title, /^Assume role "gha-site-production" through OIDC instead of the keys/);
  const created = rewrite.edit.entries().map(([uri]) => uri).filter((uri) => uri.toString() !== document.uri.toString());
  assert.deepEqual(created.map((uri) => vscode.workspace.asRelativePath(uri)).sort(), ['terraform/keyless-oidc-provider-github.tf', 'terraform/keyless-oidc-site-production.tf']);
  for (const uri of created) assert.equal(fs.existsSync(uri.fsPath), false, `${uri.fsPath} does not exist before the fix`);

  try {
    const gone = h.waitForDiagnostics(document.uri, (d) => !d.some(isConfigureStep), 'the configure-aws-credentials finding gone');
    await h.applyCodeAction(rewrite);
    await gone;
    assert.match(document.getText(), /role-to-assume: arn:aws:iam::\$\{\{ vars\.AWS_ACCOUNT_ID \}\}:role\/gha-site-production/);
    // The edit creates the files empty on disk and leaves their text in unsaved documents, as VS
    // Code does for every file an edit touches: the user reviews, then saves.
    const texts = {};
    for (const uri of created) {
      const createdDocument = await vscode.workspace.openTextDocument(uri);
      texts[uri.path.split('/').pop()] = createdDocument.getText();
      if (createdDocument.isDirty) assert.equal(await createdDocument.save(), true, `${uri.fsPath} saves`);
      assert.equal(h.readDisk(uri), createdDocument.getText(), `${uri.fsPath} is on disk once saved`);
    }
    assert.match(texts['keyless-oidc-site-production.tf'], /"token\.actions\.githubusercontent\.com:sub" = "repo:acme\/site:environment:production"/);
    assert.match(texts['keyless-oidc-provider-github.tf'], /resource "aws_iam_openid_connect_provider" "github"/);
    if (document.isDirty) assert.equal(await document.save(), true, 'the workflow saves');
    assert.equal(h.readDisk(document.uri), document.getText(), 'the rewritten workflow is on disk');
  } finally {
    // Put the workspace back: the workflow as it was, the new files gone.
    const restore = new vscode.WorkspaceEdit();
    restore.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
    await vscode.workspace.applyEdit(restore);
    await document.save();
    for (const uri of created) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  }
  await h.waitForDiagnostics(document.uri, (d) => d.some(isConfigureStep), 'the finding back once the workflow is restored');
});

module.exports = { cases };
