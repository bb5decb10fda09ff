resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_iam_policy" "ci" {
  name = "ci"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # reads the logs
        Effect   = "Allow"
        Action   = "s3:GetObject*"
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = "*"
      },
    ]
  })
}
