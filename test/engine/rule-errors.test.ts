import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine } from '../../server/src/workspace/grammar';
import { RULES } from '../../server/src/rules';
import type { Rule } from '../../server/src/rules/rule';

test('a rule that throws is reported to onRuleError and the other rules still report', async () => {
  const engine = await createEngine();
  const broken: Rule = {
    id: 'broken-rule',
    severity: 'error',
    title: 'throws',
    dialects: ['terraform'],
    check() {
      throw new Error('boom');
    },
  };
  const failures: string[] = [];
  const report = engine.analyze(
    { path: 'main.tf', text: 'provider "aws" {\n  access_key = var.a\n  secret_key = var.b\n}\n' },
    { rules: [broken, ...RULES], onRuleError: (rule, error) => failures.push(`${rule.id}: ${(error as Error).message}`) },
  );
  assert.deepEqual(failures, ['broken-rule: boom']);
  assert.deepEqual(report.findings.map((f) => f.rule), ['provider-static-credentials']);
});
