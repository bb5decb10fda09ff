import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';

/** Hovers on AWS policy values: what an action, a wildcard, NotAction and a managed policy ARN grant. */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const at = (text: string, line: number, character: number, path = 'main.tf'): string[] | undefined => engine.hover({ path, text }, { line, character })?.descriptions;

const POLICY = `resource "aws_iam_role_policy" "ci" {
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "s3:Get*", "s3:Fetch*", "ecr:GetAuthorizationToken"], Resource = "arn:aws:s3:::acme/*" },
      { Effect = "Allow", NotAction = ["iam:*"], Resource = "arn:aws:s3:::acme/*" },
    ]
  })
}
resource "aws_iam_role_policy_attachment" "ci" {
  role       = aws_iam_role.ci.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`;

test('one action: its service, access level and description', () => {
  const [line] = at(POLICY, 5, 40) ?? [];
  assert.match(line!, /^`s3:GetObject` \(Amazon S3, Read\): Grants permission to retrieve objects from Amazon S3/);
});

test('an action that takes no resource says so', () => {
  const [line] = at(POLICY, 5, 84) ?? [];
  assert.match(line!, /^`ecr:GetAuthorizationToken` \(Amazon Elastic Container Registry, Read\):.*only `Resource: "\*"` grants it\.$/);
});

test('a wildcard: the count by access level and the risky actions, first line', () => {
  const [line] = at(POLICY, 5, 56) ?? [];
  assert.match(line!, /^`s3:Get\*`: \d+ actions of Amazon S3 today \(\d+ Read\), and those AWS adds later\. Among them: reads stored data and secrets \(s3:GetObject\)\.$/);
});

test('a pattern that matches nothing is a typo', () => {
  assert.deepEqual(at(POLICY, 5, 68), ['`s3:Fetch*` matches no action: it grants nothing (a typo?).']);
});

test('NotAction: every action but these', () => {
  const [line] = at(POLICY, 6, 40) ?? [];
  assert.match(line!, /^`NotAction` `iam:\*`: every action but these, \d+ actions of \d+ services today/);
});

test('a managed policy ARN', () => {
  const lines = at(POLICY, 12, 30) ?? [];
  assert.ok(lines.includes('AWS managed policy `ReadOnlyAccess`: read access to nearly every service, stored data included (s3:GetObject, …).'), lines.join('\n'));
});
