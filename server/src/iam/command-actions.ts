/**
 * What the commands and actions of a CI job call in AWS: the IAM actions of each, grouped into the
 * statements Keyless proposes (a statement id saying what it is for, and its actions). Which
 * resource each statement is pinned to is read from the command line by `least-privilege.ts`;
 * the rows here say which kind of resource that is.
 *
 * Sources: the action an API operation is authorized by, from the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html);
 * the API operations a CLI command makes, from the AWS CLI v2 command reference
 * (https://awscli.amazonaws.com/v2/documentation/api/latest/reference/index.html); per table below,
 * the guide or README that lists a tool's permissions.
 */

/** A statement template: the id that says what it is for, and the actions it allows. */
export interface Permission {
  sid: string;
  actions: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Statements shared by several commands and actions

/**
 * ECR: the login token (on `*`: it names no repository), pushing and pulling images. Source: the
 * ECR User Guide, "IAM permissions for pushing an image"
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html), and the
 * aws-actions/amazon-ecr-login README, "Permissions" (push and pull policies of ECR Private).
 */
export const ECR_LOGIN: Permission = { sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'] };
export const ECR_PUSH: Permission = {
  sid: 'EcrPush',
  actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
};
export const ECR_PULL: Permission = { sid: 'EcrPull', actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] };

/**
 * ECS: registering a task definition (on `*`: task definitions take no resource in
 * `RegisterTaskDefinition`), passing its roles to ECS tasks, deploying to a service. Source: the
 * aws-actions/amazon-ecs-deploy-task-definition README, "Permissions", and the ECS Developer
 * Guide on `iam:PassRole` for task roles
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
 */
export const ECS_DESCRIBE_TASK_DEFINITION: Permission = { sid: 'EcsDescribeTaskDefinition', actions: ['ecs:DescribeTaskDefinition'] };
export const ECS_REGISTER_TASK_DEFINITION: Permission = { sid: 'EcsRegisterTaskDefinition', actions: ['ecs:RegisterTaskDefinition'] };
export const ECS_PASS_TASK_ROLES: Permission = { sid: 'EcsPassTaskRoles', actions: ['iam:PassRole'] };
/** The service `iam:PassRole` is limited to when the task roles are not named (`iam:PassedToService`). */
export const ECS_TASKS_SERVICE = 'ecs-tasks.amazonaws.com';
export const ECS_DEPLOY_SERVICE: Permission = { sid: 'EcsService', actions: ['ecs:DescribeServices', 'ecs:UpdateService'] };
export const ECS_DESCRIBE_SERVICES: Permission = { sid: 'EcsService', actions: ['ecs:DescribeServices'] };

/**
 * CloudFormation: a deploy through a change set (`aws cloudformation deploy`, `sam deploy`: create
 * the change set, wait for it, execute it, wait for the stack), and the GitHub action, which also
 * deletes an empty change set; passing a service role. Source: the CLI reference of
 * `cloudformation deploy`, the aws-actions/aws-cloudformation-github-deploy README, and the
 * CloudFormation User Guide on service roles
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).
 */
export const CHANGE_SET_DEPLOY: Permission = {
  sid: 'CloudFormationStack',
  actions: ['cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStacks', 'cloudformation:ExecuteChangeSet', 'cloudformation:GetTemplateSummary'],
};
export const CHANGE_SET_DEPLOY_ACTION: Permission = { sid: 'CloudFormationStack', actions: [...CHANGE_SET_DEPLOY.actions, 'cloudformation:DeleteChangeSet'] };
export const CLOUDFORMATION_SERVICE_ROLE: Permission = { sid: 'CloudFormationServiceRole', actions: ['iam:PassRole'] };
/** The artifact bucket a deploy uploads its template and code to (`--s3-bucket`). */
export const ARTIFACT_OBJECTS: Permission = { sid: 'ArtifactObjects', actions: ['s3:GetObject', 's3:PutObject'] };

/** S3 buckets and objects, as the `aws s3` commands use them. Source: the CLI reference of `aws s3`. */
export const S3_LIST_BUCKET: Permission = { sid: 'S3ListBucket', actions: ['s3:ListBucket'] };
export const S3_LIST_BUCKETS: Permission = { sid: 'S3ListBuckets', actions: ['s3:ListAllMyBuckets'] };
export const S3_DELETE_OBJECTS: Permission = { sid: 'S3DeleteObjects', actions: ['s3:DeleteObject'] };
/** Asked for when `--sse aws:kms` or `--sse-kms-key-id` encrypts what is written (its key is not in the job). */
export const S3_KMS_ACTION = 'kms:GenerateDataKey';

/** A Lambda function's code object, read when `--s3-bucket` and `--s3-key` name it. */
export const LAMBDA_CODE_OBJECT: Permission = { sid: 'LambdaCodeObject', actions: ['s3:GetObject'] };

/**
 * SAM's own artifact stack and bucket, when `sam deploy --resolve-s3` manages them (the stack
 * `aws-sam-cli-managed-default`). Source: the SAM CLI reference of `sam deploy`.
 */
export const SAM_MANAGED_STACK: Permission = { sid: 'SamManagedStack', actions: ['cloudformation:DescribeStacks'] };
export const SAM_ARTIFACT_OBJECTS: Permission = { sid: 'SamArtifactObjects', actions: ['s3:GetObject', 's3:PutObject'] };
export const SAM_MANAGED_STACK_NAME = 'aws-sam-cli-managed-default';
export const SAM_MANAGED_BUCKET_PATTERN = 'aws-sam-cli-managed-default-samclisourcebucket-*';

/**
 * `cdk deploy` works through the roles `cdk bootstrap` made (`cdk-<qualifier>-deploy-role-…`, the
 * default qualifier `hnb659fds`): the job's role only assumes them. Source: the CDK Developer
 * Guide, "Bootstrapping" (https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html).
 */
export const CDK_BOOTSTRAP_ROLES: Permission = { sid: 'CdkBootstrapRoles', actions: ['sts:AssumeRole'] };
export const CDK_DEFAULT_QUALIFIER = 'hnb659fds';

// ---------------------------------------------------------------------------------------------
// The AWS CLI, one row per `service operation`

/**
 * What an AWS CLI operation calls, and the kind of resource its statement is pinned to (read from
 * the command line by the named options).
 */
export type AwsCliOperation =
  /** Needs no grant: `sts get-caller-identity` is allowed to every caller, the web-identity exchange is the login itself. */
  | { on: 'nothing' }
  /** On `*`: the action takes no resource. */
  | { on: 'any'; grant: Permission }
  /**
   * Objects between S3 URLs and local paths: a source's objects read (its bucket listed when
   * `recursive` or `--recursive`), a destination's written (its bucket listed when
   * `listsDestination`); `writeWithOption` adds actions to the writes when an option is given.
   */
  | { on: 's3-transfer'; read: Permission; write: Permission; writeWithOption: Readonly<Record<string, readonly string[]>>; recursive: boolean; listsDestination: boolean }
  /** The objects under one S3 URL; its bucket listed too with `--recursive`. */
  | { on: 's3-objects'; grant: Permission }
  /** The listing of the bucket an S3 URL names; of every bucket (`withoutUrl`) when none is given. */
  | { on: 's3-listing'; grant: Permission; withoutUrl: Permission }
  /** ECS services: `--service` (one) or `--services` (a list, when `several`), in `--cluster` (`default` without it). */
  | { on: 'ecs-service'; grant: Permission; several: boolean }
  /** Registers a task definition (on `*`) and passes its `--task-role-arn` and `--execution-role-arn`. */
  | { on: 'task-definition'; grant: Permission }
  /** A Lambda function, `--function-name`; its code object read from `--s3-bucket` and `--s3-key`. */
  | { on: 'lambda-function'; grant: Permission; withOption?: Readonly<Record<string, readonly string[]>> }
  /**
   * A CloudFormation stack, `--stack-name`. `artifacts`: it uploads to `--s3-bucket`.
   * `passesServiceRole`: it creates or updates the stack's resources, with the service role
   * `--role-arn` passes or else with the caller's own permissions.
   */
  | { on: 'stack'; grant: Permission; artifacts?: true; passesServiceRole?: true }
  /** A CloudFront distribution, `--distribution-id`. */
  | { on: 'distribution'; grant: Permission };

const S3_OBJECT_ACL = { '--acl': ['s3:PutObjectAcl'], '--grants': ['s3:PutObjectAcl'] };
const LAMBDA = (actions: readonly string[], withOption?: Readonly<Record<string, readonly string[]>>): AwsCliOperation => ({
  on: 'lambda-function',
  grant: { sid: 'LambdaFunction', actions },
  ...(withOption ? { withOption } : {}),
});
const STACK = (actions: readonly string[], passesServiceRole?: true): AwsCliOperation => ({
  on: 'stack',
  grant: { sid: 'CloudFormationStack', actions },
  ...(passesServiceRole ? { passesServiceRole } : {}),
});
const INVALIDATION = (actions: readonly string[]): AwsCliOperation => ({ on: 'distribution', grant: { sid: 'CloudFrontInvalidation', actions } });

/**
 * The AWS CLI operations whose permissions are inferred, by `service operation`. An operation
 * that is not here becomes a note naming the action it most likely needs (`service:Operation`).
 */
export const AWS_CLI_OPERATIONS: Readonly<Record<string, AwsCliOperation>> = {
  's3 cp': { on: 's3-transfer', read: { sid: 'S3ReadObjects', actions: ['s3:GetObject'] }, write: { sid: 'S3WriteObjects', actions: ['s3:PutObject'] }, writeWithOption: S3_OBJECT_ACL, recursive: false, listsDestination: false },
  // A move deletes what it read.
  's3 mv': { on: 's3-transfer', read: { sid: 'S3ReadObjects', actions: ['s3:GetObject', 's3:DeleteObject'] }, write: { sid: 'S3WriteObjects', actions: ['s3:PutObject'] }, writeWithOption: S3_OBJECT_ACL, recursive: false, listsDestination: false },
  // A sync lists both sides to compare them, and `--delete` removes what the source lacks.
  's3 sync': {
    on: 's3-transfer',
    read: { sid: 'S3ReadObjects', actions: ['s3:GetObject'] },
    write: { sid: 'S3WriteObjects', actions: ['s3:PutObject'] },
    writeWithOption: { '--delete': ['s3:DeleteObject'], ...S3_OBJECT_ACL },
    recursive: true,
    listsDestination: true,
  },
  's3 rm': { on: 's3-objects', grant: S3_DELETE_OBJECTS },
  's3 ls': { on: 's3-listing', grant: S3_LIST_BUCKET, withoutUrl: S3_LIST_BUCKETS },
  'ecr get-login-password': { on: 'any', grant: ECR_LOGIN },
  'ecs update-service': { on: 'ecs-service', grant: ECS_DEPLOY_SERVICE, several: false },
  'ecs describe-services': { on: 'ecs-service', grant: ECS_DESCRIBE_SERVICES, several: true },
  'ecs wait': { on: 'ecs-service', grant: ECS_DESCRIBE_SERVICES, several: true },
  'ecs register-task-definition': { on: 'task-definition', grant: ECS_REGISTER_TASK_DEFINITION },
  'lambda update-function-code': LAMBDA(['lambda:UpdateFunctionCode'], { '--publish': ['lambda:PublishVersion'] }),
  'lambda update-function-configuration': LAMBDA(['lambda:UpdateFunctionConfiguration']),
  'lambda publish-version': LAMBDA(['lambda:PublishVersion']),
  'lambda get-function': LAMBDA(['lambda:GetFunction']),
  'lambda get-function-configuration': LAMBDA(['lambda:GetFunctionConfiguration']),
  'lambda invoke': LAMBDA(['lambda:InvokeFunction']),
  'lambda update-alias': LAMBDA(['lambda:UpdateAlias']),
  // `aws lambda wait function-updated` and its kin poll GetFunction or GetFunctionConfiguration.
  'lambda wait': LAMBDA(['lambda:GetFunction', 'lambda:GetFunctionConfiguration']),
  'cloudformation deploy': { on: 'stack', grant: CHANGE_SET_DEPLOY, artifacts: true, passesServiceRole: true },
  // Each waits on the stack afterwards, or reads it: DescribeStacks with every one.
  'cloudformation create-stack': STACK(['cloudformation:CreateStack', 'cloudformation:DescribeStacks'], true),
  'cloudformation update-stack': STACK(['cloudformation:UpdateStack', 'cloudformation:DescribeStacks'], true),
  'cloudformation delete-stack': STACK(['cloudformation:DeleteStack', 'cloudformation:DescribeStacks']),
  'cloudformation describe-stacks': STACK(['cloudformation:DescribeStacks']),
  'cloudformation create-change-set': STACK(['cloudformation:CreateChangeSet', 'cloudformation:DescribeStacks'], true),
  'cloudformation execute-change-set': STACK(['cloudformation:ExecuteChangeSet', 'cloudformation:DescribeStacks']),
  'cloudformation describe-change-set': STACK(['cloudformation:DescribeChangeSet', 'cloudformation:DescribeStacks']),
  'cloudfront create-invalidation': INVALIDATION(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']),
  'cloudfront get-invalidation': INVALIDATION(['cloudfront:GetInvalidation']),
  'cloudfront wait': INVALIDATION(['cloudfront:GetInvalidation']),
  'sts get-caller-identity': { on: 'nothing' },
  'sts assume-role-with-web-identity': { on: 'nothing' },
};

/** The row of `aws SERVICE OPERATION`, if its permissions are inferred. */
export function awsCliOperation(service: string, operation: string): AwsCliOperation | undefined {
  const key = `${service} ${operation}`;
  return Object.hasOwn(AWS_CLI_OPERATIONS, key) ? AWS_CLI_OPERATIONS[key] : undefined;
}
