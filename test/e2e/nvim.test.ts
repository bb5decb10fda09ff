// Neovim as a second LSP client of the Keyless server (`node dist/server.js --stdio`): diagnostics
// in one file of each format, a hover, and the Suppress code action applied and written
// (test/e2e/nvim/check.lua). Needs `node test/e2e/setup.mjs` once per machine (Debian's neovim).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { SCALE, assertSetup, readJson, runScript, tail } from './harness';

interface NvimReport {
  results?: { ok: boolean; nvim: string; error?: string; checks: { name: string; ok: boolean; detail?: unknown }[] };
}

describe('Neovim: the language server over stdio', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'keyless-e2e-nvim-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('diagnostics, hover and the Suppress code action in headless Neovim', { timeout: 3 * 60_000 * SCALE }, async (t) => {
    assertSetup();
    const resultsFile = path.join(scratch, 'nvim-results.json');
    const run = await runScript(path.join('nvim', 'run.mjs'), ['--results', resultsFile], 2.5 * 60_000 * SCALE, 'nvim.log');
    const report = readJson<NvimReport>(resultsFile);
    for (const c of report?.results?.checks ?? []) {
      await t.test(c.name, () => {
        if (!c.ok) throw new Error(JSON.stringify(c.detail));
      });
    }
    assert.equal(run.code, 0, tail(run));
    assert.equal(report?.results?.ok, true, report?.results?.error ?? 'the Neovim check reported success');
    t.diagnostic(`Neovim ${report?.results?.nvim}, ${run.durationMs} ms`);
  });
});
