import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The scope-down fix cases, in the layout of the rules' fix goldens (test/rules/fix-harness.ts):
 * `<rule>/fixes/<case>/` with `case.json` (`description`, `rule`, `file`, and `fix` — a substring
 * of the title of the fix to apply — or `noFix`), `input/` (the workspace), `expected/` (the files
 * the fix changes, as they must read) and `applied.json` (what the rules' harness checks). Here
 * they are driven straight from the policy facts, every statement offered to the fixers, so the
 * property test sees every proposal, finding or not.
 */

export interface ScopeDownCase {
  rule: string;
  name: string;
  dir: string;
  config: { description: string; rule: string; file: string; fix?: string; noFix?: boolean };
  files: Record<string, string>;
}

/**
 * The rules' fix cases (`test/rules/<rule>/fixes/`, run through the engine by the rules' harness),
 * and `declines/`: statement shapes the rules do not report (an action list built by `concat()`),
 * which the fixers must still leave alone — the rules' harness would reject them (a `noFix` case
 * needs a finding), so they stay here.
 */
const RULES_DIR = path.join(__dirname, '..', '..', 'rules');
const ROOTS: readonly { root: string; rules: readonly string[] }[] = [
  { root: RULES_DIR, rules: ['wildcard-action', 'wildcard-resource'] },
  { root: path.join(__dirname, 'declines'), rules: fs.readdirSync(path.join(__dirname, 'declines')) },
];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export function scopeDownCases(): ScopeDownCase[] {
  const cases: ScopeDownCase[] = [];
  for (const { root, rules } of ROOTS) for (const rule of [...rules].sort()) {
    const folder = root === RULES_DIR ? path.join(root, rule, 'fixes') : path.join(root, rule);
    for (const name of fs.readdirSync(folder).sort()) {
      const dir = path.join(folder, name);
      const config = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as ScopeDownCase['config'];
      const input = path.join(dir, 'input');
      const files: Record<string, string> = {};
      // The case's file first: the property test fixes the first file of a workspace.
      for (const file of walk(input).map((f) => path.relative(input, f).split(path.sep).join('/')).sort((a, b) => (a === config.file ? -1 : b === config.file ? 1 : a.localeCompare(b)))) {
        files[file] = fs.readFileSync(path.join(input, file), 'utf8');
      }
      cases.push({ rule, name, dir, config, files });
    }
  }
  return cases;
}
