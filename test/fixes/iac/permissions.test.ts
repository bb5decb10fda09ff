import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JobUsage } from '../../../server/src/fixes/federation/federation';
import { inferAwsPermissions, type Arn, type InferenceContext } from '../../../server/src/fixes/federation/permissions';

/**
 * Least privilege from what a job runs: for each well-known action and command, the actions
 * granted and the resources they are pinned to (`<account>` where the role's own account is not
 * known), and what is left to a note instead of a guess.
 */

const ACCOUNT = '123456789012';

function infer(usage: Partial<JobUsage>, context: InferenceContext = { region: 'eu-west-1' }): { grants: string[]; notes: string[] } {
  const result = inferAwsPermissions({ commands: usage.commands ?? [], actions: usage.actions ?? [] }, context);
  const arn = (parts: Arn): string => parts.map((p) => (typeof p === 'string' ? p : '<account>')).join('');
  return {
    grants: result.grants.map((g) => `${g.sid}: ${g.actions.join(' ')} on ${g.resources.map(arn).join(' ')}${g.condition ? ` if ${JSON.stringify(g.condition)}` : ''}`),
    notes: result.notes,
  };
}

const ECR_PUSH = 'ecr:BatchCheckLayerAvailability ecr:BatchGetImage ecr:CompleteLayerUpload ecr:GetDownloadUrlForLayer ecr:InitiateLayerUpload ecr:PutImage ecr:UploadLayerPart';
const CHANGE_SET = 'cloudformation:CreateChangeSet cloudformation:DescribeChangeSet cloudformation:DescribeStackEvents cloudformation:DescribeStacks cloudformation:ExecuteChangeSet cloudformation:GetTemplateSummary';

describe('permission inference: actions', () => {
  test('amazon-ecr-login: the authorization token, on * (it names no repository)', () => {
    assert.deepEqual(infer({ actions: [{ action: 'aws-actions/amazon-ecr-login', inputs: {} }] }).grants, ['EcrLogin: ecr:GetAuthorizationToken on *']);
  });

  test('amazon-ecr-login with an image pushed to the registry it returns: push on that repository', () => {
    const result = infer(
      { actions: [{ action: 'aws-actions/amazon-ecr-login', inputs: {} }, { action: 'docker/build-push-action', inputs: { push: 'true', tags: '${{ steps.login-ecr.outputs.registry }}/web:${{ github.sha }}\n${{ steps.login-ecr.outputs.registry }}/web:latest' } }] },
      { region: 'eu-west-1', account: ACCOUNT },
    );
    assert.deepEqual(result.grants, ['EcrLogin: ecr:GetAuthorizationToken on *', `EcrPush: ${ECR_PUSH} on arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/web`]);
  });

  test('amazon-ecs-render-task-definition calls nothing, unless it starts from a registered revision', () => {
    assert.deepEqual(infer({ actions: [{ action: 'aws-actions/amazon-ecs-render-task-definition', inputs: { 'task-definition': 'td.json', 'container-name': 'web', image: 'x' } }] }).grants, []);
    assert.deepEqual(infer({ actions: [{ action: 'aws-actions/amazon-ecs-render-task-definition', inputs: { 'task-definition-family': 'web' } }] }).grants, ['EcsDescribeTaskDefinition: ecs:DescribeTaskDefinition on *']);
  });

  test('amazon-ecs-deploy-task-definition: register, pass the task roles to ECS only, update the named service', () => {
    const result = infer({ actions: [{ action: 'aws-actions/amazon-ecs-deploy-task-definition', inputs: { 'task-definition': 'td.json', service: 'web', cluster: 'prod' } }] }, { region: 'eu-west-1', account: ACCOUNT });
    assert.deepEqual(result.grants, [
      'EcsRegisterTaskDefinition: ecs:RegisterTaskDefinition on *',
      `EcsPassTaskRoles: iam:PassRole on arn:aws:iam::${ACCOUNT}:role/* if {"iam:PassedToService":"ecs-tasks.amazonaws.com"}`,
      `EcsService: ecs:DescribeServices ecs:UpdateService on arn:aws:ecs:eu-west-1:${ACCOUNT}:service/prod/web`,
    ]);
    assert.match(result.notes.join('\n'), /task and execution roles are not named/);
  });
});

describe('permission inference: commands', () => {
  test('aws s3 sync up, with --delete: list the bucket, write and delete under the prefix', () => {
    assert.deepEqual(infer({ commands: [['aws', 's3', 'sync', './site', 's3://acme-site/docs', '--delete', '--exclude', '*.map']] }).grants, ['S3ListBucket: s3:ListBucket on arn:aws:s3:::acme-site', 'S3WriteObjects: s3:DeleteObject s3:PutObject on arn:aws:s3:::acme-site/docs/*']);
  });

  test('aws s3 sync down: list and read', () => {
    assert.deepEqual(infer({ commands: [['aws', 's3', 'sync', 's3://acme-data/in/', './in']] }).grants, ['S3ListBucket: s3:ListBucket on arn:aws:s3:::acme-data', 'S3ReadObjects: s3:GetObject on arn:aws:s3:::acme-data/in/*']);
  });

  test('aws s3 cp: one object, a folder before a variable, recursive reads, ACLs', () => {
    assert.deepEqual(infer({ commands: [['aws', 's3', 'cp', 'dist/app.zip', 's3://acme-artifacts/releases/app.zip', '--acl', 'private']] }).grants, ['S3WriteObjects: s3:PutObject s3:PutObjectAcl on arn:aws:s3:::acme-artifacts/releases/app.zip']);
    assert.deepEqual(infer({ commands: [['aws', 's3', 'cp', 'dist/app.zip', 's3://acme-artifacts/releases/$VERSION/app.zip']] }).grants, ['S3WriteObjects: s3:PutObject on arn:aws:s3:::acme-artifacts/releases/*']);
    assert.deepEqual(infer({ commands: [['aws', 's3', 'cp', 's3://acme-data/reports', './r', '--recursive']] }).grants, ['S3ListBucket: s3:ListBucket on arn:aws:s3:::acme-data', 'S3ReadObjects: s3:GetObject on arn:aws:s3:::acme-data/reports/*']);
  });

  test('aws s3 rm and mv: deletes where objects leave', () => {
    assert.deepEqual(infer({ commands: [['aws', 's3', 'rm', 's3://acme-site/old', '--recursive']] }).grants, ['S3DeleteObjects: s3:DeleteObject on arn:aws:s3:::acme-site/old/*', 'S3ListBucket: s3:ListBucket on arn:aws:s3:::acme-site']);
    assert.deepEqual(infer({ commands: [['aws', 's3', 'mv', 's3://acme-in/a.csv', 's3://acme-done/a.csv']] }).grants, ['S3ReadObjects: s3:DeleteObject s3:GetObject on arn:aws:s3:::acme-in/a.csv', 'S3WriteObjects: s3:PutObject on arn:aws:s3:::acme-done/a.csv']);
  });

  test('a bucket in a variable: no grant, a note', () => {
    const result = infer({ commands: [['aws', 's3', 'sync', '.', 's3://$BUCKET']] });
    assert.deepEqual(result.grants, []);
    assert.match(result.notes[0]!, /bucket is not written literally/);
  });

  test('aws ecs update-service and wait: the services of the named cluster (default: default), region * when unknown', () => {
    assert.deepEqual(infer({ commands: [['aws', 'ecs', 'update-service', '--cluster', 'prod', '--service', 'web', '--force-new-deployment']] }, {}).grants, ['EcsService: ecs:DescribeServices ecs:UpdateService on arn:aws:ecs:*:<account>:service/prod/web']);
    assert.deepEqual(infer({ commands: [['aws', 'ecs', 'update-service', '--service', 'web']] }).grants, ['EcsService: ecs:DescribeServices ecs:UpdateService on arn:aws:ecs:eu-west-1:<account>:service/default/web']);
    assert.deepEqual(infer({ commands: [['aws', 'ecs', 'wait', 'services-stable', '--cluster', 'prod', '--services', 'web', 'worker']] }).grants, ['EcsService: ecs:DescribeServices on arn:aws:ecs:eu-west-1:<account>:service/prod/web arn:aws:ecs:eu-west-1:<account>:service/prod/worker']);
  });

  test('aws ecs register-task-definition: PassRole on the roles it names', () => {
    const result = infer({ commands: [['aws', 'ecs', 'register-task-definition', '--family', 'web', '--task-role-arn', `arn:aws:iam::${ACCOUNT}:role/web-task`, '--execution-role-arn', `arn:aws:iam::${ACCOUNT}:role/web-exec`]] });
    assert.deepEqual(result.grants, ['EcsRegisterTaskDefinition: ecs:RegisterTaskDefinition on *', `EcsPassTaskRoles: iam:PassRole on arn:aws:iam::${ACCOUNT}:role/web-task arn:aws:iam::${ACCOUNT}:role/web-exec`]);
    assert.deepEqual(result.notes, []);
  });

  test('aws ecr get-login-password and docker push to a registry URI: account and region from the URI', () => {
    assert.deepEqual(infer({ commands: [['aws', 'ecr', 'get-login-password', '--region', 'us-east-1'], ['docker', 'push', `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/api:1.0`]] }).grants, ['EcrLogin: ecr:GetAuthorizationToken on *', `EcrPush: ${ECR_PUSH} on arn:aws:ecr:us-east-1:${ACCOUNT}:repository/api`]);
  });

  test('docker push to another registry grants nothing', () => {
    assert.deepEqual(infer({ commands: [['docker', 'push', 'ghcr.io/acme/api:1.0']] }).grants, []);
  });

  test('aws lambda update-function-code: the named function (and PublishVersion with --publish)', () => {
    assert.deepEqual(infer({ commands: [['aws', 'lambda', 'update-function-code', '--function-name', 'thumbnailer', '--zip-file', 'fileb://f.zip', '--publish']] }, { region: 'eu-west-1', account: ACCOUNT }).grants, [`LambdaFunction: lambda:PublishVersion lambda:UpdateFunctionCode on arn:aws:lambda:eu-west-1:${ACCOUNT}:function:thumbnailer`]);
  });

  test('aws cloudformation deploy: change sets on the named stack, and a note about the stack\'s resources', () => {
    const result = infer({ commands: [['aws', 'cloudformation', 'deploy', '--stack-name', 'web', '--template-file', 't.yaml', '--capabilities', 'CAPABILITY_IAM']] });
    assert.deepEqual(result.grants, [`CloudFormationStack: ${CHANGE_SET} on arn:aws:cloudformation:eu-west-1:<account>:stack/web/*`]);
    assert.match(result.notes[0]!, /stack's resources with this role's own permissions/);
    const withRole = infer({ commands: [['aws', 'cloudformation', 'deploy', '--stack-name', 'web', '--template-file', 't.yaml', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/cfn-exec`, '--s3-bucket', 'acme-cfn']] });
    assert.deepEqual(withRole.grants.slice(1), ['ArtifactObjects: s3:GetObject s3:PutObject on arn:aws:s3:::acme-cfn/*', `CloudFormationServiceRole: iam:PassRole on arn:aws:iam::${ACCOUNT}:role/cfn-exec`]);
    assert.deepEqual(withRole.notes, []);
  });

  test('aws cloudfront create-invalidation: the named distribution', () => {
    assert.deepEqual(infer({ commands: [['aws', 'cloudfront', 'create-invalidation', '--distribution-id', 'E2ABC', '--paths', '/*']] }, { account: ACCOUNT }).grants, [`CloudFrontInvalidation: cloudfront:CreateInvalidation cloudfront:GetInvalidation on arn:aws:cloudfront::${ACCOUNT}:distribution/E2ABC`]);
  });

  test('sam deploy: the stack, SAM\'s managed artifact bucket, and the note about the stack\'s resources', () => {
    const result = infer({ commands: [['sam', 'deploy', '--stack-name', 'api', '--resolve-s3', '--capabilities', 'CAPABILITY_IAM', '--no-confirm-changeset']] });
    assert.deepEqual(result.grants, [
      `CloudFormationStack: ${CHANGE_SET} on arn:aws:cloudformation:eu-west-1:<account>:stack/api/*`,
      'SamManagedStack: cloudformation:DescribeStacks on arn:aws:cloudformation:eu-west-1:<account>:stack/aws-sam-cli-managed-default/*',
      'SamArtifactObjects: s3:GetObject s3:PutObject on arn:aws:s3:::aws-sam-cli-managed-default-samclisourcebucket-*/*',
    ]);
    assert.equal(result.notes.length, 1);
  });

  test('cdk deploy (through npx): assume the CDK bootstrap roles, and say so', () => {
    const result = infer({ commands: [['npx', 'cdk', 'deploy', '--all', '--require-approval', 'never']] });
    assert.deepEqual(result.grants, ['CdkBootstrapRoles: sts:AssumeRole on arn:aws:iam::<account>:role/cdk-hnb659fds-*']);
    assert.match(result.notes[0]!, /CDK bootstrap roles/);
  });

  test('terraform plan/apply: no guess, a note', () => {
    for (const words of [['terraform', 'apply', '-auto-approve'], ['terraform', '-chdir=infra', 'plan'], ['tofu', 'apply']]) {
      const result = infer({ commands: [words] });
      assert.deepEqual(result.grants, []);
      assert.match(result.notes[0]!, /permissions of everything the Terraform code manages/);
    }
  });

  test('an AWS command it does not know: the action it would need, in a note', () => {
    assert.deepEqual(infer({ commands: [['aws', 'ssm', 'get-parameter', '--name', '/x']] }), { grants: [], notes: ['`aws ssm get-parameter` is not inferred: grant ssm:GetParameter on what it touches'] });
  });

  test('comments quote commands without what is not a name (a key on the command line stays out)', () => {
    const result = inferAwsPermissions({ commands: [['aws', 's3', 'cp', 'x', 's3://acme-a/x', '--sse-c-key', 'SUPERSECRETVALUE']], actions: [] }, {});
    assert.deepEqual(result.grants.map((g) => g.because), [['aws s3 cp x s3://acme-a/x']]);
  });
});
