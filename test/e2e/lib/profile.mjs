// A fresh, isolated profile for one editor run: the scratch folder, the workspace (a copy of
// examples/), and the user settings that keep VS Code from opening or fetching anything by itself.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT } from './env.mjs';

/** User settings for a quiet, deterministic workbench: nothing opens or updates by itself. */
export const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.hover.delay': 300,
  'workbench.editor.enablePreview': false,
};

/** A scratch folder for one run: under the OS temp folder, kept only when the run fails. */
export function makeRunDir(prefix) {
  const parent = join(os.tmpdir(), 'keyless-e2e');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `${prefix}-`));
}

/** A fresh copy of the repository's examples/ (never the files themselves: tests edit them). */
export function copyExamples(target) {
  cpSync(join(ROOT, 'examples'), target, { recursive: true });
  return target;
}

export function removeRunDir(runDir) {
  rmSync(runDir, { recursive: true, force: true });
}
