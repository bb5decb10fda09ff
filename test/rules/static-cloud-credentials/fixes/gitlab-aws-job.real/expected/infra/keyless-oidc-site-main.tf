# Written by Keyless: GitLab CI OIDC federation for acme/platform/site, branch "main". Job "deploy"
# assumes this role with a short-lived token instead of long-lived access keys.
#
# Needs a person:
# - Review this file, then apply it with terraform apply before the jobs it serves next run
# - The workspace does not show which AWS account holds role gitlab-site-main: set the CI/CD
#   variable AWS_ACCOUNT_ID to its id

# Assumed by job "deploy" (.gitlab-ci.yml) of acme/platform/site, branch "main" through GitLab CI
# OIDC, and by nothing else: the trust requires the token's audience and subject to be exactly these
# (StringEquals), and sessions last at most an hour.
resource "aws_iam_role" "gitlab_site_main" {
  name                 = "gitlab-site-main"
  description          = "GitLab CI OIDC for acme/platform/site branch main, written by Keyless"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Federated = aws_iam_openid_connect_provider.gitlab.arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "gitlab.com:aud" = "https://gitlab.com"
            "gitlab.com:sub" = "project_path:acme/platform/site:ref_type:branch:ref:main"
          }
        }
      },
    ]
  })
}

# What the job does with AWS, as read from its steps: each statement names the step it serves.
resource "aws_iam_role_policy" "gitlab_site_main" {
  name = "keyless-inferred"
  role = aws_iam_role.gitlab_site_main.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # aws s3 sync public s3://example-site
      {
        Sid      = "S3ListBucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = ["arn:aws:s3:::example-site"]
      },
      # aws s3 sync public s3://example-site
      {
        Sid      = "S3WriteObjects"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = ["arn:aws:s3:::example-site/*"]
      }
    ]
  })
}

output "gitlab_site_main_role_arn" {
  description = "The role CI assumes (role-to-assume / AWS_ROLE_ARN)."
  value       = aws_iam_role.gitlab_site_main.arn
}
