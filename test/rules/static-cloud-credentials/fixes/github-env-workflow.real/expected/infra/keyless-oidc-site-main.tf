# Written by Keyless: GitHub Actions OIDC federation for acme/site, branch "main". Job "backup"
# assumes this role with a short-lived token instead of long-lived access keys.
#
# Needs a person:
# - Review this file, then apply it with terraform apply before the jobs it serves next run
# - The workspace does not show which AWS account holds role gha-site-main: set the repository
#   variable AWS_ACCOUNT_ID to its id

# Assumed by job "backup" (.github/workflows/env-workflow.yml) of acme/site, branch "main" through
# GitHub Actions OIDC, and by nothing else: the trust requires the token's audience and subject to
# be exactly these (StringEquals), and sessions last at most an hour.
resource "aws_iam_role" "gha_site_main" {
  name                 = "gha-site-main"
  description          = "GitHub Actions OIDC for acme/site branch main, written by Keyless"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
            "token.actions.githubusercontent.com:sub" = "repo:acme/site:ref:refs/heads/main"
          }
        }
      },
    ]
  })
}

# What the job does with AWS, as read from its steps: each statement names the step it serves.
resource "aws_iam_role_policy" "gha_site_main" {
  name = "keyless-inferred"
  role = aws_iam_role.gha_site_main.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # aws s3 sync s3://prod s3://backup
      {
        Sid      = "S3ListBucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = ["arn:aws:s3:::prod", "arn:aws:s3:::backup"]
      },
      # aws s3 sync s3://prod s3://backup
      {
        Sid      = "S3ReadObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:aws:s3:::prod/*"]
      },
      # aws s3 sync s3://prod s3://backup
      {
        Sid      = "S3WriteObjects"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = ["arn:aws:s3:::backup/*"]
      }
    ]
  })
}

output "gha_site_main_role_arn" {
  description = "The role CI assumes (role-to-assume / AWS_ROLE_ARN)."
  value       = aws_iam_role.gha_site_main.arn
}
