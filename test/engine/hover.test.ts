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

test('GITHUB_TOKEN permissions: what a shorthand, a block and each scope let the token do', () => {
  const workflow = `on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: read
      issues: none
      statuses-typo: write
    steps:
      - run: echo a
  b:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - run: echo b
`;
  const path = '.github/workflows/p.yml';
  assert.match(at(path, workflow, 1, 2)![0]!, /^The GITHUB_TOKEN of every job without its own `permissions:` gets every scope at write: push code and tags/);
  assert.deepEqual(at(path, workflow, 5, 6), ['The GITHUB_TOKEN of job `a` gets `contents: write`; every scope not named is none.']);
  assert.deepEqual(at(path, workflow, 6, 8), ['`contents: write`: push commits and tags, create releases (write includes read).']);
  assert.deepEqual(at(path, workflow, 7, 8), ['`id-token` takes write or none, not `read`.']);
  assert.deepEqual(at(path, workflow, 8, 8), ['`issues: none`: no access to issues.']);
  assert.deepEqual(at(path, workflow, 9, 8), ['`statuses-typo` is not a scope of the GITHUB_TOKEN.']);
  assert.deepEqual(at(path, workflow, 14, 6), ['The GITHUB_TOKEN of job `b` gets no scope at all: the token can read only public data.']);
  assert.equal(at(path, workflow, 11, 8), undefined, 'a step says nothing of permissions');
});

test('an RBAC rule: what it grants and where, then the escalations the risk models name', () => {
  const role = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: debugger
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/exec"]
    verbs: ["get", "create"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["roles"]
    verbs: ["*"]
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get"]
`;
  assert.deepEqual(at('rbac.yaml', role, 6, 20), [
    'This rule of ClusterRole `debugger` grants `get` and `create` on `pods` and `pods/exec` of the core API group cluster-wide.',
    'Privilege escalation: `create` on `pods/exec` lets the holder run commands in other pods, and use their service-account tokens.',
  ]);
  assert.deepEqual(at('rbac.yaml', role, 10, 14), [
    'This rule of ClusterRole `debugger` grants every verb on `roles` of the API group `rbac.authorization.k8s.io` cluster-wide.',
    'Privilege escalation: `escalate`, through `*`, lets the holder write roles with permissions it does not hold itself, up to cluster-admin; also `bind`, through `*`.',
  ]);
  assert.deepEqual(at('rbac.yaml', role, 12, 20), ['This rule of ClusterRole `debugger` grants `list` on `secrets` of the core API group cluster-wide.', 'It reads every Secret cluster-wide.']);
  assert.deepEqual(at('rbac.yaml', role, 22, 20), ['This rule of Role `reader` grants `get` on `pods` of the core API group in namespace shop.']);
  assert.equal(at('rbac.yaml', role, 3, 8), undefined, 'the role name itself: nothing');
});
