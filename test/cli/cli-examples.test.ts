import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { DIALECT_NAMES } from '../../server/src/dialects/detect';
import type { Dialect } from '../../server/src/core/dialect';
import { createEngine } from '../../server/src/workspace/grammar';
import { RULES } from '../../server/src/rules';
import { assertBuilt, REPO_ROOT, runCli } from './helpers';

/**
 * The README promises that examples/ shows every rule in every format the rule covers. This holds
 * it to that promise the way a user would check it — `keyless scan examples/ --format json` — so a
 * rule added to the catalog (server/src/rules/index.ts), or a format added to a rule's dialects,
 * fails here until examples/ shows it.
 */

interface JsonFinding {
  rule: string;
  file: string;
  line: number;
}

const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** Every file below examples/, as the scan names it (`examples/<relative path>`). */
function exampleFiles(dir = EXAMPLES): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return exampleFiles(full);
    return entry.isFile() ? [path.relative(REPO_ROOT, full).split(path.sep).join('/')] : [];
  });
}

describe('examples/ shows every rule', () => {
  let findings: JsonFinding[];
  /** The dialect the engine reads each example file as: the format a finding in it stands for. */
  const dialectOf = new Map<string, Dialect | null>();

  before(async () => {
    assertBuilt();
    const run = await runCli(['scan', 'examples/', '--format', 'json'], { cwd: REPO_ROOT });
    assert.equal(run.code, 1, `the examples have findings (exit 1):\n${run.stderr}`);
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; errors: unknown[] };
    assert.deepEqual(report.errors, [], 'the examples are well-formed files');
    findings = report.findings;
    const engine = await createEngine();
    for (const file of exampleFiles()) {
      dialectOf.set(file, engine.analyze({ path: file, text: fs.readFileSync(path.join(REPO_ROOT, file), 'utf8') }).dialect);
    }
  });

  test('every file of examples/ is read as a format Keyless covers', () => {
    const unread = [...dialectOf].filter(([, dialect]) => dialect === null).map(([file]) => file);
    assert.deepEqual(unread, [], 'an example Keyless does not read shows nothing');
  });

  for (const rule of RULES) {
    test(`${rule.id} fires in every format it covers (${rule.dialects.map((d) => DIALECT_NAMES[d]).join(', ')})`, () => {
      const where = findings.filter((f) => f.rule === rule.id).map((f) => f.file);
      assert.ok(where.length > 0, `${rule.id} fires nowhere in examples/: add a realistic example that shows it`);
      const shown = new Set(where.map((file) => dialectOf.get(file)));
      const missing = rule.dialects.filter((dialect) => !shown.has(dialect)).map((d) => DIALECT_NAMES[d]);
      assert.deepEqual(missing, [], `${rule.id} covers these formats but no example shows it in them`);
    });
  }

  test('the scan names every finding by its example file, relative to the current folder', () => {
    const unknown = [...new Set(findings.map((f) => f.file))].filter((file) => !dialectOf.has(file));
    assert.deepEqual(unknown, []);
  });

  test('test/e2e/expected-findings.json, what both editor suites expect, lists every example file with what the CLI reports', () => {
    // The editor suites are too slow for every run; holding their expectations to the CLI here
    // means a changed example cannot leave them pinning stale lines.
    const expected = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'e2e', 'expected-findings.json'), 'utf8')) as { formats: { file: string; expected: string[] }[] };
    const listed = expected.formats.map((f) => `examples/${f.file}`).sort();
    assert.deepEqual(listed, [...dialectOf.keys()].sort(), 'one entry per example file');
    for (const { file, expected: labels } of expected.formats) {
      const reported = findings.filter((f) => f.file === `examples/${file}`).map((f) => `${f.rule}@${f.line}`).sort();
      assert.deepEqual(reported, [...labels].sort(), file);
    }
  });
});
