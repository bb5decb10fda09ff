// Keyless in a real VS Code (code-server 4.100.3, VS Code 1.100.3): the .vsix packaged from this
// working tree, installed into a fresh profile, on a fresh copy of examples/. First the
// extension-host suite through the `vscode` API (test/e2e/suite/), then the few checks only the
// screen can make (test/e2e/ui.mjs, with screenshots in test-output/e2e/).
// Needs `node test/e2e/setup.mjs` once per machine; fails, saying so, without it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { SCALE, assertSetup, readJson, runScript, tail } from './harness';

interface CaseResult {
  title: string;
  status: 'passed' | 'failed';
  durationMs: number;
  message?: string;
}

interface UiResult {
  ok: boolean;
  steps: { step: string; durationMs: number; screenshot: string }[];
}

const MINUTE = 60_000;

describe('VS Code (code-server): the packaged extension', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'keyless-e2e-vscode-'));
  const vsix = path.join(scratch, 'keyless.vsix');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('the editors are installed (node test/e2e/setup.mjs)', () => {
    assertSetup();
  });

  test('npm run package builds the .vsix', { timeout: 3 * MINUTE * SCALE }, async () => {
    const run = await runScript('package.mjs', ['--out', vsix], 2.5 * MINUTE * SCALE, 'package.log');
    assert.equal(run.code, 0, tail(run));
  });

  test('extension-host suite through the vscode API', { timeout: 6 * MINUTE * SCALE }, async (t) => {
    assertSetup();
    const resultsFile = path.join(scratch, 'api-results.json');
    const run = await runScript('run-api.mjs', ['--vsix', vsix, '--results', resultsFile], 5 * MINUTE * SCALE, 'api.log');
    const results = readJson<{ tests: CaseResult[]; durationMs: number }>(resultsFile);
    // One line per case in the report, each failing with its own message.
    for (const c of results?.tests ?? []) {
      await t.test(c.title, () => {
        if (c.status !== 'passed') throw new Error(c.message ?? 'failed');
      });
    }
    assert.equal(run.code, 0, tail(run));
    assert.ok(results && results.tests.length > 0, 'the suite reported its cases');
    t.diagnostic(`code-server run ${(run.durationMs / 1000).toFixed(1)} s, suite ${((results?.durationMs ?? 0) / 1000).toFixed(1)} s`);
  });

  test('what the screen shows: Problems, squiggle, hover, Ctrl+. fix', { timeout: 6 * MINUTE * SCALE }, async (t) => {
    assertSetup();
    const resultsFile = path.join(scratch, 'ui-results.json');
    const run = await runScript('ui.mjs', ['--vsix', vsix, '--results', resultsFile], 5 * MINUTE * SCALE, 'ui.log');
    const results = readJson<UiResult>(resultsFile);
    for (const s of results?.steps ?? []) t.diagnostic(`${s.step}: ${s.durationMs} ms, ${path.relative(process.cwd(), s.screenshot)}`);
    assert.equal(run.code, 0, tail(run));
    assert.equal(results?.ok, true, 'the UI run reported success');
    t.diagnostic(`UI run ${(run.durationMs / 1000).toFixed(1)} s`);
  });
});
