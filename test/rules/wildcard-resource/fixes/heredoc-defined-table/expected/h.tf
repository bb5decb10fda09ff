resource "aws_dynamodb_table" "t" {
  name = "t"
}
resource "aws_iam_role_policy" "p" {
  role = "r"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["dynamodb:PutItem", "dynamodb:Query"],
      "Resource": ["${aws_dynamodb_table.t.arn}", "${aws_dynamodb_table.t.arn}/index/*"]
    }
  ]
}
EOF
}
