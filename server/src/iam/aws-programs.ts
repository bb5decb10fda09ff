/**
 * Programs that call AWS with whatever credentials their environment holds (the default
 * credential chain of the AWS SDKs and CLI: `AWS_ACCESS_KEY_ID`, `AWS_WEB_IDENTITY_TOKEN_FILE`, …),
 * by the name a CI script runs them under. A job that runs one needs AWS credentials; one that
 * runs none of them (and no `aws-actions/*` action) does not.
 *
 * Read from each tool's documentation of how it finds credentials: the AWS CLI and SAM CLI, the
 * CDK (`cdk`, `aws-cdk` as npm names it, `cdklocal` its LocalStack wrapper) and CDK for Terraform
 * (`cdktf`), Terraform, OpenTofu and Terragrunt with the AWS provider, Pulumi, Packer's Amazon
 * builders, the Serverless Framework (`serverless`, `sls`), eksctl, AWS Copilot, the ECS CLI,
 * Chalice and Zappa. The multi-cloud ones (Terraform, Pulumi, …) count for AWS too: the job may
 * use the AWS provider, and a missing credential fails where an extra one does not.
 */
export const AWS_PROGRAMS: ReadonlySet<string> = new Set([
  'aws',
  'sam',
  'cdk',
  'aws-cdk',
  'cdklocal',
  'cdktf',
  'terraform',
  'terragrunt',
  'tofu',
  'pulumi',
  'packer',
  'serverless',
  'sls',
  'eksctl',
  'copilot',
  'ecs-cli',
  'chalice',
  'zappa',
]);
