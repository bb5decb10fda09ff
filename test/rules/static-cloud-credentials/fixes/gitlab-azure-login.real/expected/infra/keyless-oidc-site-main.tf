# Written by Keyless: GitLab CI OIDC federation with Microsoft Entra ID for acme/platform/site,
# branch "main". Job "deploy-azure" signs in with a short-lived token instead of a client secret.
#
# Needs a person:
# - Review this file, then apply it with terraform apply before the jobs it serves next run
# - Set the CI/CD variables AZURE_CLIENT_ID (the output client_id), AZURE_TENANT_ID and
#   AZURE_SUBSCRIPTION_ID: they are not secrets
# - The new application has no role assignments: grant its service principal what the job needs
#   (azurerm_role_assignment); Keyless does not infer Azure permissions

# The application the job signs in as, and its service principal (what role assignments name).
resource "azuread_application" "gitlab_site_main" {
  display_name = "gitlab-site-main"
}

resource "azuread_service_principal" "gitlab_site_main" {
  client_id = azuread_application.gitlab_site_main.client_id
}

# Lets job "deploy-azure" (.gitlab-ci.yml) of acme/platform/site, branch "main" sign in, and nothing
# else: Entra ID matches the token's issuer, audience and subject exactly.
resource "azuread_application_federated_identity_credential" "gitlab_site_main" {
  application_id = azuread_application.gitlab_site_main.id
  display_name   = "gitlab-site-main"
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://gitlab.com"
  subject        = "project_path:acme/platform/site:ref_type:branch:ref:main"
}

output "gitlab_site_main_client_id" {
  description = "client-id for azure/login (AZURE_CLIENT_ID)."
  value       = azuread_application.gitlab_site_main.client_id
}
