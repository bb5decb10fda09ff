import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyCondition } from '../../server/src/facts/model';
import { pinsScope } from '../../server/src/iam/condition';
import { isPolicyName, managedPolicy, parseManagedPolicyArn } from '../../server/src/iam/managed-policies';

describe('AWS managed policies (iam/managed-policies.ts)', () => {
  test('ARNs name a managed policy in every partition, literal or computed, with its path', () => {
    const cases: [string, { name: string; path: string } | undefined][] = [
      ['arn:aws:iam::aws:policy/AdministratorAccess', { name: 'AdministratorAccess', path: '' }],
      ['arn:aws-us-gov:iam::aws:policy/IAMFullAccess', { name: 'IAMFullAccess', path: '' }],
      ['arn:aws-cn:iam::aws:policy/PowerUserAccess', { name: 'PowerUserAccess', path: '' }],
      ['arn:aws-iso-b:iam::aws:policy/ReadOnlyAccess', { name: 'ReadOnlyAccess', path: '' }],
      ['arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess', { name: 'AdministratorAccess', path: '' }],
      ['arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess', { name: 'AdministratorAccess', path: '' }],
      ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess', { name: 'ViewOnlyAccess', path: 'job-function/' }],
      ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', { name: 'AWSLambdaBasicExecutionRole', path: 'service-role/' }],
      // A customer-managed policy of the same name is not AWS's.
      ['arn:aws:iam::123456789012:policy/AdministratorAccess', undefined],
      ['arn:aws:iam::aws:role/AdministratorAccess', undefined],
      ['AdministratorAccess', undefined],
    ];
    for (const [arn, expected] of cases) assert.deepEqual(parseManagedPolicyArn(arn), expected, arn);
  });

  test('what the policies that matter amount to', () => {
    assert.equal(managedPolicy('AdministratorAccess').grant, 'admin');
    assert.equal(managedPolicy('PowerUserAccess').grant, 'power-user');
    assert.equal(managedPolicy('IAMFullAccess').grant, 'iam-full');
    assert.equal(managedPolicy('ReadOnlyAccess').grant, 'read-only');
    assert.equal(managedPolicy('ViewOnlyAccess', 'job-function/').grant, 'read-only');
    assert.equal(managedPolicy('SystemAdministrator', 'job-function/').grant, 'job-function');
  });

  test('the *FullAccess and *ReadOnlyAccess families are recognised by name, with their service', () => {
    assert.deepEqual(managedPolicy('AmazonS3FullAccess'), { name: 'AmazonS3FullAccess', path: '', grant: 'service-full', summary: 'every action of Amazon S3' });
    assert.equal(managedPolicy('AWSLambda_FullAccess').summary, 'every action of AWS Lambda');
    assert.equal(managedPolicy('AmazonEC2ReadOnlyAccess').grant, 'service-read-only');
    assert.equal(managedPolicy('IAMReadOnlyAccess').grant, 'service-read-only');
    // One service's administration is not the account's.
    assert.equal(managedPolicy('AdministratorAccess-Amplify').grant, 'service-full');
    assert.equal(managedPolicy('AWSLambdaBasicExecutionRole').grant, undefined);
  });

  test('SAM policy names', () => {
    assert.ok(isPolicyName('AmazonS3FullAccess'));
    assert.ok(!isPolicyName('arn:aws:iam::aws:policy/AmazonS3FullAccess'));
    assert.ok(!isPolicyName('${PolicyArn}'));
  });
});

describe('conditions that pin resources or principals (iam/condition.ts pinsScope)', () => {
  const condition = (operator: string, key: string, values: string[], more: Partial<PolicyCondition> = {}): PolicyCondition => ({
    operator,
    ifExists: false,
    key,
    keySpan: { start: 0, end: 0 },
    values: values.map((value) => ({ value, span: { start: 0, end: 0 } })),
    ...more,
  });

  test('keys that pin the resources or the principals, under an operator that must match', () => {
    assert.equal(pinsScope(condition('StringEquals', 'aws:ResourceTag/team', ['platform'])), 'resources');
    assert.equal(pinsScope(condition('StringEquals', 'ec2:ResourceTag/team', ['platform'])), 'resources');
    assert.equal(pinsScope(condition('ArnLike', 'aws:SourceArn', ['arn:aws:sns:*:123456789012:alerts'])), 'resources');
    assert.equal(pinsScope(condition('StringLike', 's3:prefix', ['home/${aws:username}/*'])), 'resources');
    assert.equal(pinsScope(condition('StringEquals', 'cloudwatch:namespace', ['App'])), 'resources');
    assert.equal(pinsScope(condition('StringEquals', 'AWS:SourceAccount', ['123456789012'])), 'resources');
    assert.equal(pinsScope(condition('StringEquals', 'aws:PrincipalTag/role', ['admin'])), 'principals');
    assert.equal(pinsScope(condition('StringEquals', 'aws:PrincipalOrgID', ['o-abc'])), 'principals');
  });

  test('keys that say where or how, negations, IfExists, ForAllValues and bare wildcards do not pin', () => {
    assert.equal(pinsScope(condition('StringEquals', 'aws:RequestedRegion', ['eu-west-1'])), undefined);
    assert.equal(pinsScope(condition('Bool', 'aws:MultiFactorAuthPresent', ['true'])), undefined);
    assert.equal(pinsScope(condition('IpAddress', 'aws:SourceIp', ['10.0.0.0/8'])), undefined);
    assert.equal(pinsScope(condition('StringEquals', 'aws:RequestTag/team', ['platform'])), undefined);
    assert.equal(pinsScope(condition('StringNotEquals', 'aws:ResourceTag/team', ['platform'])), undefined);
    assert.equal(pinsScope(condition('StringEquals', 'aws:ResourceTag/team', ['platform'], { ifExists: true })), undefined);
    assert.equal(pinsScope(condition('StringEquals', 'aws:ResourceTag/team', ['platform'], { qualifier: 'ForAllValues' })), undefined);
    assert.equal(pinsScope(condition('StringLike', 'aws:ResourceTag/team', ['*'])), undefined);
    assert.equal(pinsScope(condition('StringEquals', 'aws:ResourceTag/team', [])), undefined);
  });
});
