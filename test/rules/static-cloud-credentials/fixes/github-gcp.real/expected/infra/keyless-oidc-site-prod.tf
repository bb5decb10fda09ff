# Written by Keyless: GitHub Actions workload identity federation for acme/site, environment "prod".
# Job "deploy" impersonates the service account with a short-lived token instead of a
# service-account key.
#
# Needs a person:
# - Review this file, then apply it with terraform apply before the jobs it serves next run
# - Keyless does not infer Google Cloud permissions: the service account keeps the roles it has (a
#   new one has none); grant it what the job needs
# - Set the repository variable GCP_PROJECT_NUMBER to the project number (the output
#   workload_identity_provider shows the full provider name)
# - Set the repository variable GCP_PROJECT_ID to the project id (the output service_account shows
#   it)

# A pool for GitHub Actions identities; its providers decide which tokens get in.
resource "google_iam_workload_identity_pool" "github" {
  workload_identity_pool_id = "github-actions"
  display_name              = "GitHub Actions"
}

# Accepts tokens of acme/site only (attribute_condition); which of its workflows may act is decided
# by the bindings.
resource "google_iam_workload_identity_pool_provider" "gh_site" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "gh-site"
  display_name                       = "GitHub acme/site"
  attribute_condition                = "assertion.repository == 'acme/site'"
  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
  }
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

# The identity the job acts as. It has no roles yet: grant it what the job needs.
resource "google_service_account" "gha_site_prod" {
  account_id   = "gha-site-prod"
  display_name = "GitHub Actions: site prod"
}

# Lets job "deploy" (.github/workflows/gcp.yml) of acme/site, environment "prod" impersonate the
# service account, and nothing else: the member is the token's exact subject.
resource "google_service_account_iam_member" "gha_site_prod" {
  service_account_id = google_service_account.gha_site_prod.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/subject/repo:acme/site:environment:prod"
}

output "gha_site_prod_workload_identity_provider" {
  description = "workload_identity_provider for google-github-actions/auth (or the audience of a GitLab id_token)."
  value       = google_iam_workload_identity_pool_provider.gh_site.name
}

output "gha_site_prod_service_account" {
  description = "The service account the job impersonates."
  value       = google_service_account.gha_site_prod.email
}
