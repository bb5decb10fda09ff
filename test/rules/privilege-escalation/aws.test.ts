import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';

/** The severities, messages and related locations of the AWS privilege-escalation findings, beyond their lines. */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function findings(fixture: string, rule = 'privilege-escalation'): { line: number; severity: string; message: string; related: number[] }[] {
  const file = path.join(__dirname, 'fixtures', fixture);
  const report = engine.analyze({ path: fixture, text: fs.readFileSync(file, 'utf8') });
  return report.findings
    .filter((f) => f.rule === rule)
    .map((f) => ({ line: f.range.start.line + 1, severity: f.severity, message: f.message, related: (f.related ?? []).map((r) => r.range.start.line + 1) }));
}

describe('privilege-escalation on AWS', () => {
  test('methods, combinations and the condition that lowers one', () => {
    const found = findings('vulnerable-60-aws-terraform.tf');
    assert.deepEqual(found.map((f) => `${f.line}:${f.severity}`), ['12:error', '25:error', '37:error', '45:error', '49:error', '53:error', '64:warning']);
    assert.match(found[0]!.message, /allows `iam:PassRole` on every resource, so whoever holds it can raise its own privileges: pass any role of the account to a service; with lambda:CreateFunction and lambda:InvokeFunction also granted, create a Lambda function with any role and invoke it/);
    assert.match(found[1]!.message, /`iam:\*` \(iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion, iam:AttachUserPolicy and \d+ more\) on every resource/);
    assert.match(found[2]!.message, /on `arn:aws:iam::111122223333:user\/\*`.*create an access key for another user/);
    assert.match(found[5]!.message, /every action but `s3:\*` \(`NotAction`\)/);
    assert.match(found[6]!.message, /The condition `aws:ResourceTag\/managed-by` StringEquals `platform` limits it/);
    assert.deepEqual(found[6]!.related, [66], 'the condition key');
  });

  test('one finding per statement, the other granting values related', () => {
    const found = findings('vulnerable-61-aws-cloudformation.yaml');
    assert.deepEqual(found.map((f) => f.line), [22, 33]);
    assert.deepEqual(found[0]!.related, [23]);
    assert.match(found[1]!.message, /with ec2:RunInstances also granted, start an EC2 instance/);
  });

  test('a statement reported here is not reported again as wildcard-action or wildcard-resource', () => {
    for (const rule of ['wildcard-action', 'wildcard-resource']) {
      assert.deepEqual(findings('vulnerable-60-aws-terraform.tf', rule).map((f) => f.line), [], rule);
      assert.deepEqual(findings('vulnerable-62-aws.policy.json', rule).map((f) => f.line), [], rule);
    }
  });
});
