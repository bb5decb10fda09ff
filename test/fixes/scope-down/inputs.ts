/**
 * Small workspaces, one per syntax a statement is written in, for the scope-down tests: each a map
 * of path → text, the first path the file whose statements are fixed.
 */
export const WORKSPACES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  jsonencode: {
    'infra/iam.tf': `resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_iam_policy" "ci" {
  name = "ci"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # reads the logs
        Effect   = "Allow"
        Action   = "s3:GetObject*"
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = "*"
      },
    ]
  })
}
`,
  },
  'policy-document': {
    'main.tf': `resource "aws_sqs_queue" "jobs" {}

data "aws_iam_policy_document" "worker" {
  statement {
    actions   = ["sqs:*"]
    resources = ["*"]
  }
  statement {
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage"] # the worker loop
    resources = ["*"]
  }
}
`,
  },
  heredoc: {
    'h.tf': `resource "aws_dynamodb_table" "t" {
  name = "t"
}
resource "aws_iam_role_policy" "p" {
  role = "r"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["dynamodb:PutItem", "dynamodb:Query"],
      "Resource": "*"
    }
  ]
}
EOF
}
`,
  },
  'cloudformation-yaml': {
    'template.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Artifacts:
    Type: AWS::S3::Bucket
  CiPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action:
              - s3:PutObject
              - s3:GetObject
            Resource: "*"
          - Effect: Allow
            Action: sqs:*
            Resource: "*"
`,
  },
  'cloudformation-json': {
    'stack.json': `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Topic": { "Type": "AWS::SNS::Topic" },
    "P": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "p",
        "Roles": ["r"],
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            { "Effect": "Allow", "Action": ["sns:Publish"], "Resource": "*" }
          ]
        }
      }
    }
  }
}
`,
  },
  'policy-file': {
    'ci.policy.json': `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::artifacts/*" },
    { "Effect": "Allow", "Action": ["s3:PutObject"], "Resource": "*" },
    { "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*" }
  ]
}
`,
  },
};
