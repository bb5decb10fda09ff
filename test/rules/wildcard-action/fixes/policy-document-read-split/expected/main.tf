resource "aws_sqs_queue" "jobs" {}

data "aws_iam_policy_document" "worker" {
  statement {
    actions   = [
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ListDeadLetterSourceQueues",
      "sqs:ListMessageMoveTasks",
      "sqs:ListQueueTags",
      "sqs:ListQueues",
      "sqs:ReceiveMessage"
    ]
    resources = ["*"]
  }
  statement {
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage"] # the worker loop
    resources = ["*"]
  }
}
