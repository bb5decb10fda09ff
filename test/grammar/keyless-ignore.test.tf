# SYNTAX TEST "source.terraform" "keyless-ignore suppressions injected into Terraform comments"

# keyless-ignore provider-static-credentials, long-lived-key: legacy account, moving to OIDC in Q3
# <- comment.line.number-sign.terraform punctuation.definition.comment.terraform
# ^^^^^^^^^^^^^^ comment.line.number-sign.terraform meta.suppression.keyless keyword.other.keyless-ignore.keyless
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.terraform meta.suppression.keyless constant.other.rule-id.keyless
#                                           ^ meta.suppression.keyless punctuation.separator.comma.keyless
#                                             ^^^^^^^^^^^^^^ meta.suppression.keyless constant.other.rule-id.keyless
#                                                           ^ meta.suppression.keyless punctuation.separator.reason.keyless
#                                                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.terraform meta.suppression.keyless comment.line.reason.keyless
provider "aws" { # keyless-ignore provider-static-credentials: a trailing comment on the finding's line
#              ^ meta.block.terraform punctuation.section.block.begin.terraform - comment.line.number-sign.terraform
#                  ^^^^^^^^^^^^^^ meta.block.terraform comment.line.number-sign.terraform meta.suppression.keyless keyword.other.keyless-ignore.keyless
#                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^ constant.other.rule-id.keyless
#                                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.reason.keyless
  access_key = var.access_key // keyless-ignore hardcoded-secret: not a literal, kept for the example
#                             ^^ comment.line.double-slash.terraform punctuation.definition.comment.terraform
#                                ^^^^^^^^^^^^^^ comment.line.double-slash.terraform meta.suppression.keyless keyword.other.keyless-ignore.keyless
#                                               ^^^^^^^^^^^^^^^^ comment.line.double-slash.terraform constant.other.rule-id.keyless
#                                                               ^ punctuation.separator.reason.keyless
#                                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.terraform comment.line.reason.keyless
  secret_key = var.secret_key #keyless-ignore long-lived-key,hardcoded-secret
# ^^^^^^^^^^ meta.block.terraform variable.other.property.terraform - meta.suppression.keyless
#                              ^^^^^^^^^^^^^^ keyword.other.keyless-ignore.keyless
#                                             ^^^^^^^^^^^^^^ constant.other.rule-id.keyless
#                                                           ^ punctuation.separator.comma.keyless
#                                                            ^^^^^^^^^^^^^^^^ constant.other.rule-id.keyless
}

# Not suppressions, so not highlighted: no rule id, words after the ids without ":", another
# word that starts the same, a block comment, a string.
# keyless-ignore
# ^^^^^^^^^^^^^^ comment.line.number-sign.terraform - keyword.other.keyless-ignore.keyless
# keyless-ignore hardcoded-secret because reasons
# ^^^^^^^^^^^^^^ comment.line.number-sign.terraform - meta.suppression.keyless
#                ^^^^^^^^^^^^^^^^ comment.line.number-sign.terraform - constant.other.rule-id.keyless
# keyless-ignored hardcoded-secret
# ^^^^^^^^^^^^^^^ comment.line.number-sign.terraform - keyword.other.keyless-ignore.keyless
/* keyless-ignore hardcoded-secret */
#  ^^^^^^^^^^^^^^ comment.block.terraform - keyword.other.keyless-ignore.keyless
note = "# keyless-ignore hardcoded-secret"
#         ^^^^^^^^^^^^^^ string.quoted.double.terraform - keyword.other.keyless-ignore.keyless
