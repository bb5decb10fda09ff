import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const at = (path: string, text: string, line: number, character: number): string[] | undefined => engine.hover({ path, text }, { line, character })?.descriptions;

test('a pod container: the workload, the cloud and the variables', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: app\n      env:\n        - name: AWS_ACCESS_KEY_ID\n          value: x\n';
  assert.deepEqual(at('pod.yaml', pod, 9, 18), ['Container `app` of `Pod/web` authenticates to AWS with long-lived credentials (`AWS_ACCESS_KEY_ID`) from its environment.']);
});

test('a registry token and an OIDC login are told apart', () => {
  const workflow = `on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/release
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`;
  assert.deepEqual(at('.github/workflows/r.yml', workflow, 5, 14), ['Job `release` authenticates to AWS by OIDC federation through `aws-actions/configure-aws-credentials`: short-lived credentials, no stored key.']);
  assert.deepEqual(at('.github/workflows/r.yml', workflow, 10, 12), ['Job `release` publishes to npm with a long-lived token (`NODE_AUTH_TOKEN`) through `npm publish`.']);
});

test('a minted key resource', () => {
  assert.deepEqual(at('main.tf', 'resource "aws_iam_access_key" "ci" {\n  user = "ci"\n}\n', 0, 5), ['`aws_iam_access_key` `ci` mints a long-lived AWS credential.']);
});

test('an unanalyzed file or an empty place: nothing', () => {
  assert.equal(engine.hover({ path: 'README.md', text: '# x' }, { line: 0, character: 0 }), undefined);
  assert.equal(engine.hover({ path: 'main.tf', text: 'locals {\n  a = 1\n}\n' }, { line: 1, character: 2 }), undefined);
});
