import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registryAddress } from '../../../server/src/dialects/terraform/key-modules';

test('module sources reduce to one registry address, whatever form Terraform is given', () => {
  const iamUser = 'terraform-aws-modules/iam/aws//modules/iam-user';
  for (const source of [
    'terraform-aws-modules/iam/aws//modules/iam-user',
    'registry.terraform.io/terraform-aws-modules/iam/aws//modules/iam-user',
    'Terraform-AWS-Modules/IAM/AWS//modules/iam-user/',
    'github.com/terraform-aws-modules/terraform-aws-iam//modules/iam-user',
    'git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-user?ref=v5.39.0',
    'git@github.com:terraform-aws-modules/terraform-aws-iam.git//modules/iam-user?ref=v6.0.0',
  ]) assert.equal(registryAddress(source), iamUser, source);
  assert.equal(registryAddress('git::ssh://git@github.com/cloudposse/terraform-aws-iam-system-user.git?ref=1.2.1'), 'cloudposse/iam-system-user/aws');
  assert.equal(registryAddress('https://github.com/cloudposse/terraform-aws-iam-s3-user'), 'cloudposse/iam-s3-user/aws');
  // Another module of the same repository, and a local path, are other addresses.
  assert.equal(registryAddress('terraform-aws-modules/iam/aws//modules/iam-assumable-role'), 'terraform-aws-modules/iam/aws//modules/iam-assumable-role');
  assert.equal(registryAddress('./modules/iam-user'), './modules/iam-user');
});
