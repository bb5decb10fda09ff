# The service account a CI pipeline deploys with, granted what was quickest: the basic Editor role
# on the whole project, and the right to act as every service account in it.
resource "google_service_account" "deployer" {
  project    = "acme-prod"
  account_id = "ci-deployer"
}

resource "google_project_iam_member" "deployer_editor" {
  project = "acme-prod"
  role    = "roles/editor"
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_project_iam_member" "deployer_act_as" {
  project = "acme-prod"
  role    = "roles/iam.serviceAccountUser"
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

# Scoped as it should be: write images to one repository.
resource "google_artifact_registry_repository_iam_member" "deployer_push" {
  project    = "acme-prod"
  location   = "europe-west1"
  repository = "images"
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.deployer.email}"
}
