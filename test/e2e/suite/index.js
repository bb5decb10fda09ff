// The extensionTestsPath entry point, the contract @vscode/test-electron and VS Code's web
// workbench share: the extension host requires this file and awaits run(); a rejection means
// failure. No test framework is installed, so this is a small runner over ./cases.js: each case in
// order, with a timeout, one line per case on the console, and the results as JSON in
// $E2E_RESULTS_FILE when it is set (the harnesses read it; the exit code alone says too little).
//
// E2E_CASES=word[,word] runs only the cases whose title contains one of the words.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { cases } = require('./cases');
const { SCALE, withTimeout } = require('./helpers');

const CASE_TIMEOUT_MS = 90_000 * SCALE;

function writeResults(file, results) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole and renamed, so a harness polling for the file never reads half of it.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(results, null, 2));
  fs.renameSync(temporary, file);
}

async function run() {
  const started = Date.now();
  const filters = (process.env.E2E_CASES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const selected = cases.filter((c) => filters.length === 0 || filters.some((f) => c.title.includes(f)));
  const tests = [];
  console.log(`[keyless e2e] ${selected.length} of ${cases.length} cases, VS Code ${vscode.version} (${vscode.env.appName})`);
  for (const { title, fn } of selected) {
    const t0 = Date.now();
    try {
      await withTimeout(Promise.resolve().then(fn), CASE_TIMEOUT_MS, `case "${title}"`);
      tests.push({ title, status: 'passed', durationMs: Date.now() - t0 });
      console.log(`[keyless e2e] ✓ ${title} (${Date.now() - t0} ms)`);
    } catch (error) {
      tests.push({ title, status: 'failed', durationMs: Date.now() - t0, message: String(error?.message ?? error), stack: error?.stack });
      console.log(`[keyless e2e] ✗ ${title} (${Date.now() - t0} ms)\n${error?.stack ?? error}`);
    }
  }
  const failed = tests.filter((t) => t.status === 'failed').length;
  const results = {
    ok: failed === 0 && tests.length > 0,
    passed: tests.length - failed,
    failed,
    durationMs: Date.now() - started,
    host: { vscode: vscode.version, appName: vscode.env.appName, uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop', node: process.version },
    tests,
  };
  if (process.env.E2E_RESULTS_FILE) writeResults(process.env.E2E_RESULTS_FILE, results);
  console.log(`[keyless e2e] ${results.passed} passed, ${failed} failed in ${results.durationMs} ms`);
  if (!results.ok) throw new Error(tests.length === 0 ? 'no case ran' : `${failed} of ${tests.length} cases failed`);
}

module.exports = { run };
