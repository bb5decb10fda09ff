# The site deploy role's permissions; the bucket is in site.tf.
resource "aws_iam_role_policy" "deploy" {
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
      Resource = [aws_s3_bucket.site.arn, "${aws_s3_bucket.site.arn}/*"] # kept: a comment the fix leaves in place
    }]
  })
}
