// A fresh, isolated profile for one editor run: the scratch folder, the workspace (a copy of
// examples/), and the user settings that keep VS Code from opening or fetching anything by itself.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** The git remote of every workspace copy: the repository the OIDC fixes write trusts for. */
export const EXAMPLE_REMOTE = 'https://github.com/acme/site.git';

/**
 * A fresh copy of the repository's examples/ (never the files themselves: tests edit them), made a
 * clone of EXAMPLE_REMOTE by a .git/config: Keyless reads the repository from it, and without one
 * the OIDC fixes write no trust.
 */
export function copyExamples(target) {
  cpSync(join(ROOT, 'examples'), target, { recursive: true });
  mkdirSync(join(target, '.git'), { recursive: true });
  writeFileSync(join(target, '.git', 'config'), `[core]\n\trepositoryformatversion = 0\n\tbare = false\n[remote "origin"]\n\turl = ${EXAMPLE_REMOTE}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`);
  return target;
}

export function removeRunDir(runDir) {
  rmSync(runDir, { recursive: true, force: true });
}
