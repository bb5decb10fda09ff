import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import { envName } from '../../../server/src/rules/hardcoded-secret/fix';
import { inputOf, listFixCases, workspaceOf } from '../../rules/fix-harness';

/**
 * hardcoded-secret: what the reference fix leaves for a person (the goldens hold the edits). Each
 * fix says which secret to create and that the old value must be revoked, naming the value by its
 * preview only.
 */
let engine: Engine;
before(async () => {
  engine = await createEngine();
});

describe('hardcoded-secret reference fixes', () => {
  const cases = listFixCases('hardcoded-secret');
  test('the cases exist', () => assert.ok(cases.length >= 8));
  for (const fixCase of cases) {
    const { name, config } = fixCase;
    test(`${name}: followUps name the secret to create and the key to revoke, never the value`, () => {
      if (config.noFix) return;
      const input = inputOf(fixCase);
      const text = input.get(config.file)!;
      const report = engine.analyze({ path: config.file, text }, { workspace: workspaceOf(engine, input, config) });
      const finding = report.findings.find((f) => f.rule === 'hardcoded-secret')!;
      const fix = finding.fixes.find((f) => !f.title.startsWith('Suppress '))!;
      assert.ok(fix.title.length < 80, fix.title);
      assert.equal(fix.safe, false);
      const notes = fix.followUps ?? [];
      assert.ok(notes.some((n) => /^Store a new .+ in .+, before the next run reads it\.$/.test(n)), notes.join('\n'));
      assert.ok(notes.some((n) => /^Revoke the /.test(n)), `${name}: the old value is to be revoked:\n${notes.join('\n')}`);
      // The values planted in the fixtures: none is quoted beyond its preview.
      for (const value of text.match(/(?:AKIA|xox[bp]-|ghp_)[A-Za-z0-9/+=-]{10,}|wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY/g) ?? []) {
        assert.ok(!notes.some((n) => n.includes(value)), `${name}: a note quotes the value`);
      }
    });
  }

  test('names follow the key: env names as they are, inputs and attributes upper snake case', () => {
    assert.equal(envName('AWS_SECRET_ACCESS_KEY'), 'AWS_SECRET_ACCESS_KEY');
    assert.equal(envName('aws-secret-access-key'), 'AWS_SECRET_ACCESS_KEY');
    assert.equal(envName('slackBotToken'), 'SLACK_BOT_TOKEN');
    assert.equal(envName('db.password'), 'DB_PASSWORD');
  });
});
