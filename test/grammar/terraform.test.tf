# SYNTAX TEST "source.terraform" "Terraform / HCL grammar"
# Assertion lines (a "#" followed by ^ or <-) are not part of the tokenized source.

# ── Comments ──
# a hash comment
# <- comment.line.number-sign.terraform punctuation.definition.comment.terraform
# ^^^^^^^^^^^^^^ comment.line.number-sign.terraform
// a double-slash comment
# <-- comment.line.double-slash.terraform punctuation.definition.comment.terraform
#  ^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.terraform
/* a block comment
# <-- comment.block.terraform punctuation.definition.comment.terraform
   spanning lines resource "x" "y" {
#  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.terraform
#                          ^^^ comment.block.terraform - string.quoted.double.terraform entity.name.type.terraform
*/ x = 1
# <-- comment.block.terraform punctuation.definition.comment.terraform
#  ^ variable.other.property.terraform - comment.block.terraform
a = 1 # trailing comment
#   ^ constant.numeric.terraform
#     ^ comment.line.number-sign.terraform punctuation.definition.comment.terraform
#       ^^^^^^^^^^^^^^^^ comment.line.number-sign.terraform

# ── Block headers ──
resource "aws_iam_user" "ci" {
# <-------- meta.block.terraform keyword.other.block.terraform
#        ^ meta.block.terraform string.quoted.double.terraform punctuation.definition.string.begin.terraform
#         ^^^^^^^^^^^^ meta.block.terraform string.quoted.double.terraform entity.name.type.terraform
#                     ^ string.quoted.double.terraform punctuation.definition.string.end.terraform
#                        ^^ string.quoted.double.terraform entity.name.label.terraform
#                            ^ meta.block.terraform punctuation.section.block.begin.terraform
  name = "ci"
# ^^^^ meta.block.terraform variable.other.property.terraform
#      ^ meta.block.terraform keyword.operator.assignment.terraform
#        ^^^^ meta.block.terraform string.quoted.double.terraform

  ingress {
# ^^^^^^^ meta.block.terraform meta.block.terraform entity.name.tag.block.terraform
#         ^ meta.block.terraform meta.block.terraform punctuation.section.block.begin.terraform
    from_port = 443
#   ^^^^^^^^^ meta.block.terraform meta.block.terraform variable.other.property.terraform
#               ^^^ meta.block.terraform meta.block.terraform constant.numeric.terraform
  }
# ^ meta.block.terraform meta.block.terraform punctuation.section.block.end.terraform

  dynamic "setting" {
# ^^^^^^^ meta.block.terraform meta.block.terraform keyword.other.block.terraform
#          ^^^^^^^ meta.block.terraform meta.block.terraform entity.name.label.terraform
    content {
#   ^^^^^^^ meta.block.terraform meta.block.terraform meta.block.terraform entity.name.tag.block.terraform
      value = setting.value
#     ^^^^^ meta.block.terraform meta.block.terraform meta.block.terraform variable.other.property.terraform
#             ^^^^^^^ variable.other.readwrite.terraform
    }
  }
}
# <- meta.block.terraform punctuation.section.block.end.terraform
after_block = 1
# <----------- variable.other.property.terraform - meta.block.terraform

provider "aws" {
# <-------- keyword.other.block.terraform
#         ^^^ entity.name.label.terraform
  region = "eu-west-1"
# ^^^^^^ variable.other.property.terraform
}

variable "env" {
# <-------- keyword.other.block.terraform
#         ^^^ entity.name.label.terraform
  type    = string
# ^^^^ variable.other.property.terraform
#           ^^^^^^ variable.other.readwrite.terraform
  default = null
# ^^^^^^^ variable.other.property.terraform
#           ^^^^ constant.language.null.terraform
}

data "aws_iam_policy_document" "assume" {}
# <---- keyword.other.block.terraform
#     ^^^^^^^^^^^^^^^^^^^^^^^ entity.name.type.terraform
#                               ^^^^^^ entity.name.label.terraform
#                                       ^ punctuation.section.block.begin.terraform
#                                        ^ punctuation.section.block.end.terraform

module "network" { source = "./network" }
# <------ keyword.other.block.terraform
#       ^^^^^^^ entity.name.label.terraform
#                  ^^^^^^ meta.block.terraform variable.other.property.terraform
#                           ^^^^^^^^^^^ meta.block.terraform string.quoted.double.terraform
#                                       ^ meta.block.terraform punctuation.section.block.end.terraform

terraform {
# <--------- keyword.other.block.terraform
  backend "s3" {}
# ^^^^^^^ meta.block.terraform meta.block.terraform entity.name.tag.block.terraform
#          ^^ entity.name.label.terraform
}

output "user_arn" {
# <------ keyword.other.block.terraform
#       ^^^^^^^^ entity.name.label.terraform
  value     = aws_iam_user.ci.arn
# ^^^^^ variable.other.property.terraform
  sensitive = true
# ^^^^^^^^^ variable.other.property.terraform
#             ^^^^ constant.language.boolean.terraform
}

# A word that is not a block keyword is a tag; labels may be bare; a type label precedes the name.
resources bare_type "name" {
# <--------- entity.name.tag.block.terraform - keyword.other.block.terraform
#         ^^^^^^^^^ entity.name.type.terraform
#                    ^^^^ entity.name.label.terraform
}

# ── Strings, escapes, interpolation, directives ──
locals {
# <------ keyword.other.block.terraform
  escaped = "tab\t quote\" slash\\ unicode\u00e9 bad\q"
#            ^^^ string.quoted.double.terraform - constant.character.escape.terraform
#               ^^ string.quoted.double.terraform constant.character.escape.terraform
#                       ^^ constant.character.escape.terraform
#                               ^^ constant.character.escape.terraform
#                                         ^^^^^^ constant.character.escape.terraform
#                                                   ^^ string.quoted.double.terraform invalid.illegal.escape.terraform
#                                                     ^ punctuation.definition.string.end.terraform
  name = "ci-${var.env}-${upper("x-${local.suffix}")}"
#        ^ string.quoted.double.terraform punctuation.definition.string.begin.terraform
#         ^^^ string.quoted.double.terraform - meta.interpolation.terraform
#            ^^ string.quoted.double.terraform meta.interpolation.terraform punctuation.definition.template-expression.begin.terraform
#              ^^^ string.quoted.double.terraform meta.interpolation.terraform meta.embedded.line.terraform variable.language.terraform
#                 ^ meta.interpolation.terraform punctuation.accessor.terraform
#                  ^^^ meta.interpolation.terraform variable.other.member.terraform
#                     ^ string.quoted.double.terraform meta.interpolation.terraform punctuation.definition.template-expression.end.terraform
#                      ^ string.quoted.double.terraform - meta.interpolation.terraform keyword.operator.arithmetic.terraform
#                       ^^ meta.interpolation.terraform punctuation.definition.template-expression.begin.terraform
#                         ^^^^^ meta.interpolation.terraform meta.function-call.terraform support.function.terraform
#                              ^ meta.function-call.terraform punctuation.section.arguments.begin.terraform
#                               ^ meta.interpolation.terraform meta.function-call.terraform string.quoted.double.terraform punctuation.definition.string.begin.terraform
#                                ^^ meta.function-call.terraform string.quoted.double.terraform - variable.other.readwrite.terraform
#                                  ^^ meta.function-call.terraform string.quoted.double.terraform meta.interpolation.terraform punctuation.definition.template-expression.begin.terraform
#                                    ^^^^^ meta.interpolation.terraform meta.interpolation.terraform variable.language.terraform
#                                          ^^^^^^ meta.interpolation.terraform meta.interpolation.terraform variable.other.member.terraform
#                                                ^ meta.function-call.terraform string.quoted.double.terraform meta.interpolation.terraform punctuation.definition.template-expression.end.terraform
#                                                 ^ meta.function-call.terraform string.quoted.double.terraform punctuation.definition.string.end.terraform
#                                                  ^ meta.interpolation.terraform meta.function-call.terraform punctuation.section.arguments.end.terraform
#                                                   ^ string.quoted.double.terraform meta.interpolation.terraform punctuation.definition.template-expression.end.terraform
#                                                    ^ string.quoted.double.terraform punctuation.definition.string.end.terraform
  object = "${ {a = 1}["a"] }"
#           ^^ meta.interpolation.terraform punctuation.definition.template-expression.begin.terraform
#              ^ meta.interpolation.terraform meta.object.terraform punctuation.section.braces.begin.terraform
#               ^ meta.interpolation.terraform meta.object.terraform variable.other.property.terraform
#                    ^ meta.interpolation.terraform meta.object.terraform punctuation.section.braces.end.terraform
#                     ^ meta.interpolation.terraform meta.index.terraform punctuation.section.index.begin.terraform
#                      ^^^ meta.index.terraform string.quoted.double.terraform
#                           ^ meta.interpolation.terraform punctuation.definition.template-expression.end.terraform
#                            ^ punctuation.definition.string.end.terraform
  literal = "$${not.interpolated} %%{not.a.directive}"
#            ^^^ string.quoted.double.terraform constant.character.escape.template.terraform
#               ^^^^^^^^^^^^^^^^^ string.quoted.double.terraform - meta.interpolation.terraform variable.other.member.terraform
#                                 ^^^ constant.character.escape.template.terraform
#                                    ^^^^^^^^^^^^^^^^ string.quoted.double.terraform - meta.directive.template.terraform
  trimmed = "${~ var.env ~}"
#            ^^ meta.interpolation.terraform punctuation.definition.template-expression.begin.terraform
#              ^ meta.interpolation.terraform keyword.operator.template.trim.terraform
#                        ^ meta.interpolation.terraform keyword.operator.template.trim.terraform
#                         ^ meta.interpolation.terraform punctuation.definition.template-expression.end.terraform
  greeting = "Hello, %{ if var.name != "" }${var.name}%{ else }you%{ endif }!"
#             ^^^^^^^ string.quoted.double.terraform - meta.directive.template.terraform
#                    ^^ string.quoted.double.terraform meta.directive.template.terraform punctuation.definition.template-expression.begin.terraform
#                       ^^ meta.directive.template.terraform keyword.control.template.terraform
#                          ^^^ meta.directive.template.terraform variable.language.terraform
#                                   ^^ meta.directive.template.terraform keyword.operator.comparison.terraform
#                                      ^^ meta.directive.template.terraform string.quoted.double.terraform
#                                         ^ meta.directive.template.terraform punctuation.definition.template-expression.end.terraform
#                                          ^^ string.quoted.double.terraform meta.interpolation.terraform punctuation.definition.template-expression.begin.terraform
#                                                        ^^^^ meta.directive.template.terraform keyword.control.template.terraform
#                                                              ^^^ string.quoted.double.terraform - meta.directive.template.terraform
#                                                                    ^^^^^ meta.directive.template.terraform keyword.control.template.terraform
#                                                                           ^ string.quoted.double.terraform - keyword.operator.logical.terraform
#                                                                            ^ punctuation.definition.string.end.terraform
  # An unterminated string stops at the end of its line instead of swallowing the file.
  broken = "no closing quote
#          ^^^^^^^^^^^^^^^^^ string.quoted.double.terraform
  after = 1
# ^^^^^ meta.block.terraform variable.other.property.terraform - string.quoted.double.terraform
#         ^ constant.numeric.terraform
}

# ── Heredocs ──
policy = <<EOF
# <------ variable.other.property.terraform
#        ^ string.unquoted.heredoc.terraform keyword.operator.heredoc.terraform
#          ^^^ string.unquoted.heredoc.terraform keyword.control.heredoc-token.terraform
{
  "Resource": "${aws_iam_user.ci.arn}",
# ^^^^^^^^^^^^^ string.unquoted.heredoc.terraform - string.quoted.double.terraform meta.interpolation.terraform
#              ^^ string.unquoted.heredoc.terraform meta.interpolation.terraform punctuation.definition.template-expression.begin.terraform
#                ^^^^^^^^^^^^ string.unquoted.heredoc.terraform meta.interpolation.terraform variable.other.readwrite.terraform
#                             ^^ meta.interpolation.terraform variable.other.member.terraform
#                                ^^^ meta.interpolation.terraform variable.other.member.terraform
#                                   ^ string.unquoted.heredoc.terraform meta.interpolation.terraform punctuation.definition.template-expression.end.terraform
  "Escapes": "\n stays literal, $${literal} %%{literal}",
#             ^^ string.unquoted.heredoc.terraform - constant.character.escape.terraform
#                               ^^^ string.unquoted.heredoc.terraform constant.character.escape.template.terraform
#                                           ^^^ string.unquoted.heredoc.terraform constant.character.escape.template.terraform
  # a hash inside a heredoc is text
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.heredoc.terraform - comment.line.number-sign.terraform
EOFX
# <---- string.unquoted.heredoc.terraform - keyword.control.heredoc-token.terraform
EOF and more
# <------------ string.unquoted.heredoc.terraform - keyword.control.heredoc-token.terraform
  "Nested": "${jsonencode({ k = "v${1 + 2}" })}"
#              ^^^^^^^^^^ string.unquoted.heredoc.terraform meta.interpolation.terraform support.function.terraform
#                           ^ meta.function-call.terraform meta.object.terraform variable.other.property.terraform
#                               ^^ meta.object.terraform string.quoted.double.terraform
#                                 ^^ meta.object.terraform string.quoted.double.terraform meta.interpolation.terraform punctuation.definition.template-expression.begin.terraform
#                                   ^ meta.interpolation.terraform meta.object.terraform string.quoted.double.terraform meta.interpolation.terraform constant.numeric.terraform
#                                     ^ meta.interpolation.terraform meta.interpolation.terraform keyword.operator.arithmetic.terraform
#                                        ^^ meta.object.terraform string.quoted.double.terraform
}
EOF
# <--- string.unquoted.heredoc.terraform keyword.control.heredoc-token.terraform
after_heredoc = "x"
# <------------- variable.other.property.terraform - string.unquoted.heredoc.terraform

script = <<-EOT
#         ^^ keyword.operator.heredoc.terraform
#           ^^^ keyword.control.heredoc-token.terraform
    %{ for name in var.names ~}
#   ^^ string.unquoted.heredoc.terraform meta.directive.template.terraform punctuation.definition.template-expression.begin.terraform
#      ^^^ meta.directive.template.terraform keyword.control.template.terraform
#          ^^^^ meta.directive.template.terraform variable.other.readwrite.terraform
#               ^^ meta.directive.template.terraform keyword.control.template.terraform
#                  ^^^ variable.language.terraform
#                            ^ meta.directive.template.terraform keyword.operator.template.trim.terraform
#                             ^ meta.directive.template.terraform punctuation.definition.template-expression.end.terraform
    echo ${name}
#   ^^^^^ string.unquoted.heredoc.terraform - meta.interpolation.terraform
#        ^^^^^^^ string.unquoted.heredoc.terraform meta.interpolation.terraform
    %{ endfor }
#      ^^^^^^ keyword.control.template.terraform
    EOT
#   ^^^ string.unquoted.heredoc.terraform keyword.control.heredoc-token.terraform
after_indented = 2
# <-------------- variable.other.property.terraform - string.unquoted.heredoc.terraform

# ── Numbers, booleans, null ──
numbers = [0, 42, 3.14, 1e3, 2.5E-4, -7]
#          ^ meta.tuple.terraform constant.numeric.terraform
#             ^^ constant.numeric.terraform
#                 ^^^^ constant.numeric.terraform
#                       ^^^ constant.numeric.terraform
#                            ^^^^^^ constant.numeric.terraform
#                                    ^ keyword.operator.arithmetic.terraform
#                                     ^ constant.numeric.terraform
flags = [true, false, null]
#        ^^^^ constant.language.boolean.terraform
#              ^^^^^ constant.language.boolean.terraform
#                     ^^^^ constant.language.null.terraform
not_constants = [true_value, nullable-name]
#                ^^^^^^^^^^ variable.other.readwrite.terraform - constant.language.boolean.terraform
#                            ^^^^^^^^^^^^^ variable.other.readwrite.terraform - constant.language.null.terraform

# ── Function calls ──
doc = jsonencode({ Version = "2012-10-17" })
#     ^^^^^^^^^^ meta.function-call.terraform support.function.terraform
#               ^ meta.function-call.terraform punctuation.section.arguments.begin.terraform
#                ^ meta.function-call.terraform meta.object.terraform punctuation.section.braces.begin.terraform
#                  ^^^^^^^ meta.function-call.terraform meta.object.terraform variable.other.property.terraform
#                          ^ meta.object.terraform punctuation.separator.key-value.terraform
#                            ^^^^^^^^^^^^ meta.object.terraform string.quoted.double.terraform
#                                          ^ meta.function-call.terraform punctuation.section.arguments.end.terraform
key = file("${path.module}/key.pub")
#     ^^^^ support.function.terraform
#             ^^^^ meta.function-call.terraform string.quoted.double.terraform meta.interpolation.terraform variable.language.terraform
#                  ^^^^^^ variable.other.member.terraform
arn = provider::aws::arn_parse(var.arn)
#     ^^^^^^^^^^^^^^^^^^^^^^^^ support.function.terraform
spread = max(var.numbers...)
#                       ^^^ meta.function-call.terraform keyword.operator.expansion.terraform

# ── References ──
refs = [var.x, local.y, aws_iam_user.ci.name, data.aws_caller_identity.me.account_id]
#       ^^^ variable.language.terraform
#          ^ punctuation.accessor.terraform
#           ^ variable.other.member.terraform
#              ^^^^^ variable.language.terraform
#                    ^ variable.other.member.terraform
#                       ^^^^^^^^^^^^ variable.other.readwrite.terraform
#                                   ^ punctuation.accessor.terraform
#                                    ^^ variable.other.member.terraform
#                                       ^^^^ variable.other.member.terraform
#                                             ^^^^ variable.language.terraform
#                                                  ^^^^^^^^^^^^^^^^^^^ variable.other.member.terraform
#                                                                      ^^ variable.other.member.terraform
#                                                                         ^^^^^^^^^^ variable.other.member.terraform
more = [each.key, count.index, module.network.id, self.id, path.root, terraform.workspace]
#       ^^^^ variable.language.terraform
#                 ^^^^^ variable.language.terraform
#                              ^^^^^^ variable.language.terraform
#                                                 ^^^^ variable.language.terraform
#                                                          ^^^^ variable.language.terraform
#                                                                     ^^^^^^^^^ variable.language.terraform - keyword.other.block.terraform
index = aws_instance.web[0].id
#                       ^ meta.index.terraform punctuation.section.index.begin.terraform
#                        ^ meta.index.terraform constant.numeric.terraform
#                         ^ meta.index.terraform punctuation.section.index.end.terraform
#                           ^^ variable.other.member.terraform
splat = aws_instance.web[*].id
#                        ^ meta.index.terraform keyword.operator.splat.terraform
legacy = aws_instance.web.*.id
#                    ^ punctuation.accessor.terraform
#                         ^ keyword.operator.splat.terraform
map_index = var.tags["Name"]
#                   ^ punctuation.section.index.begin.terraform
#                    ^^^^^^ meta.index.terraform string.quoted.double.terraform

# ── Operators ──
cond = var.a == 1 && !var.b || var.c >= 2 ? "yes" : "no"
#            ^^ keyword.operator.comparison.terraform
#                 ^^ keyword.operator.logical.terraform
#                    ^ keyword.operator.logical.terraform
#                           ^^ keyword.operator.logical.terraform
#                                    ^^ keyword.operator.comparison.terraform
#                                         ^ keyword.operator.ternary.terraform
#                                                 ^ keyword.operator.ternary.terraform
math = (1 + 2) * 3 / 4 % 5 - 6 < 7
#      ^ meta.parens.terraform punctuation.section.parens.begin.terraform
#         ^ meta.parens.terraform keyword.operator.arithmetic.terraform
#            ^ meta.parens.terraform punctuation.section.parens.end.terraform
#              ^ keyword.operator.arithmetic.terraform
#                  ^ keyword.operator.arithmetic.terraform
#                      ^ keyword.operator.arithmetic.terraform
#                          ^ keyword.operator.arithmetic.terraform
#                           keyword.operator.comparison.terraform

# ── Collections and for expressions ──
list = [for s in var.list : upper(s) if s != ""]
#      ^ meta.tuple.terraform punctuation.section.brackets.begin.terraform
#       ^^^ meta.tuple.terraform meta.for.terraform keyword.control.for.terraform
#           ^ meta.for.terraform variable.parameter.terraform
#             ^^ meta.for.terraform keyword.control.in.terraform
#                ^^^ meta.for.terraform variable.language.terraform
#                         ^ meta.for.terraform punctuation.separator.for.terraform
#                           ^^^^^ meta.tuple.terraform support.function.terraform
#                                    ^^ meta.tuple.terraform keyword.control.if.terraform
#                                              ^ meta.tuple.terraform punctuation.section.brackets.end.terraform
map = {for k, v in var.map : k => v...}
#     ^ meta.object.terraform punctuation.section.braces.begin.terraform
#      ^^^ meta.object.terraform meta.for.terraform keyword.control.for.terraform
#          ^ variable.parameter.terraform
#           ^ punctuation.separator.comma.terraform
#             ^ variable.parameter.terraform
#               ^^ keyword.control.in.terraform
#                          ^ punctuation.separator.for.terraform
#                            ^ meta.object.terraform variable.other.readwrite.terraform - variable.other.property.terraform
#                              ^^ meta.object.terraform punctuation.separator.key-value.terraform
#                                  ^^^ keyword.operator.expansion.terraform
#                                     ^ meta.object.terraform punctuation.section.braces.end.terraform
multiline = [
  for user in var.users :
# ^^^ keyword.control.for.terraform
#     ^^^^ variable.parameter.terraform
#          ^^ keyword.control.in.terraform
#                       ^ punctuation.separator.for.terraform
  user.name
# ^^^^ meta.tuple.terraform variable.other.readwrite.terraform
]
# <- punctuation.section.brackets.end.terraform
tags = {
  Name        = "ci"
# ^^^^ meta.object.terraform variable.other.property.terraform
#             ^ punctuation.separator.key-value.terraform
  "team-name" = "platform"
# ^^^^^^^^^^^ meta.object.terraform string.quoted.double.terraform
#             ^ punctuation.separator.key-value.terraform
  colon: var.a ? "b" : "c"
# ^^^^^ variable.other.property.terraform
#      ^ punctuation.separator.key-value.terraform
#              ^ keyword.operator.ternary.terraform
#                    ^ keyword.operator.ternary.terraform - punctuation.separator.key-value.terraform
  nested = { inner = [1, { deep = true }] }
#          ^ meta.object.terraform meta.object.terraform punctuation.section.braces.begin.terraform
#            ^^^^^ meta.object.terraform meta.object.terraform variable.other.property.terraform
#                    ^ meta.tuple.terraform punctuation.section.brackets.begin.terraform
#                     ^ meta.tuple.terraform constant.numeric.terraform
#                      ^ meta.tuple.terraform punctuation.separator.comma.terraform
#                          ^^^^ meta.tuple.terraform meta.object.terraform variable.other.property.terraform
#                                       ^ meta.tuple.terraform punctuation.section.brackets.end.terraform
}
# <- meta.object.terraform punctuation.section.braces.end.terraform
