# Written by Keyless: GitHub Actions' OIDC identity provider: one per AWS account, shared by the
# roles Keyless writes beside it (keyless-oidc-*). Their trusts name it; it admits no one by itself.
#
# Needs a person:
# - Review this file, then apply it with terraform apply before the jobs it serves next run

# GitHub Actions' OIDC identity provider: one per issuer and account. No thumbprint_list: AWS
# validates the tokens of GitHub and GitLab through its library of trusted root certificate
# authorities, and fetches a thumbprint itself for other issuers.
resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}
