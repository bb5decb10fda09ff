# The role CI assumes.
resource "aws_iam_role" "ci" {
  name                 = "ci"
  max_session_duration = 43200 # twelve hours, for the nightly export
  assume_role_policy   = data.aws_iam_policy_document.trust.json
}
