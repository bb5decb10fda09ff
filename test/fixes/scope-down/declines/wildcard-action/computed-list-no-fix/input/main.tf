variable "extra_actions" {
  type    = list(string)
  default = []
}

data "aws_iam_policy_document" "app" {
  statement {
    actions   = concat(["s3:*"], var.extra_actions)
    resources = ["arn:aws:s3:::app-data/*"]
  }
}
