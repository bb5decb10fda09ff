import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';

// The fingerprint every finding carries (engine/fingerprint.ts): the same through line moves,
// unrelated edits, reordered blocks and comments, in every dialect and in files of none; different
// when the credential, the enclosing block or the rule changes; never holding a value.

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const OTHER_KEY_ID = 'AKIAJ7QWERTYUIOP2XYZ';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GITHUB = 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c';

interface Print {
  rule: string;
  hash: string;
  block: string;
  text: string;
}

function prints(path: string, text: string): Print[] {
  return engine.analyze({ path, text }).findings.map((f) => {
    assert.ok(f.fingerprint, `${f.rule} at line ${f.range.start.line + 1} has no fingerprint`);
    return { rule: f.rule, ...f.fingerprint };
  });
}

/** The fingerprints as a sorted list of `rule hash`: what a baseline compares. */
function hashes(path: string, text: string): string[] {
  return prints(path, text)
    .map((p) => `${p.rule} ${p.hash}`)
    .sort();
}

const TERRAFORM = `provider "aws" {
  region     = "us-east-1"
  access_key = "${KEY_ID}"
  secret_key = "${SECRET}"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

resource "aws_iam_user" "ci" {
  name = "ci"
}
`;

const WORKFLOW = `name: deploy
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Configure AWS
        uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: us-east-1
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`;

const MANIFESTS = `apiVersion: v1
kind: Secret
metadata:
  name: uploader-aws
  namespace: shop
stringData:
  AWS_ACCESS_KEY_ID: ${KEY_ID}
  AWS_SECRET_ACCESS_KEY: ${SECRET}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  region: us-east-1
`;

describe('finding fingerprints', () => {
  test('every finding of every example dialect has one: 20 hex digits, a block and a redacted text', () => {
    const all = [...prints('main.tf', TERRAFORM), ...prints('.github/workflows/deploy.yml', WORKFLOW), ...prints('k8s/secret.yaml', MANIFESTS), ...prints('.env', `TOKEN=${GITHUB}\n`)];
    assert.ok(all.length >= 6, `${all.length} findings`);
    for (const p of all) assert.match(p.hash, /^[0-9a-f]{20}$/);
    assert.deepEqual(
      prints('main.tf', TERRAFORM).map((p) => [p.rule, p.block, p.text]),
      [
        ['provider-static-credentials', 'provider.aws', 'provider "aws" {'],
        ['hardcoded-secret', 'provider.aws.access_key', 'AKIA…LE'],
        ['long-lived-key', 'resource.aws_iam_access_key.ci', 'resource "aws_iam_access_key" "ci" {'],
      ],
    );
    assert.deepEqual(
      prints('.github/workflows/deploy.yml', WORKFLOW).find((p) => p.rule === 'static-cloud-credentials'),
      { rule: 'static-cloud-credentials', hash: prints('.github/workflows/deploy.yml', WORKFLOW).find((p) => p.rule === 'static-cloud-credentials')!.hash, block: 'jobs.build.steps[name=Configure AWS]', text: 'uses: aws-actions/configure-aws-credentials' },
    );
    assert.deepEqual(prints('.env', `TOKEN=${GITHUB}\n`).map((p) => p.block), ['TOKEN']);
    assert.ok(prints('k8s/secret.yaml', MANIFESTS).every((p) => p.block.startsWith('[Secret/shop/uploader-aws].stringData')));
  });

  test('no value in any part: the hash is of redacted text, and the block and text are redacted', () => {
    for (const [path, text] of [
      ['main.tf', TERRAFORM],
      ['k8s/secret.yaml', MANIFESTS],
      ['.env', `TOKEN=${GITHUB}\nexport AWS_SECRET_ACCESS_KEY=${SECRET}\n`],
    ] as const) {
      const printed = JSON.stringify(prints(path, text));
      for (const value of [KEY_ID, SECRET, GITHUB, SECRET.slice(4, -2), KEY_ID.slice(4, -2)]) assert.ok(!printed.includes(value), `${path} shows part of a value`);
    }
    // A base64-encoded key in a Secret's data has no shape the redactor knows: the finding's span is masked anyway.
    const encoded = Buffer.from(SECRET).toString('base64');
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  AWS_SECRET_ACCESS_KEY: ${encoded}\n  AWS_ACCESS_KEY_ID: ${Buffer.from(KEY_ID).toString('base64')}\n`;
    const found = prints('secret.yaml', secret);
    assert.ok(found.length > 0);
    assert.ok(!JSON.stringify(found).includes(encoded.slice(4, -2)));
  });

  test('Terraform: lines moved, blocks reordered, an unrelated attribute renamed, comments added — the same', () => {
    const base = hashes('main.tf', TERRAFORM);
    const [provider, key, user] = TERRAFORM.split('\n\n');
    assert.deepEqual(hashes('main.tf', `# header\n\nterraform {\n  required_version = ">= 1.5"\n}\n\n${TERRAFORM}`), base);
    assert.deepEqual(hashes('main.tf', `${user}\n\n${key}\n\n${provider}\n`), base);
    assert.deepEqual(hashes('main.tf', TERRAFORM.replace('region     = "us-east-1"', 'region = var.region # moved to a variable').replace('name = "ci"', 'name = "ci-bot"')), base);
    assert.deepEqual(hashes('main.tf', TERRAFORM.replace(`access_key = "${KEY_ID}"`, `# the old CI key\n  access_key    =   "${KEY_ID}"   # TODO rotate`)), base);
  });

  test('Terraform: a different key or another block — a different fingerprint', () => {
    const base = prints('main.tf', TERRAFORM);
    const secretOf = (list: Print[]) => list.find((p) => p.rule === 'hardcoded-secret')!.hash;
    assert.notEqual(secretOf(prints('main.tf', TERRAFORM.replace(KEY_ID, OTHER_KEY_ID))), secretOf(base));
    const keyOf = (list: Print[]) => list.find((p) => p.rule === 'long-lived-key')!.hash;
    assert.notEqual(keyOf(prints('main.tf', TERRAFORM.replace('resource "aws_iam_access_key" "ci"', 'resource "aws_iam_access_key" "deploy"'))), keyOf(base));
    // The same key in another provider block is another finding.
    assert.notEqual(secretOf(prints('main.tf', TERRAFORM.replace('provider "aws" {', 'provider "awscc" {'))), secretOf(base));
    const hashesOf = new Set(base.map((p) => p.hash));
    assert.equal(hashesOf.size, base.length, 'every finding of the file has its own');
  });

  test('GitHub Actions: jobs reordered, steps inserted above, an unrelated key renamed — the same; the step moved to another job — not', () => {
    const base = hashes('.github/workflows/deploy.yml', WORKFLOW);
    assert.ok(base.length > 0);
    const [head, build, testJob] = WORKFLOW.split(/\n(?=  build:|  test:)/);
    assert.deepEqual(hashes('.github/workflows/deploy.yml', [head, testJob, build].join('\n') + '\n'), base);
    assert.deepEqual(
      hashes('.github/workflows/deploy.yml', WORKFLOW.replace('      - uses: actions/checkout@v4\n', '      - uses: actions/checkout@v4\n      - run: echo setting up\n      - uses: actions/setup-node@v4\n').replace('name: deploy', 'name: Deploy to production').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-24.04')),
      base,
    );
    // A version bump of the action is the same step.
    assert.deepEqual(hashes('.github/workflows/deploy.yml', WORKFLOW.replace('configure-aws-credentials@v4', 'configure-aws-credentials@v3')), base);
    const credentials = (list: string[]) => list.filter((h) => h.startsWith('static-cloud-credentials '));
    const moved = WORKFLOW.replace('  build:', '  release:');
    assert.equal(credentials(base).length, 1);
    assert.deepEqual(credentials(hashes('.github/workflows/deploy.yml', moved)).filter((h) => base.includes(h)), []);
  });

  test('Kubernetes: documents reordered and lines inserted — the same; another object — not', () => {
    const base = hashes('k8s/secret.yaml', MANIFESTS);
    const [secret, configMap] = MANIFESTS.split('---\n');
    assert.deepEqual(hashes('k8s/secret.yaml', `${configMap}---\n${secret}`), base);
    assert.deepEqual(hashes('k8s/secret.yaml', MANIFESTS.replace('metadata:\n  name: uploader-aws', 'metadata:\n  labels:\n    app: uploader\n  name: uploader-aws')), base);
    assert.deepEqual(
      hashes('k8s/secret.yaml', MANIFESTS.replace('name: uploader-aws', 'name: reporter-aws')).filter((h) => base.includes(h)),
      [],
    );
  });

  test('identical findings in one block are told apart by their order; an unparseable file still gets fingerprints', () => {
    const policy = (n: number): string =>
      JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: n }, () => ({ Effect: 'Allow', Action: '*', Resource: '*' })) }, null, 2);
    const two = hashes('deploy.policy.json', policy(2));
    const three = hashes('deploy.policy.json', policy(3));
    assert.equal(new Set(two).size, two.length);
    assert.ok(two.length >= 2, `${two.length}`);
    assert.deepEqual(
      three.filter((h) => !two.includes(h)).length,
      three.length - two.length,
      'the third statement adds new fingerprints only',
    );
    const broken = prints('notes.yaml', `key: [unclosed\naws_secret_access_key: ${SECRET}\n`);
    for (const p of broken) assert.match(p.hash, /^[0-9a-f]{20}$/);
  });
});

test('an analysis that asks for no fingerprints (the editor) gets none', () => {
  const report = engine.analyze({ path: 'main.tf', text: TERRAFORM }, { fingerprints: false });
  assert.ok(report.findings.length > 0);
  assert.ok(report.findings.every((f) => f.fingerprint === undefined));
});
