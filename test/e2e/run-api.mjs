#!/usr/bin/env node
// Runs the extension-host suite (suite/index.js, asserting through the `vscode` API) inside
// code-server: the same extensionTestsPath contract @vscode/test-electron uses, reached through the
// web workbench's own test hooks. The page URL carries
//   payload=[["extensionDevelopmentPath", …/suite], ["extensionTestsPath", …/suite/index.js]]
// (code-server rejects them as flags); the remote extension host requires index.js and awaits
// run(), and the workbench then calls window.codeAutomationExit(code), exposed here by playwright.
// Keyless itself is installed from its .vsix (only one development extension counts, and the
// suite's folder is that one).
//
//   node test/e2e/run-api.mjs [--vsix FILE] [--results FILE]
// Without --vsix it packages the working tree first. Exit 0 when every case passed.
// Env: E2E_TIMEOUT_SCALE, E2E_CASES (filter), KEEP=1 (keep the scratch folder), VERBOSE=1.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';
import { E2E_DIR, OUTPUT, ROOT, SCALE, SETUP_HINT, setupProblems } from './lib/env.mjs';
import { packageVsix } from './lib/package-vsix.mjs';
import { copyExamples, makeRunDir, removeRunDir, sleep, startSession } from './lib/session.mjs';

const { values: args } = parseArgs({ options: { vsix: { type: 'string' }, results: { type: 'string' } } });
const T0 = Date.now();
const log = (message) => console.log(`[api ${((Date.now() - T0) / 1000).toFixed(1)}s] ${message}`);

const problems = setupProblems({ needNvim: false });
if (problems.length > 0) {
  console.error(`e2e setup incomplete: ${problems.join('; ')}: ${SETUP_HINT}`);
  process.exit(2);
}

const runDir = makeRunDir('api');
const resultsFile = join(runDir, 'results.json');
const suiteDir = join(E2E_DIR, 'suite');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
let session;
let exitCode = 1;
const automationLog = [];
try {
  const vsix = args.vsix ? resolve(args.vsix) : packageVsix(join(runDir, `keyless-${version}.vsix`)).vsix;
  if (!existsSync(vsix)) throw new Error(`no .vsix at ${vsix}`);
  if (!args.vsix) log(`packaged ${vsix}`);
  const workspace = copyExamples(join(runDir, 'workspace'));
  session = await startSession({
    runDir, vsix, workspace, log,
    env: { E2E_RESULTS_FILE: resultsFile, E2E_EXPECT_VERSION: version, E2E_TIMEOUT_SCALE: String(SCALE) },
  });
  const { page } = session;

  let onExit;
  const exited = new Promise((r) => { onExit = r; });
  // The workbench's test hooks: it calls these when it runs extension tests (payload mode).
  await page.exposeFunction('codeAutomationExit', (code) => onExit(code));
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const line = format(...(logArgs ?? []));
    automationLog.push(`[${type}] ${line}`);
    if (line.startsWith('[keyless e2e]') || process.env.VERBOSE) console.log(`  ${line}`);
  });
  const payload = [
    ['extensionDevelopmentPath', session.remote(suiteDir)],
    ['extensionTestsPath', session.remote(join(suiteDir, 'index.js'))],
    ['skipWelcome', 'true'],
  ];
  await page.goto(session.folderUrl(`&payload=${encodeURIComponent(JSON.stringify(payload))}`));
  log('workbench page opened; the extension host runs the suite');

  const limit = 180_000 * SCALE;
  const code = await Promise.race([exited, sleep(limit).then(() => 'timeout')]);
  if (code === 'timeout') throw new Error(`the suite did not finish within ${limit / 1000} s`);
  log(`codeAutomationExit(${code})`);
  // The suite writes its results before run() settles, so they are there when the exit arrives.
  if (!existsSync(resultsFile)) throw new Error('the suite wrote no results (it did not load: see the log below)');
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  mkdirSync(OUTPUT, { recursive: true });
  copyFileSync(resultsFile, join(OUTPUT, 'api-results.json'));
  if (args.results) {
    mkdirSync(dirname(resolve(args.results)), { recursive: true });
    copyFileSync(resultsFile, resolve(args.results));
  }
  log(`${results.passed} passed, ${results.failed} failed (suite ${results.durationMs} ms, ${results.host.appName} ${results.host.vscode})`);
  exitCode = code === 0 && results.ok ? 0 : 1;
} catch (error) {
  console.error(`API suite error: ${error.stack ?? error}`);
} finally {
  if (exitCode !== 0) {
    console.error(`extension host log (last lines):\n${automationLog.slice(-40).join('\n')}`);
    if (session) console.error(`code-server log (last lines):\n${session.logTail(20)}`);
  }
  await session?.close();
  if (exitCode === 0 && !process.env.KEEP) removeRunDir(runDir);
  else console.log(`scratch folder kept: ${runDir}`);
  log(exitCode === 0 ? 'API suite passed' : 'API suite FAILED');
  process.exit(exitCode);
}
