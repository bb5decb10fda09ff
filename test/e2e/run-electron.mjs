#!/usr/bin/env node
// The same extension-host suite (suite/index.js) in desktop VS Code, through @vscode/test-electron,
// for machines that can download VS Code or already have one. Not part of `npm test`: the project
// does not depend on @vscode/test-electron, and this machine cannot download VS Code (run-api.mjs
// runs the suite in code-server instead). Where it is wanted:
//
//   npm install --no-save @vscode/test-electron
//   xvfb-run -a node test/e2e/run-electron.mjs [--vsix FILE]     (Linux without a display)
//
// VSCODE_EXECUTABLE=/path/to/code uses that VS Code; otherwise VSCODE_VERSION (default 1.100.3,
// the version code-server 4.100.3 embeds) is downloaded into .vscode-test/. The .vsix is packaged
// from the working tree unless --vsix is given, and installed into a fresh extensions folder;
// test/e2e/suite is the development extension, as under code-server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { E2E_DIR, OUTPUT, ROOT, SCALE } from './lib/env.mjs';
import { packageVsix } from './lib/package-vsix.mjs';
import { SETTINGS, copyExamples, makeRunDir, removeRunDir } from './lib/profile.mjs';

const { values: args } = parseArgs({ options: { vsix: { type: 'string' } } });

let testElectron;
try {
  testElectron = createRequire(join(ROOT, 'package.json'))('@vscode/test-electron');
} catch {
  console.error('@vscode/test-electron is not installed (the project does not depend on it). To run the suite in desktop VS Code:\n' +
    '  npm install --no-save @vscode/test-electron && xvfb-run -a node test/e2e/run-electron.mjs\n' +
    'Here the same suite runs in code-server: node test/e2e/run-api.mjs');
  process.exit(2);
}
const { runTests, downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath } = testElectron;

const runDir = makeRunDir('electron');
const dirs = { extensions: join(runDir, 'extensions'), userData: join(runDir, 'user-data') };
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
mkdirSync(join(dirs.userData, 'User'), { recursive: true });
writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
const resultsFile = join(runDir, 'results.json');
const suiteDir = join(E2E_DIR, 'suite');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

let exitCode = 1;
try {
  const executable = process.env.VSCODE_EXECUTABLE || await downloadAndUnzipVSCode(process.env.VSCODE_VERSION || '1.100.3');
  const vsix = args.vsix ? resolve(args.vsix) : packageVsix(join(runDir, `keyless-${version}.vsix`)).vsix;
  // reuseMachineInstall: only the CLI path; the profile folders are this run's own.
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable, { reuseMachineInstall: true });
  const install = spawnSync(cli, [...cliArgs, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--install-extension', vsix], {
    encoding: 'utf8', timeout: 120_000 * SCALE,
  });
  if (install.status !== 0) throw new Error(`installing ${vsix} failed: ${install.stderr || install.stdout}`);
  const workspace = copyExamples(join(runDir, 'workspace'));
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: suiteDir,
    extensionTestsPath: join(suiteDir, 'index.js'),
    launchArgs: [workspace, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: {
      E2E_RESULTS_FILE: resultsFile, E2E_EXTENSIONS_DIR: dirs.extensions, E2E_EXPECT_VERSION: version, E2E_TIMEOUT_SCALE: String(SCALE),
    },
  });
  exitCode = 0;
} catch (error) {
  console.error(`the suite failed in desktop VS Code: ${error?.message ?? error}`);
} finally {
  if (existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    for (const t of results.tests) console.log(`  ${t.status === 'passed' ? '✓' : '✗'} ${t.title}${t.message ? `: ${t.message}` : ''}`);
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(join(OUTPUT, 'electron-results.json'), JSON.stringify(results, null, 2));
    if (!results.ok) exitCode = 1;
  } else {
    exitCode = 1;
  }
  if (exitCode === 0 && !process.env.KEEP) removeRunDir(runDir);
  else console.log(`scratch folder kept: ${runDir}`);
  process.exit(exitCode);
}
