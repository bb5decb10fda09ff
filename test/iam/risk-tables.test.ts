import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CREDENTIAL_ACTIONS,
  ESCALATION_METHODS,
  EXFILTRATION_READS,
  escalationMethodsGranted,
  isExfiltrationRead,
  returnsCredentials,
  statementsAllow,
} from '../../server/src/iam/catalog';
import { awsCatalog } from '../../server/src/workspace/aws-catalog';

/**
 * The reviewed tables the catalog's data lacks: escalation methods, credential-returning actions,
 * exfiltration reads. Every action they name must be one the catalog knows, spelt as it spells
 * it, so that a rename in AWS's data fails here rather than silently never matching.
 */

const catalog = awsCatalog();
const ids = (allows: (action: string) => boolean): string[] => escalationMethodsGranted(allows).map((m) => m.id);
const granting = (...actions: string[]): ((action: string) => boolean) => statementsAllow([{ actions }]);

describe('every table names actions the catalog knows', () => {
  test('escalation methods: known actions, unique ids, a source and a clause each', () => {
    const seen = new Set<string>();
    for (const method of ESCALATION_METHODS) {
      assert.ok(!seen.has(method.id), `${method.id} twice`);
      seen.add(method.id);
      assert.ok(method.source.trim() !== '' && method.how.trim() !== '', method.id);
      assert.ok(method.actions.length > 0, method.id);
      for (const action of method.actions) assert.equal(catalog.action(action)?.name, action, `${method.id}: ${action}`);
    }
    assert.ok(ESCALATION_METHODS.length >= 40);
  });

  test('credential-returning actions and exfiltration reads', () => {
    for (const action of [...CREDENTIAL_ACTIONS, ...EXFILTRATION_READS]) assert.equal(catalog.action(action)?.name, action, action);
    assert.equal(new Set(CREDENTIAL_ACTIONS).size, CREDENTIAL_ACTIONS.length);
    assert.equal(new Set(EXFILTRATION_READS).size, EXFILTRATION_READS.length);
  });
});

describe('escalationMethodsGranted', () => {
  test('single-action methods of the published lists', () => {
    assert.deepEqual(ids(granting('iam:CreatePolicyVersion')), ['CreateNewPolicyVersion']);
    assert.deepEqual(ids(granting('iam:SetDefaultPolicyVersion')), ['SetExistingDefaultPolicyVersion']);
    assert.deepEqual(ids(granting('iam:CreateAccessKey')), ['CreateAccessKey']);
    assert.deepEqual(ids(granting('iam:UpdateAssumeRolePolicy')), ['UpdateRolePolicyToAssumeIt']);
    assert.deepEqual(ids(granting('iam:CreateLoginProfile', 'iam:UpdateLoginProfile')), ['CreateLoginProfile', 'UpdateLoginProfile']);
  });

  test('iam:Attach*Policy and iam:Put*Policy are each three methods', () => {
    assert.deepEqual(ids(granting('iam:Attach*Policy')), ['AttachUserPolicy', 'AttachGroupPolicy', 'AttachRolePolicy']);
    assert.deepEqual(ids(granting('iam:put*policy')), ['PutUserPolicy', 'PutGroupPolicy', 'PutRolePolicy']);
  });

  test('PassRole combinations need every action of the method', () => {
    assert.deepEqual(ids(granting('lambda:CreateFunction', 'lambda:InvokeFunction')), []);
    assert.deepEqual(ids(granting('iam:PassRole', 'lambda:CreateFunction')), ['PassAnyRole']);
    assert.deepEqual(ids(granting('iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction')), ['PassExistingRoleToNewLambdaThenInvoke', 'PassAnyRole']);
    assert.ok(ids(granting('iam:PassRole', 'ec2:RunInstances')).includes('CreateEC2WithExistingIP'));
    assert.ok(ids(granting('iam:PassRole', 'cloudformation:CreateStack')).includes('PassExistingRoleToCloudFormation'));
    assert.ok(ids(granting('iam:PassRole', 'glue:CreateDevEndpoint')).includes('PassExistingRoleToNewGlueDevEndpoint'));
    assert.ok(ids(granting('iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask')).includes('PassExistingRoleToNewECSTaskViaRunTask'));
    assert.ok(!ids(granting('iam:PassRole', 'ecs:RunTask')).includes('PassExistingRoleToNewECSTaskViaRunTask'));
  });

  test('PassRole and AssumeRole alone are marked as escalation on every resource only', () => {
    const methods = escalationMethodsGranted(granting('iam:PassRole', 'sts:AssumeRole'));
    assert.deepEqual(methods.map((m) => [m.id, m.onEveryResource]), [['PassAnyRole', true], ['AssumeAnyRole', true]]);
  });

  test('* grants every method; a Deny takes its methods away', () => {
    assert.equal(escalationMethodsGranted(granting('*')).length, ESCALATION_METHODS.length);
    const denied = escalationMethodsGranted(statementsAllow([{ actions: ['*'] }], [{ actions: ['iam:PassRole'] }]));
    assert.ok(denied.length > 0);
    assert.ok(denied.every((m) => !m.actions.includes('iam:PassRole')));
  });
});

describe('credential-returning actions and exfiltration reads', () => {
  test('returnsCredentials: exact actions, any case, not patterns', () => {
    for (const action of ['sts:AssumeRole', 'STS:assumerolewithwebidentity', 'sts:GetSessionToken', 'sts:GetFederationToken', 'iam:CreateAccessKey', 'ecr:GetAuthorizationToken', 'cognito-identity:GetCredentialsForIdentity', 'redshift:GetClusterCredentials', 'rds-db:connect']) {
      assert.equal(returnsCredentials(action), true, action);
    }
    for (const action of ['sts:GetCallerIdentity', 'iam:UpdateAccessKey', 's3:GetObject', 'sts:*', 'sts:AssumeRole*']) assert.equal(returnsCredentials(action), false, action);
  });

  test('isExfiltrationRead: the published reads and secret values', () => {
    for (const action of ['s3:GetObject', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'secretsmanager:GetSecretValue', 'KMS:Decrypt']) assert.equal(isExfiltrationRead(action), true, action);
    for (const action of ['s3:ListBucket', 'ssm:DescribeParameters', 'secretsmanager:ListSecrets', 's3:Get*']) assert.equal(isExfiltrationRead(action), false, action);
  });
});
