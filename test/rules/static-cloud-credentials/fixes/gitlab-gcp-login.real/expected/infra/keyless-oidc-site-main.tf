# Written by Keyless: GitLab CI workload identity federation for acme/platform/site, branch "main".
# Job "deploy-gcp" impersonates the service account with a short-lived token instead of a
# service-account key.
#
# Needs a person:
# - Review this file, then apply it with terraform apply before the jobs it serves next run
# - Keyless does not infer Google Cloud permissions: the service account keeps the roles it has (a
#   new one has none); grant it what the job needs
# - Set the CI/CD variable GCP_PROJECT_NUMBER to the project number (the output
#   workload_identity_provider shows the full provider name); the job's id_tokens must request the
#   provider's full name as its audience: `aud:
#   https://iam.googleapis.com/<workload_identity_provider>`
# - Set the CI/CD variable GCP_PROJECT_ID to the project id (the output service_account shows it)

# A pool for GitLab CI identities; its providers decide which tokens get in.
resource "google_iam_workload_identity_pool" "gitlab" {
  workload_identity_pool_id = "gitlab-ci"
  display_name              = "GitLab CI"
}

# Accepts tokens of acme/platform/site for this branch only (attribute_condition).
resource "google_iam_workload_identity_pool_provider" "gl_site_main" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.gitlab.workload_identity_pool_id
  workload_identity_pool_provider_id = "gl-site-main"
  display_name                       = "GitLab acme/platform/site"
  attribute_condition                = "assertion.sub == 'project_path:acme/platform/site:ref_type:branch:ref:main'"
  attribute_mapping = {
    "google.subject"         = "assertion.sub"
    "attribute.project_path" = "assertion.project_path"
  }
  oidc {
    issuer_uri = "https://gitlab.com"
  }
}

# The identity the job acts as. It has no roles yet: grant it what the job needs.
resource "google_service_account" "gitlab_site_main" {
  account_id   = "gitlab-site-main"
  display_name = "GitLab CI: site main"
}

# Lets job "deploy-gcp" (.gitlab-ci.yml) of acme/platform/site, branch "main" impersonate the
# service account, and nothing else: the member is the token's exact subject.
resource "google_service_account_iam_member" "gitlab_site_main" {
  service_account_id = google_service_account.gitlab_site_main.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.gitlab.name}/subject/project_path:acme/platform/site:ref_type:branch:ref:main"
}

output "gitlab_site_main_workload_identity_provider" {
  description = "workload_identity_provider for google-github-actions/auth (or the audience of a GitLab id_token)."
  value       = google_iam_workload_identity_pool_provider.gl_site_main.name
}

output "gitlab_site_main_service_account" {
  description = "The service account the job impersonates."
  value       = google_service_account.gitlab_site_main.email
}
