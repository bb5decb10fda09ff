#!/usr/bin/env node
// The few checks only the screen can make, in a real VS Code (code-server) driven through chromium:
// the Keyless findings of the example workflow in the Problems panel, a squiggle under the
// configure-aws-credentials step, its hover, and "Suppress … on this line" chosen from the Ctrl+.
// menu, saved to disk, the squiggle gone. A screenshot of each step goes to test-output/e2e/.
// Everything else is asserted through the API (run-api.mjs), which is less brittle than the DOM.
//
//   node test/e2e/ui.mjs [--vsix FILE] [--results FILE]   (without --vsix it packages the working tree first)
// Env: E2E_TIMEOUT_SCALE, KEEP=1 (keep the scratch folder).
//
// Every wait is for a condition on the page or the disk. A step that is retried first undoes what
// its previous attempt may have left open (a menu, the quick input), so a retry cannot type twice.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OUTPUT, ROOT, SCALE, SETUP_HINT, setupProblems } from './lib/env.mjs';
import { packageVsix } from './lib/package-vsix.mjs';
import { copyExamples, makeRunDir, removeRunDir, startSession, waitFor } from './lib/session.mjs';

const { values: args } = parseArgs({ options: { vsix: { type: 'string' }, results: { type: 'string' } } });
const T0 = Date.now();
const steps = [];
const log = (message) => console.log(`[ui ${((Date.now() - T0) / 1000).toFixed(1)}s] ${message}`);

const problems = setupProblems({ needNvim: false });
if (problems.length > 0) {
  console.error(`e2e setup incomplete: ${problems.join('; ')}: ${SETUP_HINT}`);
  process.exit(2);
}

const WORKFLOW = '.github/workflows/deploy.yml';
const USES = 'aws-actions/configure-aws-credentials@v4';
const RULE = 'static-cloud-credentials';
const FIX_TITLE = `Suppress ${RULE} on this line`;
const IGNORE_COMMENT = `# keyless-ignore ${RULE}`;
/** A playwright timeout under E2E_TIMEOUT_SCALE (waitFor scales its own). */
const scaled = (ms) => ms * SCALE;

mkdirSync(OUTPUT, { recursive: true });
for (const old of readdirSync(OUTPUT).filter((f) => f.startsWith('ui-') && f.endsWith('.png'))) rmSync(join(OUTPUT, old));

const runDir = makeRunDir('ui');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
let session;
let page;
let exitCode = 1;

async function shot(name) {
  const file = join(OUTPUT, `ui-${String(steps.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

async function step(name, fn) {
  const t0 = Date.now();
  await fn();
  const screenshot = await shot(name);
  steps.push({ step: name, durationMs: Date.now() - t0, screenshot });
  log(`✓ ${name} (${Date.now() - t0} ms)`);
}

const editor = () => page.locator('.editor-instance .monaco-editor').first();
const viewText = async () => (await editor().locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');

/** The box of the error squiggle drawn on the editor line that shows `lineText`, if any. */
async function squiggleOn(lineText) {
  const line = editor().locator('.view-line', { hasText: lineText }).first();
  const lineBox = await line.boundingBox();
  if (!lineBox) return undefined;
  for (const squiggle of await editor().locator('.squiggly-error').all()) {
    const box = await squiggle.boundingBox();
    if (box && box.width > 0 && Math.abs(box.y + box.height / 2 - (lineBox.y + lineBox.height / 2)) < lineBox.height / 2) return box;
  }
  return undefined;
}

/** Puts the cursor at line:column through Go to Line, and waits until the status bar says so. */
async function goTo(line, column) {
  await waitFor(async (attempt) => {
    if (attempt > 1) await page.keyboard.press('Escape');
    await editor().locator('.view-lines').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: scaled(5000) });
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ timeout: scaled(5000) });
    return true;
  }, 30_000, `the cursor at ${line}:${column}`);
}

try {
  const vsix = args.vsix ? resolve(args.vsix) : packageVsix(join(runDir, `keyless-${version}.vsix`)).vsix;
  if (!existsSync(vsix)) throw new Error(`no .vsix at ${vsix}`);
  const workspace = copyExamples(join(runDir, 'workspace'));
  const workflowFile = join(workspace, ...WORKFLOW.split('/'));
  session = await startSession({ runDir, vsix, workspace, log });
  page = session.page;

  await step('workbench', async () => {
    await page.goto(session.folderUrl());
    await page.locator('.monaco-workbench').waitFor({ timeout: scaled(60_000) });
    // The Explorer lists the workspace: the workbench and its file service are up.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'terraform' }).first().waitFor({ timeout: scaled(60_000) });
  });

  await step('workflow-squiggle', async () => {
    await waitFor(async (attempt) => {
      if (attempt > 1) await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: scaled(5000) });
      await input.fill('deploy.yml'); // fill() replaces the text, so a retry does not append
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'deploy.yml' }).first().waitFor({ timeout: scaled(10_000) });
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: 'deploy.yml' }).first().waitFor({ timeout: scaled(10_000) });
      return true;
    }, 60_000, 'deploy.yml open in an editor');
    await editor().locator('.view-line', { hasText: USES }).first().waitFor();
    await waitFor(() => squiggleOn(USES), 60_000, `an error squiggle under "${USES}"`);
  });

  await step('hover', async () => {
    const hover = page.locator('.monaco-hover:visible').first();
    const text = await waitFor(async (attempt) => {
      if (attempt > 1) {
        // Away and back: a hover that opened elsewhere closes, and the next move opens it anew.
        await page.mouse.move(5, 5);
        await page.keyboard.press('Escape');
      }
      const box = await squiggleOn(USES);
      if (!box) return false;
      await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await hover.waitFor({ state: 'visible', timeout: scaled(5000) });
      const shown = await hover.innerText();
      return shown.includes('authenticates to AWS') && shown.includes(RULE) ? shown : false;
    }, 60_000, 'a hover saying "authenticates to AWS"');
    log(`hover: ${JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 200))}`);
  });

  await step('problems-panel', async () => {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await waitFor(async () => {
      const text = await panel.innerText();
      return text.includes(`${RULE}`) && text.includes('authenticates to AWS') && text.includes('[Ln 17, Col 9]') && text.includes('keyless');
    }, 30_000, `the Problems panel listing ${RULE} at [Ln 17, Col 9]`);
  });

  await step('quick-fix-menu', async () => {
    await waitFor(async (attempt) => {
      if (attempt > 1) await page.keyboard.press('Escape');
      await goTo(17, 12);
      await page.keyboard.press('Control+.');
      await page.locator('.action-widget .monaco-list-row', { hasText: FIX_TITLE }).first().waitFor({ timeout: scaled(5000) });
      return true;
    }, 60_000, `"${FIX_TITLE}" in the Ctrl+. menu`);
  });

  await step('fix-applied-and-saved', async () => {
    // By keyboard: the menu puts a pointer block over itself until the mouse moves, and the
    // keyboard is how Ctrl+. is meant to be used anyway.
    const focused = page.locator('.action-widget .monaco-list-row.focused').first();
    await waitFor(async () => {
      if ((await focused.getAttribute('aria-label')) === FIX_TITLE) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    }, 15_000, `"${FIX_TITLE}" selected in the menu`);
    await page.keyboard.press('Enter');
    await waitFor(async () => (await viewText()).includes(IGNORE_COMMENT), 30_000, 'the keyless-ignore comment in the editor');
    await page.keyboard.press('Control+S');
    await waitFor(() => {
      const lines = readFileSync(workflowFile, 'utf8').split('\n');
      return lines[16]?.trim() === IGNORE_COMMENT && lines[17]?.includes(`uses: ${USES}`);
    }, 30_000, 'the comment saved on disk above the uses: line');
    await waitFor(async () => !(await squiggleOn(USES)), 30_000, 'the squiggle under the uses: line gone');
    // The job below keeps its own finding (one line lower now); only the suppressed one is gone.
    await waitFor(async () => {
      const text = await page.locator('.markers-panel').innerText();
      return !text.includes('[Ln 18, Col 9]') && text.includes('[Ln 31, Col 7]');
    }, 30_000, 'the Problems panel without the suppressed finding');
  });

  exitCode = 0;
} catch (error) {
  console.error(`UI check failed: ${error.stack ?? error}`);
  if (page) {
    const file = join(OUTPUT, 'ui-failure.png');
    await page.screenshot({ path: file }).catch(() => undefined);
    console.error(`screenshot of the failure: ${file}`);
  }
  if (session) console.error(`code-server log (last lines):\n${session.logTail(20)}`);
} finally {
  const results = JSON.stringify({ ok: exitCode === 0, durationMs: Date.now() - T0, steps }, null, 2);
  writeFileSync(join(OUTPUT, 'ui-results.json'), results);
  if (args.results) writeFileSync(resolve(args.results), results);
  await session?.close();
  if (exitCode === 0 && !process.env.KEEP) removeRunDir(runDir);
  else console.log(`scratch folder kept: ${runDir}`);
  log(exitCode === 0 ? `UI checks passed; screenshots in ${OUTPUT}` : 'UI checks FAILED');
  process.exit(exitCode);
}
