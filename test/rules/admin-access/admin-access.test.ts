import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';
import { ruleFixtureSuite } from '../fixture-harness';

const FIXTURES = path.join(__dirname, 'fixtures');

ruleFixtureSuite('admin-access', FIXTURES);

describe('admin-access on AWS: severity and words', () => {
  let engine: Engine;
  before(async () => {
    engine = await createEngine();
  });

  const findings = (fixture: string): { line: number; severity: string; message: string }[] => {
    const text = fs.readFileSync(path.join(FIXTURES, fixture), 'utf8');
    return engine
      .analyze({ path: fixture, text })
      .findings.filter((f) => f.rule === 'admin-access')
      .map((f) => ({ line: f.range.start.line + 1, severity: f.severity, message: f.message }));
  };

  test('a condition that pins resources or principals lowers the finding to a warning and is named; others leave it an error', () => {
    const found = findings('vulnerable-4-aws-conditions.tf');
    assert.deepEqual(found.map((f) => [f.line, f.severity]), [
      [10, 'warning'],
      [23, 'warning'],
      [36, 'error'],
      [49, 'error'],
      [62, 'error'],
      [71, 'warning'],
    ]);
    assert.match(found[0]!.message, /`aws:ResourceTag\/team` StringEquals `platform`/);
    assert.match(found[1]!.message, /`aws:PrincipalTag\/role` StringLike `breakglass-\*`.*principals/);
    assert.match(found[5]!.message, /`s3:prefix`/);
    assert.doesNotMatch(found[2]!.message, /RequestedRegion/);
  });

  test('messages say who gets what, and what follows from it', () => {
    const attachments = findings('vulnerable-1-aws-attachments.tf');
    assert.match(attachments[0]!.message, /^aws_iam_role "deploy" is given the AWS managed policy AdministratorAccess: every action on every resource of the account/);
    assert.match(attachments[1]!.message, /gives role aws_iam_role\.deploy the AWS managed policy PowerUserAccess/);
    assert.match(attachments[2]!.message, /IAMFullAccess: every IAM action on every resource, so it can grant itself, or anyone, any permission/);
    assert.match(attachments[7]!.message, /AdministratorAccess \(which `data\.aws_iam_policy\.admin` looks up\)/);
    const inline = findings('vulnerable-2-aws-inline.tf');
    assert.match(inline[2]!.message, /^The inline policy of aws_iam_role "ci" allows every action \(`\*`\) on every resource:/);
    assert.match(inline[3]!.message, /^aws_iam_role_policy "ci" \(for role aws_iam_role\.ci\) allows every action \(`\*`\) on every resource except `arn:aws:s3:::audit-logs\/\*`/);
    assert.match(findings('vulnerable-7-aws-sam.yaml')[0]!.message, /^The execution role of AWS::Serverless::Function "Worker" is given/);
    assert.match(findings('vulnerable-8-aws-admin.policy.json')[0]!.message, /^This policy allows every action/);
  });
});
