import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const WORKFLOW_PATH = '.github/workflows/deploy.yml';
const workflow = (stepLines: string): string => `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
${stepLines}`;

function rules(path: string, text: string): string[] {
  return engine.analyze({ path, text }).findings.map((f) => `${f.rule}@${f.range.start.line + 1}`);
}

describe('keyless-ignore comments', () => {
  const step = `      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.ID }}
          aws-secret-access-key: \${{ secrets.SECRET }}
`;

  test('the finding is reported without a comment', () => {
    assert.deepEqual(rules(WORKFLOW_PATH, workflow(step)), ['static-cloud-credentials@6']);
  });

  test('a comment on the finding line suppresses that rule', () => {
    const text = workflow(step.replace('@v4', '@v4 # keyless-ignore static-cloud-credentials: migrating in Q3'));
    assert.deepEqual(rules(WORKFLOW_PATH, text), []);
  });

  test('a comment alone on the line above suppresses it', () => {
    const text = workflow(`      # keyless-ignore static-cloud-credentials: legacy account\n${step}`);
    assert.deepEqual(rules(WORKFLOW_PATH, text), []);
  });

  test('a list of rules, without a reason, is accepted', () => {
    const text = workflow(`      # keyless-ignore hardcoded-secret, static-cloud-credentials\n${step}`);
    assert.deepEqual(rules(WORKFLOW_PATH, text), []);
  });

  test('another rule id does not suppress', () => {
    const text = workflow(`      # keyless-ignore hardcoded-secret: not this one\n${step}`);
    assert.deepEqual(rules(WORKFLOW_PATH, text), ['static-cloud-credentials@7']);
  });

  test('a trailing comment on the line above belongs to that line', () => {
    const text = workflow(`      - run: echo hi # keyless-ignore static-cloud-credentials\n${step}`);
    assert.deepEqual(rules(WORKFLOW_PATH, text), ['static-cloud-credentials@7']);
  });

  test('text inside a string that looks like the marker is not a comment', () => {
    const text = workflow(`      - run: echo "# keyless-ignore static-cloud-credentials"\n${step}`);
    assert.deepEqual(rules(WORKFLOW_PATH, text), ['static-cloud-credentials@7']);
  });

  test('HCL accepts // and # comments', () => {
    const provider = 'provider "aws" {\n  access_key = var.a\n  secret_key = var.b\n}\n';
    assert.deepEqual(rules('main.tf', provider), ['provider-static-credentials@1']);
    assert.deepEqual(rules('main.tf', `// keyless-ignore provider-static-credentials: sandbox\n${provider}`), []);
    assert.deepEqual(rules('main.tf', `# keyless-ignore provider-static-credentials\n${provider}`), []);
  });

  test('inside a heredoc, the comment goes above the attribute that holds it', () => {
    const text = 'resource "aws_instance" "a" {\n  # keyless-ignore hardcoded-secret: documentation example\n  user_data = <<EOF\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nEOF\n}\n';
    assert.deepEqual(rules('main.tf', text), []);
    assert.deepEqual(rules('main.tf', text.replace('# keyless-ignore hardcoded-secret: documentation example', '# nothing')), ['hardcoded-secret@4']);
  });
});

describe('the "Suppress on this line" fix', () => {
  function applyFirstFix(path: string, text: string): string {
    const finding = engine.analyze({ path, text }).findings[0];
    assert.ok(finding, 'a finding to suppress');
    const fix = finding.fixes.find((f) => f.title.startsWith('Suppress'));
    assert.ok(fix);
    let result = text;
    for (const edit of [...fix.edits].sort((a, b) => b.span.start - a.span.start)) {
      result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
    }
    return result;
  }

  test('YAML: writes an indented comment above and the finding goes away', () => {
    const text = workflow(`      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.ID }}
`);
    const fixed = applyFirstFix(WORKFLOW_PATH, text);
    assert.match(fixed, /\n {6}# keyless-ignore static-cloud-credentials\n {6}- uses:/);
    assert.deepEqual(rules(WORKFLOW_PATH, fixed), []);
  });

  test('a finding inside a run: block gets the comment above the run: key', () => {
    const text = workflow(`      - name: login
        run: |
          aws configure set aws_access_key_id "$ID"
`);
    const fixed = applyFirstFix(WORKFLOW_PATH, text);
    assert.match(fixed, /\n {8}# keyless-ignore static-cloud-credentials\n {8}run: \|/);
    assert.deepEqual(rules(WORKFLOW_PATH, fixed), []);
  });

  test('CRLF files get a CRLF line', () => {
    const text = 'provider "aws" {\r\n  access_key = var.a\r\n}\r\n';
    const fixed = applyFirstFix('main.tf', text);
    assert.equal(fixed, '# keyless-ignore provider-static-credentials\r\nprovider "aws" {\r\n  access_key = var.a\r\n}\r\n');
    assert.deepEqual(rules('main.tf', fixed), []);
  });

  test('JSON has no comments, so no suppression fix is offered', () => {
    const finding = engine.analyze({ path: 'main.tf.json', text: '{"provider": {"aws": {"access_key": "${var.a}"}}}' }).findings[0];
    assert.ok(finding);
    assert.deepEqual(finding.fixes, []);
  });
});
