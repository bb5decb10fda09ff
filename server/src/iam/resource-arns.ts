/**
 * The resources a scope-down can name instead of `Resource: "*"`: for each Terraform and
 * CloudFormation resource type whose ARN a policy grants on, the service whose actions apply to it
 * and how the file writes its ARNs — the resource itself, and what lies under it (a bucket's
 * objects, a table's indexes). A small reviewed table; its sources:
 * - the ARN formats: the Service Authorization Reference (docs.aws.amazon.com/service-authorization/
 *   latest/reference/), each service's "Resource types defined by" table (s3 `bucket` and `object`,
 *   dynamodb `table` and `index`, logs `log-group` with its `:*` log streams);
 * - Terraform: the AWS provider's documentation of each resource's `arn` attribute
 *   (registry.terraform.io/providers/hashicorp/aws/latest/docs);
 * - CloudFormation: each resource type's "Return values" (`Fn::GetAtt … Arn`; `Ref` where it
 *   returns the ARN: SNS topics, Secrets Manager secrets).
 */

export interface ResourceArns {
  /** The service prefix of the actions that act on it. */
  service: string;
  /** What a title calls several of them: `buckets`, `tables`. */
  plural: string;
  /** Suffixes after the ARN, each one more `Resource` entry (`''` the resource itself, `/*` its objects). */
  suffixes: readonly string[];
}

export const TERRAFORM_RESOURCE_ARNS: Readonly<Record<string, ResourceArns>> = {
  aws_s3_bucket: { service: 's3', plural: 'buckets', suffixes: ['', '/*'] },
  aws_dynamodb_table: { service: 'dynamodb', plural: 'tables', suffixes: ['', '/index/*'] },
  aws_sqs_queue: { service: 'sqs', plural: 'queues', suffixes: [''] },
  aws_sns_topic: { service: 'sns', plural: 'topics', suffixes: [''] },
  aws_kms_key: { service: 'kms', plural: 'keys', suffixes: [''] },
  aws_ecr_repository: { service: 'ecr', plural: 'repositories', suffixes: [''] },
  aws_lambda_function: { service: 'lambda', plural: 'functions', suffixes: [''] },
  aws_secretsmanager_secret: { service: 'secretsmanager', plural: 'secrets', suffixes: [''] },
  aws_ssm_parameter: { service: 'ssm', plural: 'parameters', suffixes: [''] },
  aws_kinesis_stream: { service: 'kinesis', plural: 'streams', suffixes: [''] },
  aws_cloudwatch_log_group: { service: 'logs', plural: 'log groups', suffixes: ['', ':*'] },
};

/** CloudFormation: the same, with how the template names the ARN (`GetAtt X.Arn` or `Ref X`). */
export const CLOUDFORMATION_RESOURCE_ARNS: Readonly<Record<string, ResourceArns & { arn: 'GetAtt' | 'Ref' }>> = {
  'AWS::S3::Bucket': { service: 's3', plural: 'buckets', suffixes: ['', '/*'], arn: 'GetAtt' },
  'AWS::DynamoDB::Table': { service: 'dynamodb', plural: 'tables', suffixes: ['', '/index/*'], arn: 'GetAtt' },
  'AWS::SQS::Queue': { service: 'sqs', plural: 'queues', suffixes: [''], arn: 'GetAtt' },
  'AWS::SNS::Topic': { service: 'sns', plural: 'topics', suffixes: [''], arn: 'Ref' },
  'AWS::KMS::Key': { service: 'kms', plural: 'keys', suffixes: [''], arn: 'GetAtt' },
  'AWS::ECR::Repository': { service: 'ecr', plural: 'repositories', suffixes: [''], arn: 'GetAtt' },
  'AWS::Lambda::Function': { service: 'lambda', plural: 'functions', suffixes: [''], arn: 'GetAtt' },
  'AWS::SecretsManager::Secret': { service: 'secretsmanager', plural: 'secrets', suffixes: [''], arn: 'Ref' },
  'AWS::Kinesis::Stream': { service: 'kinesis', plural: 'streams', suffixes: [''], arn: 'GetAtt' },
};
