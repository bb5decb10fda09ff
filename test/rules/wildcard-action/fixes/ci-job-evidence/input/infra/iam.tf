resource "aws_iam_role" "deploy" {
  name               = "site-deploy"
  assume_role_policy = data.aws_iam_policy_document.github.json
}

resource "aws_iam_role_policy" "deploy" {
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "s3:*" # the site bucket
        Resource = ["arn:aws:s3:::example-site", "arn:aws:s3:::example-site/*"]
      },
    ]
  })
}
