# Written by Keyless: GitHub Actions OIDC federation for acme/site, environment "staging". Job
# "plan" assumes this role with a short-lived token instead of long-lived access keys.
#
# Needs a person:
# - Review this file, then apply it with terraform apply before the jobs it serves next run
# - `terraform plan` needs the permissions of everything the Terraform code manages (and its state
#   backend): Keyless does not guess them; grant them to the role
# - The workspace does not show which AWS account holds role gha-site-staging: set the repository
#   variable AWS_ACCOUNT_ID to its id

# Assumed by job "plan" (.github/workflows/env-workflow.yml) of acme/site, environment "staging"
# through GitHub Actions OIDC, and by nothing else: the trust requires the token's audience and
# subject to be exactly these (StringEquals), and sessions last at most an hour.
resource "aws_iam_role" "gha_site_staging" {
  name                 = "gha-site-staging"
  description          = "GitHub Actions OIDC for acme/site environment staging, written by Keyless"
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
            "token.actions.githubusercontent.com:sub" = "repo:acme/site:environment:staging"
          }
        }
      },
    ]
  })
}

output "gha_site_staging_role_arn" {
  description = "The role CI assumes (role-to-assume / AWS_ROLE_ARN)."
  value       = aws_iam_role.gha_site_staging.arn
}
