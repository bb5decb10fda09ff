import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Engine, type FileReport } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';

/**
 * Data-driven rule fixtures: adding a case means adding a file, not test code.
 *
 * Files named `vulnerable-*` declare the findings they must produce; files named `not-vulnerable-*`
 * must produce none of the rule under test. Each starts with a comment saying why. Expectations:
 *
 *   key: value   # expect: <rule>          a finding of <rule> starts on this line
 *   # expect: <rule>@<line>                a finding of <rule> starts on line <line> (for lines
 *                                          inside heredocs and block scalars, where a comment
 *                                          would change the value)
 *   <file>.expect.json                     ["<rule>@<line>", ...] for JSON, which has no comments
 *
 * The findings of the rule under test must be exactly the declared ones: none missing, none extra.
 * The fixture's path below `fixtures/` is the path the engine sees, so `.github/workflows/…` and
 * `.gitlab-ci.yml` detection work as they do in a repository. Every fixture is of a dialect, except
 * those under a `no-dialect/` folder, which must be of none (a Helm values.yaml, a `.env`).
 */
export function ruleFixtureSuite(ruleId: string, fixturesDir: string): void {
  describe(`${ruleId} fixtures`, () => {
    let engine: Engine;
    before(async () => {
      engine = await createEngine();
    });
    for (const file of listFixtures(fixturesDir)) {
      const relative = path.relative(fixturesDir, file);
      test(relative, () => {
        const text = fs.readFileSync(file, 'utf8');
        // The file or a folder above it (for names that detection needs, like action.yml) says which.
        const parts = relative.split(path.sep);
        assert.ok(parts.some((p) => /^(?:not-)?vulnerable-/.test(p)), `${relative}: fixture names start with vulnerable- or not-vulnerable-`);
        const notVulnerable = parts.some((p) => p.startsWith('not-vulnerable-'));
        const expected = expectations(file, text, ruleId);
        if (notVulnerable) assert.deepEqual(expected, [], `${relative}: a not-vulnerable fixture declares no findings of ${ruleId}`);
        else assert.ok(expected.length > 0, `${relative}: a vulnerable fixture declares at least one ${ruleId} finding`);
        const errors: string[] = [];
        const report = engine.analyze({ path: relative, text }, { onRuleError: (rule, error) => errors.push(`${rule.id}: ${String(error)}`) });
        assert.deepEqual(errors, []);
        if (parts[0] === 'no-dialect') assert.equal(report.dialect, null, `${relative}: a no-dialect fixture is of no dialect`);
        else assert.notEqual(report.dialect, null, `${relative}: the dialect is detected`);
        const actual = report.findings.filter((f) => f.rule === ruleId).map((f) => f.range.start.line + 1).sort((a, b) => a - b);
        assert.deepEqual(actual, expected, `${relative}: lines of ${ruleId} findings\n${describeFindings(report)}`);
      });
    }
  });
}

function listFixtures(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFixtures(full);
    return entry.name.endsWith('.expect.json') ? [] : [full];
  }).sort();
}

function expectations(file: string, text: string, ruleId: string): number[] {
  const lines: number[] = [];
  const sidecar = `${file}.expect.json`;
  if (fs.existsSync(sidecar)) {
    for (const item of JSON.parse(fs.readFileSync(sidecar, 'utf8')) as string[]) {
      const [rule, line] = item.split('@');
      if (rule === ruleId) lines.push(Number(line));
    }
  }
  text.split(/\r?\n/).forEach((line, i) => {
    for (const match of line.matchAll(/(?:#|\/\/)\s*expect:\s*([a-z-]+)(?:@(\d+))?/g)) {
      if (match[1] === ruleId) lines.push(match[2] ? Number(match[2]) : i + 1);
    }
  });
  return lines.sort((a, b) => a - b);
}

function describeFindings(report: FileReport): string {
  return report.findings.map((f) => `  ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule}: ${f.message}`).join('\n') || '  (no findings)';
}
