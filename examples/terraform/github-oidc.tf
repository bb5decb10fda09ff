# A first attempt at federation: a role that trusts GitHub's OIDC provider (created by hand in the
# console, so it is named by ARN) with no subject and no audience condition: any workflow of any
# repository can assume it, for twelve hours at a time.
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "github_deploy" {
  name                 = "github-deploy"
  max_session_duration = 43200
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "github_deploy" {
  role       = aws_iam_role.github_deploy.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}
