# Terraform that authenticates with static keys and mints more of them.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = var.aws_secret_key
}

variable "aws_secret_key" {
  type      = string
  sensitive = true
}

resource "aws_iam_user" "ci" {
  name = "ci-deployer"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

resource "google_service_account_key" "exporter" {
  service_account_id = "projects/example/serviceAccounts/exporter@example.iam.gserviceaccount.com"
}
