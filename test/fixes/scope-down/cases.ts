import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The scope-down fix cases, in the layout of the rules' fix goldens (test/rules/fix-harness.ts):
 * `cases/<rule>/<case>/` with `case.json` (`description`, `rule`, `file`, and `fix` — a substring
 * of the title of the fix to apply — or `noFix`), `input/` (the workspace) and `expected/` (the
 * files the fix changes, as they must read). They sit here until the rules wildcard-action and
 * wildcard-resource list these fixers; then they move to `test/rules/<rule>/fixes/<case>/`, where
 * the harness also writes their `applied.json`.
 */

export interface ScopeDownCase {
  rule: string;
  name: string;
  dir: string;
  config: { description: string; rule: string; file: string; fix?: string; noFix?: boolean };
  files: Record<string, string>;
}

const CASES = path.join(__dirname, 'cases');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export function scopeDownCases(): ScopeDownCase[] {
  const cases: ScopeDownCase[] = [];
  for (const rule of fs.readdirSync(CASES).sort()) {
    for (const name of fs.readdirSync(path.join(CASES, rule)).sort()) {
      const dir = path.join(CASES, rule, name);
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
