// What the extension-host cases share: the workspace, the extension under test, and waits that
// are conditions on editor state (re-checked on every change event, bounded by a timeout), never
// fixed sleeps. Runs inside VS Code's extension host, so it is CommonJS and uses the `vscode` API.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'keyless.keyless';
const SCALE = Number(process.env.E2E_TIMEOUT_SCALE) > 0 ? Number(process.env.E2E_TIMEOUT_SCALE) : 1;
/** A passing wait returns as soon as its condition holds; this only bounds a failing one. */
const WAIT_MS = 30_000 * SCALE;

function workspaceRoot() {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

/** The URI of a workspace file, from its path relative to the workspace root (with /). */
function uriOf(relative) {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

async function extension() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed in this extension host`);
  await ext.activate();
  return ext;
}

async function openDocument(relative) {
  const document = await vscode.workspace.openTextDocument(uriOf(relative));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** The diagnostic's rule id: `code` is a plain value, or `{ value, target }` with a codeDescription. */
function codeOf(diagnostic) {
  const { code } = diagnostic;
  return String(typeof code === 'object' && code !== null ? code.value : code);
}

function keylessDiagnostics(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'keyless');
}

/** `rule@line` with the 1-based line, as the CLI and the docs count. */
function label(diagnostic) {
  return `${codeOf(diagnostic)}@${diagnostic.range.start.line + 1}`;
}

function labels(diagnostics) {
  return diagnostics.map(label).sort();
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Resolves with the file's Keyless diagnostics once `predicate` holds for them. Subscribes before
 * the first check, so a change between the check and the subscription cannot be missed.
 */
function waitForDiagnostics(uri, predicate, what, timeoutMs = WAIT_MS) {
  return new Promise((resolve, reject) => {
    let subscription;
    let timer;
    const settle = (fn, value) => {
      subscription?.dispose();
      clearTimeout(timer);
      fn(value);
    };
    const check = () => {
      const diagnostics = keylessDiagnostics(uri);
      if (predicate(diagnostics)) settle(resolve, diagnostics);
    };
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
    timer = setTimeout(() => settle(reject, new Error(
      `timed out after ${timeoutMs} ms waiting for ${what} in ${vscode.workspace.asRelativePath(uri)}; ` +
      `Keyless diagnostics now: ${JSON.stringify(labels(keylessDiagnostics(uri)))}`)), timeoutMs);
    check();
  });
}

/** Waits until the file's diagnostics are exactly `expected` (`rule@line` labels, any order). */
function waitForLabels(uri, expected, what = `diagnostics ${JSON.stringify([...expected].sort())}`) {
  const want = JSON.stringify([...expected].sort());
  return waitForDiagnostics(uri, (diagnostics) => JSON.stringify(labels(diagnostics)) === want, what);
}

let cliReportCache;
/**
 * What the installed extension's own CLI reports for the workspace: the editor must show the same
 * findings. Spawned with the extension host's runtime (Electron under test-electron, hence
 * ELECTRON_RUN_AS_NODE; code-server's Node here, which ignores it).
 */
function cliReport(ext) {
  if (!cliReportCache) {
    const cwd = workspaceRoot().fsPath;
    const out = execFileSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), 'scan', '.', '--format', 'json', '--fail-on', 'never'], {
      cwd, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: WAIT_MS,
    });
    cliReportCache = JSON.parse(out);
    assert.deepEqual(cliReportCache.errors, [], 'the CLI reads every workspace file without errors');
  }
  return cliReportCache;
}

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The CLI's findings for one file, in the shape the editor's diagnostics are compared in. */
function cliFindings(ext, relative) {
  return cliReport(ext).findings
    .filter((f) => f.file.split(path.sep).join('/') === relative)
    .map((f) => ({ rule: f.rule, severity: SEVERITY[f.severity], range: [f.line - 1, f.column - 1, f.endLine - 1, f.endColumn - 1], message: f.message }))
    .sort(compareFindings);
}

function editorFindings(diagnostics) {
  return diagnostics
    .map((d) => ({ rule: codeOf(d), severity: d.severity, range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], message: d.message }))
    .sort(compareFindings);
}

function compareFindings(a, b) {
  return a.range.join(',').localeCompare(b.range.join(','), 'en', { numeric: true }) || a.rule.localeCompare(b.rule);
}

function hoverText(hovers) {
  return (hovers ?? [])
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Quick fixes at a range, resolved (so `edit` is filled in even when the server resolves lazily). */
async function quickFixes(uri, range) {
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value, 50);
  return actions ?? [];
}

/** Applies a code action as the editor's lightbulb does: its edit, then its command. */
async function applyCodeAction(action) {
  if (action.edit) assert.equal(await vscode.workspace.applyEdit(action.edit), true, `the edit of "${action.title}" applies`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

function readDisk(uri) {
  return fs.readFileSync(uri.fsPath, 'utf8');
}

module.exports = {
  EXTENSION_ID, SCALE, WAIT_MS,
  workspaceRoot, uriOf, extension, openDocument, codeOf, keylessDiagnostics, label, labels,
  withTimeout, waitForDiagnostics, waitForLabels, cliReport, cliFindings, editorFindings,
  hoverText, quickFixes, applyCodeAction, readDisk,
};
