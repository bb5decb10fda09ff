import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../server/src/rules';
import { listFixCases } from './fix-harness';

/**
 * The fix goldens are all run, and each rule's fixes have some: a case folder names a real rule,
 * the rule's test file runs its cases (fix-harness.ts), a case file says nothing the harness
 * would ignore, and every rule with a fixer has at least one case.
 */
const CASE_KEYS = new Set(['description', 'rule', 'file', 'fix', 'fixAll', 'left', 'cleared', 'noFix', 'repository', 'immutableSubjects', 'planner', 'safe', 'crlf', 'inputFrom']);

test('every fix case belongs to a rule whose suite runs it, and says only what the harness reads', () => {
  const ids = new Set(RULES.map((r) => r.id));
  for (const fixCase of listFixCases()) {
    assert.ok(ids.has(fixCase.rule), `test/rules/${fixCase.rule}/fixes: no rule ${fixCase.rule}`);
    assert.deepEqual(Object.keys(fixCase.config).filter((key) => !CASE_KEYS.has(key)), [], `${fixCase.rule}/fixes/${fixCase.name}/case.json: unknown keys`);
    assert.ok(fixCase.config.description?.trim(), `${fixCase.rule}/fixes/${fixCase.name}/case.json: a description says what the case shows`);
  }
  for (const rule of new Set(listFixCases().map((c) => c.rule))) {
    const suite = path.join(__dirname, rule, `${rule}.test.ts`);
    assert.ok(fs.existsSync(suite) && fs.readFileSync(suite, 'utf8').includes(`ruleFixSuite('${rule}')`), `${path.relative(process.cwd(), suite)} runs ruleFixSuite('${rule}')`);
  }
});

test('every rule with a fixer has before/after cases', () => {
  const withCases = new Set(listFixCases().filter((c) => !c.config.noFix).map((c) => c.rule));
  assert.deepEqual(RULES.filter((rule) => (rule.fixers ?? []).length > 0 && !withCases.has(rule.id)).map((rule) => rule.id), []);
});
