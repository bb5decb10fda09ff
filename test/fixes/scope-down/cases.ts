import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The scope-down fix cases, in the layout of the rules' fix goldens (test/rules/fix-harness.ts):
 * `cases/<rule>/<case>/` with `case.json` (`description`, `rule`, `file`, and `fix` — a substring
 * of the title of the fix to apply — or `noFix`), `input/` (the workspace), `expected/` (the files
 * the fix changes, as they must read) and `applied.json` (what the rules' harness wrote when the
 * rules of wip/awsrules listed these fixers). They sit here until those rules are on main; then
 * they move to `test/rules/<rule>/fixes/<case>/` as they are.
 */

export interface ScopeDownCase {
  rule: string;
  name: string;
  dir: string;
  config: { description: string; rule: string; file: string; fix?: string; noFix?: boolean };
  files: Record<string, string>;
}

/**
 * `cases/`: the goldens that move to the rules' folders. `declines/`: statement shapes the rules do
 * not report (an action list built by `concat()`), which the fixers must still leave alone: the
 * rules' harness would reject them (a `noFix` case needs a finding), so they stay here.
 */
const ROOTS = [path.join(__dirname, 'cases'), path.join(__dirname, 'declines')];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export function scopeDownCases(): ScopeDownCase[] {
  const cases: ScopeDownCase[] = [];
  for (const root of ROOTS) for (const rule of fs.readdirSync(root).sort()) {
    for (const name of fs.readdirSync(path.join(root, rule)).sort()) {
      const dir = path.join(root, rule, name);
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
