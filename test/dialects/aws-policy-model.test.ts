import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Engine } from '../../server/src/engine/analyze';
import type { Facts, PolicyDocument, ValueAt } from '../../server/src/facts/model';
import { createEngine } from '../../server/src/workspace/grammar';

/**
 * The AWS policy model as the dialect readers build it (through `Engine.facts`, as the workspace
 * index keeps it): statements with exact spans, who each policy belongs to, managed policies
 * attached by ARN, resource policies, and references to documents written elsewhere.
 */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function factsOf(path: string, text: string): Facts {
  const read = engine.facts({ path, text });
  assert.ok(read, `${path} is read`);
  return read.facts;
}

/** The text a value's span covers. */
const at = (text: string, value: { span: { start: number; end: number } }): string => text.slice(value.span.start, value.span.end);
const values = (list: readonly ValueAt[]): string[] => list.map((v) => v.value);
const owned = (facts: Facts, name: string): PolicyDocument => {
  const found = facts.policies.find((p) => p.owner.name === name);
  assert.ok(found, `a document owned by ${name}`);
  return found;
};

describe('Terraform', () => {
  test('identity policies name whom they grant to; an aws_iam_policy names no one until attached', () => {
    const text = `resource "aws_iam_role_policy" "ci" {
  role   = aws_iam_role.ci.id
  policy = jsonencode({ Statement = [{ Sid = "All", Effect = "Allow", Action = "s3:GetObject", Resource = "\${aws_s3_bucket.b.arn}/*" }] })
}
resource "aws_iam_user_policy" "op" {
  user   = "operator"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = aws_s3_bucket.b.arn }] })
}
resource "aws_iam_group_policy" "g" {
  group  = var.group
  policy = jsonencode({ Statement = [] })
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [] })
}
resource "aws_iam_role" "ci" {
  assume_role_policy = jsonencode({ Statement = [] })
  inline_policy {
    policy = jsonencode({ Statement = [] })
  }
}
`;
    const facts = factsOf('iam.tf', text);
    const rolePolicy = owned(facts, 'ci');
    assert.equal(rolePolicy.owner.kind, 'identity-policy');
    assert.deepEqual(rolePolicy.owner.identities?.map((i) => [i.kind, i.resource, i.value?.value]), [['role', 'aws_iam_role.ci', 'aws_iam_role.ci.id']]);
    const statement = rolePolicy.statements[0]!;
    assert.equal(statement.sid, 'All');
    assert.deepEqual(statement.resources.map((r) => [r.value, r.computed]), [['${aws_s3_bucket.b.arn}/*', true]]);
    assert.equal(at(text, statement.actions[0]!), '"s3:GetObject"');
    assert.deepEqual(owned(facts, 'op').owner.identities?.map((i) => [i.kind, i.resource, i.value?.value]), [['user', undefined, 'operator']]);
    // A resource list written as a reference is kept, computed: the statement does have a resource.
    assert.deepEqual(owned(facts, 'op').statements[0]!.resources.map((r) => [r.value, r.computed]), [['aws_s3_bucket.b.arn', true]]);
    assert.deepEqual(owned(facts, 'g').owner.identities?.map((i) => [i.kind, i.resource, i.value?.computed]), [['group', undefined, true]]);
    assert.deepEqual(owned(facts, 'p').owner.identities, []);
    const roleDocuments = facts.policies.filter((p) => p.owner.name === 'ci' && p.owner.resourceType === 'aws_iam_role');
    assert.deepEqual(roleDocuments.map((p) => [p.owner.kind, p.owner.identities?.[0]?.resource]), [['role-trust', undefined], ['identity-policy', 'aws_iam_role.ci']]);
  });

  test('managed policies attached by ARN, in every form, with the lookups of the same file resolved', () => {
    const text = `data "aws_iam_policy" "admin" {
  name = "AdministratorAccess"
}
resource "aws_iam_role" "r" {
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", aws_iam_policy.custom.arn]
}
resource "aws_iam_policy_attachment" "a" {
  roles      = [aws_iam_role.r.name]
  users      = ["alice"]
  groups     = [aws_iam_group.g.name]
  policy_arn = data.aws_iam_policy.admin.arn
}
resource "aws_iam_group_policy_attachments_exclusive" "x" {
  group_name  = "ops"
  policy_arns = ["arn:\${data.aws_partition.current.partition}:iam::aws:policy/job-function/SystemAdministrator"]
}
resource "aws_iam_role" "bounded" {
  permissions_boundary = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`;
    const facts = factsOf('attach.tf', text);
    const rows = facts.policyAttachments.map((a) => [a.owner.resourceType, a.policyArn.value, a.policyArn.computed ?? false, a.managedPolicy?.path, a.managedPolicy?.name, a.via?.value]);
    assert.deepEqual(rows, [
      ['aws_iam_role', 'arn:aws:iam::aws:policy/ReadOnlyAccess', false, '', 'ReadOnlyAccess', undefined],
      ['aws_iam_role', 'aws_iam_policy.custom.arn', true, undefined, undefined, undefined],
      ['aws_iam_policy_attachment', 'data.aws_iam_policy.admin.arn', true, '', 'AdministratorAccess', 'AdministratorAccess'],
      ['aws_iam_group_policy_attachments_exclusive', 'arn:${data.aws_partition.current.partition}:iam::aws:policy/job-function/SystemAdministrator', true, 'job-function/', 'SystemAdministrator', undefined],
    ]);
    assert.equal(at(text, facts.policyAttachments[0]!.policyArn), '"arn:aws:iam::aws:policy/ReadOnlyAccess"');
    assert.deepEqual(facts.policyAttachments.map((a) => a.policyResource), [undefined, 'aws_iam_policy.custom', undefined, undefined]);
    assert.deepEqual(facts.policyAttachments[0]!.owner.identities, [{ kind: 'role', resource: 'aws_iam_role.r' }]);
    assert.deepEqual(facts.policyAttachments[2]!.owner.identities?.map((i) => [i.kind, i.resource ?? i.value?.value]), [['role', 'aws_iam_role.r'], ['user', 'alice'], ['group', 'aws_iam_group.g']]);
    assert.deepEqual(facts.policyLookups.map((l) => [l.address, l.policy.value, l.managedPolicy?.name]), [['data.aws_iam_policy.admin', 'AdministratorAccess', 'AdministratorAccess']]);
  });

  test('documents written elsewhere are references: data sources, file(), templatefile(), variables; merged documents', () => {
    const text = `resource "aws_iam_policy" "from_data" {
  policy = data.aws_iam_policy_document.ci.json
}
resource "aws_iam_policy" "from_file" {
  policy = file("\${path.module}/policies/ci.json")
}
resource "aws_iam_policy" "from_template" {
  policy = templatefile("./policies/ci.json.tpl", { bucket = var.bucket })
}
resource "aws_iam_policy" "from_variable" {
  policy = jsonencode(var.policy)
}
data "aws_iam_policy_document" "ci" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json, jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:ListBucket", Resource = "*" }] })]
  override_policy_documents = [data.aws_iam_policy_document.deny.json]
  statement {
    sid         = "Queue"
    not_actions = ["sqs:DeleteQueue"]
    resources   = ["*"]
    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
}
`;
    const facts = factsOf('refs.tf', text);
    assert.deepEqual(owned(facts, 'from_data').source, { kind: 'expression', text: 'data.aws_iam_policy_document.ci.json', span: owned(facts, 'from_data').source!.span });
    const file = owned(facts, 'from_file').source;
    assert.ok(file?.kind === 'file');
    assert.deepEqual([file.function, file.path, file.relativePath], ['file', '${path.module}/policies/ci.json', 'policies/ci.json']);
    const template = owned(facts, 'from_template').source;
    assert.ok(template?.kind === 'file');
    assert.deepEqual([template.function, template.relativePath], ['templatefile', 'policies/ci.json.tpl']);
    assert.deepEqual(owned(facts, 'from_variable').source, { kind: 'expression', text: 'var.policy', span: owned(facts, 'from_variable').source!.span });
    const document = owned(facts, 'ci');
    assert.deepEqual(document.merges?.map((m) => [m.how, m.from.kind === 'expression' ? m.from.text : m.from.path]), [
      ['source', 'data.aws_iam_policy_document.base.json'],
      ['override', 'data.aws_iam_policy_document.deny.json'],
    ]);
    // The literal source document's statement is read with the document's own.
    assert.deepEqual(document.statements.map((s) => [s.sid, values(s.actions), values(s.notActions)]), [
      [undefined, ['s3:ListBucket'], []],
      ['Queue', [], ['sqs:DeleteQueue']],
    ]);
    assert.deepEqual(document.statements[1]!.notPrincipals.map((p) => [p.type, values(p.values)]), [['AWS', ['arn:aws:iam::123456789012:root']]]);
  });

  test('documents the file uses only as caps: permissions boundaries and service control policies, unless also attached', () => {
    const text = `resource "aws_iam_policy" "boundary" {
  policy = jsonencode({ Statement = [] })
}
resource "aws_iam_policy" "both" {
  policy = jsonencode({ Statement = [] })
}
resource "aws_iam_role" "r" {
  permissions_boundary = aws_iam_policy.boundary.arn
}
resource "aws_iam_user" "u" {
  permissions_boundary = aws_iam_policy.both.arn
}
resource "aws_iam_user_policy_attachment" "u" {
  user       = aws_iam_user.u.name
  policy_arn = aws_iam_policy.both.arn
}
data "aws_iam_policy_document" "scp" {}
resource "aws_organizations_policy" "scp" {
  content = data.aws_iam_policy_document.scp.json
}
resource "aws_iam_policy" "boundary_from_data" {
  policy = data.aws_iam_policy_document.boundary.json
}
data "aws_iam_policy_document" "boundary" {}
resource "aws_iam_user" "v" {
  permissions_boundary = aws_iam_policy.boundary_from_data.arn
}
`;
    const facts = factsOf('caps.tf', text);
    assert.deepEqual(facts.policies.map((p) => [p.owner.name, p.owner.caps]), [
      ['boundary', 'permissions-boundary'],
      ['both', undefined],
      ['scp', 'service-control-policy'],
      ['boundary_from_data', 'permissions-boundary'],
      ['boundary', 'permissions-boundary'],
    ]);
  });

  test('resource policies: their principals, and the resource they govern; a Lambda permission as its statement', () => {
    const text = `resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "\${aws_s3_bucket.site.arn}/*" }] })
}
resource "aws_sqs_queue" "q" {
  policy = data.aws_iam_policy_document.q.json
}
resource "aws_lambda_permission" "s3" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.f.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.site.arn
}
`;
    const facts = factsOf('resources.tf', text);
    const bucket = owned(facts, 'site');
    assert.deepEqual([bucket.owner.kind, bucket.owner.target?.value], ['resource-policy', 'aws_s3_bucket.site.id']);
    assert.deepEqual(bucket.statements[0]!.principals.map((p) => [p.type, values(p.values)]), [['*', ['*']]]);
    assert.deepEqual([owned(facts, 'q').owner.kind, owned(facts, 'q').owner.target, owned(facts, 'q').source?.kind], ['resource-policy', undefined, 'expression']);
    const permission = owned(facts, 's3');
    const statement = permission.statements[0]!;
    assert.deepEqual([values(statement.actions), values(statement.resources), statement.principals.map((p) => [p.type, values(p.values)])], [['lambda:InvokeFunction'], ['aws_lambda_function.f.function_name'], [['Service', ['s3.amazonaws.com']]]]);
    assert.deepEqual(statement.conditions.map((c) => [c.operator, c.key, values(c.values)]), [['ArnLike', 'AWS:SourceArn', ['aws_s3_bucket.site.arn']]]);
    assert.equal(at(text, { span: statement.conditions[0]!.keySpan }), 'source_arn');
  });
});

describe('CloudFormation and SAM', () => {
  test('intrinsics read as their text (computed), Fn::If as both branches, and whom each policy grants to', () => {
    const text = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [] }
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/AdministratorAccess
        - !Join [":", [arn, !Ref AWS::Partition, "iam::aws:policy/ReadOnlyAccess"]]
        - !If [Prod, !Ref AWS::NoValue, !Ref LocalPolicy]
  LocalPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Role, literal-role]
      Groups: [{ "Ref": "Ops" }]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: !If [Prod, "s3:GetObject", ["s3:PutObject", "s3:DeleteObject"]]
            Resource: !Sub "arn:\${AWS::Partition}:s3:::\${Bucket}/*"
            NotPrincipal: { AWS: !GetAtt Role.Arn }
`;
    const facts = factsOf('template.yaml', text);
    assert.deepEqual(facts.policyAttachments.map((a) => [a.policyArn.value, a.policyArn.computed ?? false, a.managedPolicy?.name, a.policyResource]), [
      ['arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess', true, 'AdministratorAccess', undefined],
      ['arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess', true, 'ReadOnlyAccess', undefined],
      ['LocalPolicy', true, undefined, 'LocalPolicy'],
    ]);
    assert.deepEqual(facts.policyAttachments[0]!.owner.identities, [{ kind: 'role', resource: 'Role' }]);
    const policy = owned(facts, 'LocalPolicy');
    assert.deepEqual(policy.owner.identities?.map((i) => [i.kind, i.resource, i.value?.value]), [['role', 'Role', 'Role'], ['role', undefined, 'literal-role'], ['group', 'Ops', 'Ops']]);
    const statement = policy.statements[0]!;
    assert.deepEqual(values(statement.actions), ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    assert.deepEqual(statement.resources.map((r) => [r.value, r.computed]), [['arn:${AWS::Partition}:s3:::${Bucket}/*', true]]);
    assert.deepEqual(statement.notPrincipals.map((p) => [p.type, values(p.values)]), [['AWS', ['Role.Arn']]]);
  });

  test('SAM Policies: managed names, templates by name, inline statements; ignored when the function sets Role', () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AmazonS3FullAccess
        - DynamoDBCrudPolicy: { TableName: !Ref Table }
        - Statement: [{ Effect: Allow, Action: "sqs:SendMessage", Resource: "*" }]
  WithRole:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Role.Arn
      Policies: AdministratorAccess
`;
    const facts = factsOf('template.yaml', text);
    assert.deepEqual(facts.policyAttachments.map((a) => [a.owner.name, a.policyArn.value, a.managedPolicy?.name, a.samPolicyTemplate]), [
      ['Fn', 'AmazonS3FullAccess', 'AmazonS3FullAccess', undefined],
      ['Fn', 'DynamoDBCrudPolicy', undefined, 'DynamoDBCrudPolicy'],
    ]);
    assert.deepEqual(facts.policyAttachments[0]!.owner.identities, [{ kind: 'sam-function', resource: 'Fn' }]);
    assert.deepEqual(facts.policies.map((p) => [p.owner.name, p.statements.map((s) => values(s.actions))]), [['Fn', [['sqs:SendMessage']]]]);
  });

  test('resource policies with their target; a Lambda permission as its statement', () => {
    const text = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Statement:
          - { Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: !Sub "\${Site.Arn}/*" }
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - { Effect: Allow, Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: sns.amazonaws.com
      SourceArn: !Ref Topic
`;
    const facts = factsOf('template.yaml', text);
    assert.deepEqual(facts.policies.map((p) => [p.owner.kind, p.owner.name, p.owner.target?.value]), [
      ['resource-policy', 'SitePolicy', 'Site'],
      ['resource-policy', 'Key', undefined],
      ['resource-policy', 'Invoke', 'Fn'],
    ]);
    const invoke = owned(facts, 'Invoke').statements[0]!;
    assert.deepEqual(invoke.principals.map((p) => [p.type, values(p.values)]), [['Service', ['sns.amazonaws.com']]]);
    assert.deepEqual(invoke.conditions.map((c) => [c.operator, c.key, values(c.values)]), [['ArnLike', 'AWS:SourceArn', ['Topic']]]);
  });
});

describe('bare policy files', () => {
  test('one document, owned by the file, principals read', () => {
    const text = `{"Version": "2012-10-17", "Id": "bucket", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root"]}, "Action": "s3:GetObject", "Resource": "*"}]}`;
    const facts = factsOf('bucket.policy.json', text);
    assert.deepEqual(facts.policies.map((p) => [p.owner.kind, p.owner.resourceType, p.owner.name, p.statements.length]), [['policy-document', 'policy file', 'bucket', 1]]);
    assert.deepEqual(facts.policies[0]!.statements[0]!.principals.map((p) => [p.type, values(p.values)]), [['AWS', ['arn:aws:iam::1:root']]]);
  });
});
