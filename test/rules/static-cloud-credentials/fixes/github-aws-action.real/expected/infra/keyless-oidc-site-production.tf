# Written by Keyless: GitHub Actions OIDC federation for acme/site, environment "production". Job
# "deploy" assumes this role with a short-lived token instead of long-lived access keys.
#
# Needs a person:
# - Review this file, then apply it with terraform apply before the jobs it serves next run
# - The workspace does not show which AWS account holds role gha-site-production: set the repository
#   variable AWS_ACCOUNT_ID to its id

# Assumed by job "deploy" (.github/workflows/aws-action.yml) of acme/site, environment "production"
# through GitHub Actions OIDC, and by nothing else: the trust requires the token's audience and
# subject to be exactly these (StringEquals), and sessions last at most an hour.
resource "aws_iam_role" "gha_site_production" {
  name                 = "gha-site-production"
  description          = "GitHub Actions OIDC for acme/site environment production, written by Keyless"
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
            "token.actions.githubusercontent.com:sub" = "repo:acme/site:environment:production"
          }
        }
      },
    ]
  })
}

# What the job does with AWS, as read from its steps: each statement names the step it serves.
resource "aws_iam_role_policy" "gha_site_production" {
  name = "keyless-inferred"
  role = aws_iam_role.gha_site_production.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # aws s3 sync ./site s3://example-site --delete
      {
        Sid      = "S3ListBucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = ["arn:aws:s3:::example-site"]
      },
      # aws s3 sync ./site s3://example-site --delete
      {
        Sid      = "S3WriteObjects"
        Effect   = "Allow"
        Action   = ["s3:DeleteObject", "s3:PutObject"]
        Resource = ["arn:aws:s3:::example-site/*"]
      }
    ]
  })
}

output "gha_site_production_role_arn" {
  description = "The role CI assumes (role-to-assume / AWS_ROLE_ARN)."
  value       = aws_iam_role.gha_site_production.arn
}
