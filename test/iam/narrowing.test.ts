import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { proveNarrower, type NarrowingCondition, type NarrowingStatement } from '../../server/src/iam/narrowing';
import { awsCatalog } from '../../server/src/workspace/aws-catalog';
import { widening } from './narrowing-oracle';

/**
 * The scope-down proof: a rewrite is offered only when each new Allow is covered by an old one
 * (actions, resources, conditions) and Deny / NotAction / NotResource statements are kept. Each
 * case is checked twice: by the proof, and by the brute-force oracle, which must agree whenever
 * the proof says narrower (the proof may reject what the oracle cannot fault: it is cautious).
 */

const catalog = awsCatalog();

interface Written {
  effect?: 'Allow' | 'Deny';
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition?: NarrowingCondition[];
}

function s(w: Written): NarrowingStatement {
  const values = (list: string[] | undefined) => (list ?? []).map((value) => (value.startsWith('tf:') ? { value: value.slice(3), computed: true } : { value }));
  return {
    effect: w.effect ?? 'Allow',
    actions: values(w.action),
    notActions: values(w.notAction),
    resources: values(w.resource),
    notResources: values(w.notResource),
    conditions: w.condition ?? [],
  };
}

function cond(operator: string, key: string, ...values: string[]): NarrowingCondition {
  return { operator, ifExists: false, key, values: values.map((value) => ({ value })) };
}

function check(before: Written[], after: Written[]): ReturnType<typeof proveNarrower> {
  const old = before.map(s);
  const next = after.map(s);
  const verdict = proveNarrower(old, next);
  if (verdict.narrower) assert.equal(widening(catalog, old, next), undefined, 'the oracle finds a request the new policy allows and the old does not');
  return verdict;
}

function narrower(before: Written[], after: Written[]): void {
  const verdict = check(before, after);
  assert.deepEqual(verdict, { narrower: true });
}

function rejected(before: Written[], after: Written[], reason: RegExp): void {
  const verdict = check(before, after);
  assert.equal(verdict.narrower, false);
  if (!verdict.narrower) assert.match(verdict.reason, reason);
}

describe('actions', () => {
  test('a service wildcard narrowed to named actions', () => {
    narrower([{ action: ['s3:*'], resource: ['*'] }], [{ action: ['s3:GetObject', 's3:ListBucket'], resource: ['*'] }]);
  });
  test('* narrowed to one service wildcard, and a partial wildcard to its actions', () => {
    narrower([{ action: ['*'], resource: ['*'] }], [{ action: ['s3:*'], resource: ['*'] }]);
    narrower([{ action: ['s3:Get*'], resource: ['*'] }], [{ action: ['s3:GetObject', 's3:GetBucketPolicy'], resource: ['*'] }]);
  });
  test('an action of another service is rejected', () => {
    rejected([{ action: ['s3:*'], resource: ['*'] }], [{ action: ['s3:GetObject', 'sqs:SendMessage'], resource: ['*'] }], /no old Allow grants sqs:SendMessage/);
  });
  test('a wildcard is not covered by today\'s list of the actions it matches', () => {
    const today = catalog.expand('s3:GetObject*').actions.map((a) => a.name);
    rejected([{ action: today, resource: ['*'] }], [{ action: ['s3:GetObject*'], resource: ['*'] }], /s3:GetObject\*/);
  });
  test('actions are compared case-insensitively', () => {
    narrower([{ action: ['S3:GETOBJECT'], resource: ['*'] }], [{ action: ['s3:getobject'], resource: ['*'] }]);
  });
  test('a new action beside a kept NotAction: covered when it is not excluded', () => {
    const notAction: Written = { notAction: ['iam:*'], resource: ['*'] };
    narrower([notAction], [notAction, { action: ['s3:GetObject'], resource: ['*'] }]);
    rejected([notAction], [notAction, { action: ['iam:PassRole'], resource: ['*'] }], /iam:PassRole/);
    rejected([notAction], [notAction, { action: ['*'], resource: ['*'] }], /no old Allow grants \*/);
  });
  test('actions covered by two old statements, each by one', () => {
    narrower([{ action: ['s3:*'], resource: ['*'] }, { action: ['sqs:*'], resource: ['*'] }], [{ action: ['s3:GetObject', 'sqs:SendMessage'], resource: ['*'] }]);
  });
  test('a computed action is covered only by the same computed action', () => {
    narrower([{ action: ['tf:var.actions'], resource: ['*'] }], [{ action: ['tf:var.actions'], resource: ['arn:aws:s3:::b'] }]);
    rejected([{ action: ['*'], resource: ['*'] }], [{ action: ['tf:var.actions'], resource: ['*'] }], /var\.actions/);
  });
});

describe('resources', () => {
  test('* narrowed to named ARNs', () => {
    narrower([{ action: ['s3:GetObject'], resource: ['*'] }], [{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::logs/*'] }]);
  });
  test('a resource widened is rejected', () => {
    rejected([{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::logs/*'] }], [{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::*'] }], /resource is wider/);
    rejected([{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::logs/*'] }], [{ action: ['s3:GetObject'], resource: ['*'] }], /resource is wider/);
  });
  test('a named ARN inside a glob', () => {
    narrower([{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::logs-*/*'] }], [{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::logs-2024/app/*'] }]);
  });
  test('resources and actions must be covered by the same old statement', () => {
    rejected(
      [
        { action: ['s3:GetObject'], resource: ['arn:aws:s3:::a/*'] },
        { action: ['s3:PutObject'], resource: ['arn:aws:s3:::b/*'] },
      ],
      [{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::b/*'] }],
      /resource is wider/,
    );
  });
  test('policy variables: covered by a wildcard or the same variable only', () => {
    narrower([{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::home/*'] }], [{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::home/${aws:username}/*'] }]);
    narrower([{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::home/${aws:username}/*'] }], [{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::home/${aws:username}/docs/*'] }]);
    rejected([{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::home/${aws:username}/*'] }], [{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::home/alice/*'] }], /resource is wider/);
  });
  test('a Terraform reference: covered by * or by itself', () => {
    narrower([{ action: ['s3:GetObject'], resource: ['*'] }], [{ action: ['s3:GetObject'], resource: ['tf:aws_s3_bucket.logs.arn', 'tf:${aws_s3_bucket.logs.arn}/*'] }]);
    narrower([{ action: ['s3:*'], resource: ['tf:aws_s3_bucket.logs.arn'] }], [{ action: ['s3:GetObject'], resource: ['tf:aws_s3_bucket.logs.arn'] }]);
    rejected([{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::*'] }], [{ action: ['s3:GetObject'], resource: ['tf:aws_s3_bucket.logs.arn'] }], /resource is wider/);
  });
  test('under an old NotResource, a new resource must avoid its exclusions', () => {
    const notResource: Written = { action: ['s3:GetObject'], notResource: ['arn:aws:s3:::secret/*'] };
    narrower([notResource], [notResource, { action: ['s3:GetObject'], resource: ['arn:aws:s3:::public/*'] }]);
    rejected([notResource], [notResource, { action: ['s3:GetObject'], resource: ['arn:aws:s3:::*'] }], /resource is wider/);
    rejected([notResource], [{ action: ['s3:GetObject'], resource: ['arn:aws:s3:::public/*'] }], /not kept exactly/);
  });
});

describe('conditions', () => {
  const pinned = cond('StringEquals', 'aws:ResourceTag/team', 'data');
  test('kept, or added', () => {
    narrower([{ action: ['s3:*'], resource: ['*'], condition: [pinned] }], [{ action: ['s3:GetObject'], resource: ['*'], condition: [pinned] }]);
    narrower([{ action: ['s3:*'], resource: ['*'] }], [{ action: ['s3:GetObject'], resource: ['*'], condition: [pinned] }]);
  });
  test('dropped, or loosened, is rejected', () => {
    rejected([{ action: ['s3:*'], resource: ['*'], condition: [pinned] }], [{ action: ['s3:GetObject'], resource: ['*'] }], /condition/);
    rejected([{ action: ['s3:*'], resource: ['*'], condition: [pinned] }], [{ action: ['s3:GetObject'], resource: ['*'], condition: [cond('StringLike', 'aws:ResourceTag/team', 'data')] }], /condition/);
    rejected([{ action: ['s3:*'], resource: ['*'], condition: [pinned] }], [{ action: ['s3:GetObject'], resource: ['*'], condition: [cond('StringEquals', 'aws:ResourceTag/team', 'data', 'ops')] }], /condition/);
    rejected([{ action: ['s3:*'], resource: ['*'], condition: [pinned] }], [{ action: ['s3:GetObject'], resource: ['*'], condition: [{ ...pinned, ifExists: true }] }], /condition/);
  });
  test('condition keys compare case-insensitively, values as a set', () => {
    const two = cond('StringEquals', 'aws:SourceVpc', 'vpc-1', 'vpc-2');
    narrower([{ action: ['s3:*'], resource: ['*'], condition: [two] }], [{ action: ['s3:GetObject'], resource: ['*'], condition: [cond('StringEquals', 'AWS:SourceVpc', 'vpc-2', 'vpc-1')] }]);
  });
});

describe('Deny, NotAction and NotResource are kept as written', () => {
  const deny: Written = { effect: 'Deny', action: ['s3:DeleteBucket'], resource: ['*'] };
  test('a Deny kept exactly', () => {
    narrower([{ action: ['s3:*'], resource: ['*'] }, deny], [{ action: ['s3:GetObject'], resource: ['*'] }, deny]);
  });
  test('a Deny dropped or changed is rejected', () => {
    rejected([{ action: ['s3:*'], resource: ['*'] }, deny], [{ action: ['s3:GetObject'], resource: ['*'] }], /not kept exactly/);
    rejected([{ action: ['s3:*'], resource: ['*'] }, deny], [{ action: ['s3:GetObject'], resource: ['*'] }, { ...deny, resource: ['arn:aws:s3:::b'] }], /not kept exactly/);
  });
  test('a Deny added is narrower', () => {
    narrower([{ action: ['s3:*'], resource: ['*'] }], [{ action: ['s3:*'], resource: ['*'] }, deny]);
  });
  test('a NotAction statement rewritten is rejected, kept is fine', () => {
    const notAction: Written = { notAction: ['iam:*', 'organizations:*'], resource: ['*'] };
    rejected([notAction], [{ notAction: ['iam:*'], resource: ['*'] }], /not kept exactly/);
    rejected([notAction], [{ action: ['s3:GetObject'], resource: ['*'] }], /not kept exactly/);
    narrower([notAction, { action: ['s3:*'], resource: ['*'] }], [notAction, { action: ['s3:GetObject'], resource: ['*'] }]);
  });
  test('a NotAction statement that was not there is rejected', () => {
    rejected([{ action: ['*'], resource: ['*'] }], [{ notAction: ['iam:*'], resource: ['*'] }], /NotAction/);
  });
});

test('statements that grant nothing need no cover', () => {
  narrower([{ action: ['s3:GetObject'], resource: ['*'] }], [{ action: ['s3:GetObject'], resource: ['*'] }, { action: ['not-an-action'], resource: ['*'] }]);
});

test('the oracle itself finds the widenings the proof rejects', () => {
  const today = catalog.expand('s3:GetObject*').actions.map((a) => a.name);
  assert.ok(widening(catalog, [s({ action: today, resource: ['*'] })], [s({ action: ['s3:GetObject*'], resource: ['*'] })]));
  assert.ok(widening(catalog, [s({ action: ['s3:GetObject'], resource: ['arn:aws:s3:::logs/*'] })], [s({ action: ['s3:GetObject'], resource: ['arn:aws:s3:::*'] })]));
  assert.ok(widening(catalog, [s({ action: ['s3:*'], resource: ['*'], condition: [cond('StringEquals', 'aws:ResourceTag/team', 'data')] })], [s({ action: ['s3:GetObject'], resource: ['*'] })]));
  assert.ok(widening(catalog, [s({ action: ['s3:*'], resource: ['*'] }), s({ effect: 'Deny', action: ['s3:DeleteBucket'], resource: ['*'] })], [s({ action: ['s3:*'], resource: ['*'] })]));
});
