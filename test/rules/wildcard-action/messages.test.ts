import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';

/** What wildcard-action says and at which severity, beyond the fixtures' lines. */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function findings(fixture: string): { line: number; severity: string; message: string; related: number[]; about: unknown }[] {
  const file = path.join(__dirname, 'fixtures', fixture);
  const report = engine.analyze({ path: fixture, text: fs.readFileSync(file, 'utf8') });
  return report.findings
    .filter((f) => f.rule === 'wildcard-action')
    .map((f) => ({ line: f.range.start.line + 1, severity: f.severity, message: f.message, related: (f.related ?? []).map((r) => r.range.start.line + 1), about: (f as { about?: unknown }).about }));
}

describe('wildcard-action', () => {
  test('counts by access level, the risky actions named, unknown patterns flagged', () => {
    const found = findings('vulnerable-1-terraform-jsonencode.tf');
    assert.deepEqual(found.map((f) => `${f.line}:${f.severity}`), ['11:warning', '16:warning', '34:warning', '46:warning', '58:warning', '70:info']);
    assert.match(found[0]!.message, /allows `s3:Get\*`, `s3:List\*` on .*: \d+ actions of Amazon S3 today \(\d+ List, \d+ Read\), and those AWS adds later\. Among them: reads stored data and secrets \(s3:GetObject\)/);
    assert.match(found[1]!.message, /`ec2:Describe\*` on every resource: \d+ actions of Amazon EC2 today \(\d+ List\)/);
    assert.match(found[2]!.message, /every action but `iam:\*`, `organizations:\*`, … \(`NotAction`\)/);
    assert.match(found[3]!.message, /every action \(`\*`\) on `arn:aws:s3:::acme-data`/);
    assert.match(found[4]!.message, /`s3:Fetch\*` matches no action: it grants nothing \(a typo\?\)/);
    assert.match(found[5]!.message, /The condition `aws:ResourceTag\/team` StringEquals `platform` limits it to the resources it matches/);
  });

  test('an unknown service prefix is named', () => {
    const found = findings('vulnerable-5-bare.policy.json');
    assert.match(found[1]!.message, /`s4:Get\*` names no AWS service: it grants nothing/);
  });
});
