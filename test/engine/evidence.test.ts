import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine } from '../../server/src/workspace/grammar';
import type { AccessEvidence } from '../../server/src/iam/evidence';
import type { Rule, RuleContext } from '../../server/src/rules/rule';

/** The engine's slot for live access data: evidence given to `analyze` reaches every rule as it is. */

const TEXT = 'provider "aws" {\n  region = "eu-west-1"\n}\n';

function recorder(seen: RuleContext[]): Rule {
  return {
    id: 'records-context',
    severity: 'info',
    title: 'records what it is handed',
    dialects: ['terraform'],
    check(context) {
      seen.push(context);
      return [];
    },
  };
}

test('evidence handed to analyze reaches the rules unchanged', async () => {
  const engine = await createEngine();
  const evidence: AccessEvidence[] = [
    { identity: 'arn:aws:iam::123456789012:role/deploy', service: 's3', action: 's3:PutObject', lastUsed: '2025-01-02T03:04:05Z', source: 'aws-last-accessed', retrievedAt: '2025-01-03T00:00:00Z' },
    { identity: 'arn:aws:iam::123456789012:role/deploy', service: 'ec2', source: 'aws-last-accessed', retrievedAt: '2025-01-03T00:00:00Z' },
  ];
  const seen: RuleContext[] = [];
  engine.analyze({ path: 'main.tf', text: TEXT }, { rules: [recorder(seen)], evidence });
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.evidence, evidence);
});

test('without evidence, rules see none', async () => {
  const engine = await createEngine();
  const seen: RuleContext[] = [];
  engine.analyze({ path: 'main.tf', text: TEXT }, { rules: [recorder(seen)] });
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.evidence, undefined);
});
