# Written by Keyless: GitHub Actions OIDC federation with Microsoft Entra ID for acme/site,
# environment "production". Job "login" signs in with a short-lived token instead of a client
# secret.
#
# Needs a person:
# - Review this file, then apply it with terraform apply before the jobs it serves next run
# - Set the repository variables AZURE_CLIENT_ID (the output client_id), AZURE_TENANT_ID and
#   AZURE_SUBSCRIPTION_ID: they are not secrets
# - The new application has no role assignments: grant its service principal what the job needs
#   (azurerm_role_assignment); Keyless does not infer Azure permissions

# The application the job signs in as, and its service principal (what role assignments name).
resource "azuread_application" "gha_site_production" {
  display_name = "gha-site-production"
}

resource "azuread_service_principal" "gha_site_production" {
  client_id = azuread_application.gha_site_production.client_id
}

# Lets job "login" (.github/workflows/azure.yml) of acme/site, environment "production" sign in, and
# nothing else: Entra ID matches the token's issuer, audience and subject exactly.
resource "azuread_application_federated_identity_credential" "gha_site_production" {
  application_id = azuread_application.gha_site_production.id
  display_name   = "gha-site-production"
  audiences      = ["api://AzureADTokenExchange"]
  issuer         = "https://token.actions.githubusercontent.com"
  subject        = "repo:acme/site:environment:production"
}

output "gha_site_production_client_id" {
  description = "client-id for azure/login (AZURE_CLIENT_ID)."
  value       = azuread_application.gha_site_production.client_id
}
