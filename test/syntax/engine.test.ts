import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generateKubernetes } from '../../bench/generate';
import { Engine, MAX_FILE_BYTES, type FileReport } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import {
  aliasBombPod,
  assertReportWellFormed,
  DEEP,
  findingKeys,
  heapGrowth,
  nestedCompactSeq,
  nestedFlowMap,
  nestedFlowSeq,
  nestedHclBlocks,
  nestedHclCalls,
  nestedHclObject,
  nestedHclTuple,
  nestedJsonArray,
  nestedJsonObject,
  randomText,
  timed,
} from './hostile';

/**
 * Hostile input through the whole pipeline (parse, detect, extract, every rule, suppressions,
 * ranges): nothing throws, no rule fails, time stays bounded, and the findings that can still be
 * found are.
 */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

/** Analyzes, failing on any rule error and on any malformed finding or range. */
function analyze(path: string, text: string): FileReport {
  const ruleErrors: string[] = [];
  const report = engine.analyze({ path, text }, { onRuleError: (rule, error) => ruleErrors.push(`${rule.id}: ${String(error)}`) });
  assert.deepEqual(ruleErrors, [], `${path}: rules threw`);
  assertReportWellFormed(report, text);
  return report;
}

const SLOW = { timeout: 120_000 };
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const POD = `# A pod handed an AWS key (its own service account, no token mounted: that one problem only).
apiVersion: v1
kind: Pod
metadata:
  name: uploader
spec:
  serviceAccountName: uploader
  automountServiceAccountToken: false
  containers:
    - name: app
      image: nginx
      env:
        - name: AWS_ACCESS_KEY_ID
          value: ${KEY}
`;
const POD_FINDINGS = ['pod-static-cloud-credentials@12:10', 'hardcoded-secret@13:17'];

const WORKFLOW = `name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: ${KEY}
    steps:
      - uses: actions/checkout@v4
`;
const WORKFLOW_FINDINGS = ['static-cloud-credentials@6:6', 'hardcoded-secret@6:25'];

const TERRAFORM = `# Static keys in a provider.
provider "aws" {
  region     = "us-east-1"
  access_key = "${KEY}"
  secret_key = "${SECRET}"
}
`;
const TERRAFORM_FINDINGS = ['provider-static-credentials@1:0', 'hardcoded-secret@3:16'];

const TEMPLATE = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Key": {
      "Type": "AWS::IAM::AccessKey",
      "Properties": { "UserName": "ci", "Description": "${KEY}" }
    }
  }
}
`;
const TEMPLATE_FINDINGS = ['long-lived-key@3:4', 'hardcoded-secret@5:56'];

const SAMPLES = [
  { path: 'k8s/pod.yaml', text: POD, findings: POD_FINDINGS },
  { path: '.github/workflows/deploy.yml', text: WORKFLOW, findings: WORKFLOW_FINDINGS },
  { path: 'infra/main.tf', text: TERRAFORM, findings: TERRAFORM_FINDINGS },
  { path: 'cfn/template.json', text: TEMPLATE, findings: TEMPLATE_FINDINGS },
] as const;

describe('engine on hostile input', () => {
  test('the samples below report what they should, unaltered', () => {
    for (const sample of SAMPLES) assert.deepEqual(findingKeys(analyze(sample.path, sample.text)), sample.findings, sample.path);
  });

  test('an alias bomb in a manifest: under a second, bounded memory, the key beside it found', SLOW, () => {
    const text = `${aliasBombPod(9, 9)}---\n${POD}`;
    const { value, mb } = heapGrowth(() => timed(() => analyze('k8s/bomb.yaml', text)));
    assert.ok(value.ms < 1_000, `analyzed in ${value.ms.toFixed(0)} ms`);
    assert.ok(mb < 64, `heap grew ${mb.toFixed(1)} MB`);
    assert.equal(value.value.dialect, 'kubernetes');
    const podStart = text.split('\n').indexOf('---');
    const shifted = POD_FINDINGS.map((f) => f.replace(/@(\d+)/, (_, line: string) => `@${Number(line) + podStart + 1}`));
    assert.deepEqual(findingKeys(value.value), shifted);
  });

  test('alias and merge-key bombs in every YAML dialect stay bounded', SLOW, () => {
    const jobs = ['  j0: &j0\n    runs-on: x\n    env: &e0\n      A: b\n    steps: &s0\n      - run: echo\n        env: *e0\n'];
    for (let i = 1; i < 40; i++) jobs.push(`  j${i}: &j${i}\n    <<: *j${i - 1}\n    env: &e${i}\n      <<: [*e${i - 1}, *e${i - 1}]\n    steps: &s${i}\n      - run: echo\n        env: *e${i}\n      - *s${i - 1}\n`);
    const gitlab = ['stages: [build]\n.t0: &t0\n  stage: build\n  variables: {A: b}\n  script: [echo]\n'];
    for (let i = 1; i < 40; i++) gitlab.push(`.t${i}: &t${i}\n  <<: [*t${i - 1}, *t${i - 1}]\n  variables:\n    <<: *t${i - 1}\n  script: [*t${i - 1}]\n`);
    const cfn = ['AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  K0: &k0\n    Type: AWS::S3::Bucket\n    Properties: &p0\n      Name: x\n'];
    for (let i = 1; i < 40; i++) cfn.push(`  K${i}: &k${i}\n    <<: *k${i - 1}\n    Properties: &p${i}\n      <<: [*p${i - 1}, *p${i - 1}]\n      Tags: [*k${i - 1}, *k${i - 1}, *p${i - 1}]\n`);
    const pod = ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - &c0\n      name: c0\n      env: [&v0 {name: A, value: b}]\n'];
    for (let i = 1; i < 40; i++) pod.push(`    - &c${i}\n      <<: *c${i - 1}\n      name: c${i}\n      env: [*v0, *v0, *v0]\n      envFrom: [*c${i - 1}, *c${i - 1}]\n`);
    for (const [path, text] of [
      ['.github/workflows/bomb.yml', `on: push\njobs:\n${jobs.join('')}`],
      ['.gitlab-ci.yml', `${gitlab.join('')}job:\n  <<: *t39\n`],
      ['cfn/bomb.yaml', cfn.join('')],
      ['k8s/bomb.yaml', pod.join('')],
    ] as const) {
      const { ms } = timed(() => analyze(path, text));
      assert.ok(ms < 1_000, `${path}: analyzed in ${ms.toFixed(0)} ms`);
    }
  });

  test(`${DEEP}-deep nesting in every syntax: bounded time, the credentials beside it still found`, SLOW, () => {
    const cases: { path: string; text: string; expect: string[] }[] = [];
    for (const [name, deep] of [['flow seq', nestedFlowSeq()], ['flow map', nestedFlowMap()]] as const) {
      cases.push({ path: `k8s/deep-${name}.yaml`, text: `${POD}      args: ${deep}\n`, expect: POD_FINDINGS });
      cases.push({ path: '.github/workflows/deep.yml', text: `${WORKFLOW}      - run: ${deep}\n`, expect: WORKFLOW_FINDINGS });
    }
    cases.push({ path: 'k8s/deep-compact.yaml', text: `${POD}      args:\n        ${nestedCompactSeq()}`, expect: POD_FINDINGS });
    for (const deep of [nestedJsonArray(), nestedJsonObject()]) {
      cases.push({ path: 'cfn/deep.json', text: TEMPLATE.replace(`"${KEY}" }`, `"${KEY}", "Deep": ${deep} }`), expect: TEMPLATE_FINDINGS });
    }
    cases.push({ path: 'tf/deep.tf.json', text: `{"provider": {"aws": {"deep": ${nestedJsonObject()},\n"access_key": "${KEY}"}}}`, expect: ['provider-static-credentials@0:14', 'hardcoded-secret@1:15'] });
    for (const deep of [nestedHclObject(), nestedHclTuple(), nestedHclCalls()]) {
      cases.push({ path: 'tf/deep.tf', text: `${TERRAFORM}locals {\n  ${deep}}\n`, expect: TERRAFORM_FINDINGS });
    }
    cases.push({ path: 'tf/deep-blocks.tf', text: `${TERRAFORM}${nestedHclBlocks()}`, expect: TERRAFORM_FINDINGS });
    for (const c of cases) {
      const { value, ms } = timed(() => analyze(c.path, c.text));
      assert.ok(ms < 5_000, `${c.path}: analyzed in ${ms.toFixed(0)} ms`);
      assert.deepEqual(findingKeys(value), c.expect, c.path);
    }
  });

  test('random bytes named .yaml, .json and .tf (and as a workflow) never break the pipeline', SLOW, () => {
    for (const path of ['x.yaml', '.github/workflows/x.yml', '.gitlab-ci.yml', 'x.json', 'x.tf.json', 'x.tf', 'x.tfvars']) {
      for (let seed = 1; seed <= 12; seed++) {
        for (const encoding of ['latin1', 'utf8'] as const) {
          const { ms } = timed(() => analyze(path, randomText(seed * 7919, 8192, encoding)));
          assert.ok(ms < 2_000, `${path} seed ${seed}: ${ms.toFixed(0)} ms`);
        }
      }
    }
  });

  test('empty, whitespace-only and comment-only files: nothing found, nothing wrong', () => {
    for (const path of ['x.yaml', '.github/workflows/x.yml', '.gitlab-ci.yml', 'x.json', 'x.tf']) {
      const comment = path.endsWith('.json') ? `// ${KEY}\n/* ${KEY} */\n` : `# ${KEY}\n# aws_secret_access_key = ${SECRET}\n`;
      for (const text of ['', ' ', '\n\n\n', '\t \r\n  \r\n', comment]) {
        const report = analyze(path, text);
        assert.deepEqual(report.findings, [], `${path} ${JSON.stringify(text)}`);
        assert.deepEqual(report.errors, [], `${path} ${JSON.stringify(text)}`);
      }
    }
  });

  test('a UTF-8 BOM before a comment line: findings on the same lines and columns', () => {
    for (const sample of SAMPLES) {
      if (sample.path.endsWith('.json')) continue;
      // POD and TERRAFORM start with a comment: the BOM sits before `#`.
      if (!sample.text.startsWith('#')) continue;
      assert.deepEqual(findingKeys(analyze(sample.path, `\ufeff${sample.text}`)), sample.findings, sample.path);
    }
    assert.deepEqual(findingKeys(analyze('cfn/template.json', `\ufeff${TEMPLATE}`)), TEMPLATE_FINDINGS);
  });

  test(
    'a UTF-8 BOM before a YAML key: findings on the same lines and columns',
    () => {
      const pod = POD.slice(POD.indexOf('\n') + 1);
      const podFindings = POD_FINDINGS.map((f) => f.replace(/@(\d+)/, (_, line: string) => `@${Number(line) - 1}`));
      assert.deepEqual(findingKeys(analyze('k8s/pod.yaml', `\ufeff${pod}`)), podFindings);
      assert.deepEqual(findingKeys(analyze('.github/workflows/deploy.yml', `\ufeff${WORKFLOW}`)), WORKFLOW_FINDINGS);
    },
  );

  test('CRLF line endings: the same findings at the same lines and columns', () => {
    for (const sample of SAMPLES) {
      const crlf = sample.text.replace(/\n/g, '\r\n');
      const report = analyze(sample.path, crlf);
      assert.deepEqual(findingKeys(report), sample.findings, sample.path);
      // A range never ends on the carriage return (assertReportWellFormed checks line lengths without it).
      for (const f of report.findings) assert.ok(!crlf.slice(f.span.start, f.span.end).endsWith('\r'), `${sample.path}: ${f.rule} includes \\r`);
    }
  });

  test('a 300 KB multi-document manifest: every planted finding, nothing else, in bounded time', SLOW, () => {
    const manifest = generateKubernetes({ bytes: 300_000, seed: 42 });
    assert.ok(manifest.text.length >= 300_000);
    const { value, ms } = timed(() => analyze(manifest.path, manifest.text));
    assert.ok(ms < 10_000, `analyzed in ${ms.toFixed(0)} ms`);
    assert.equal(value.dialect, 'kubernetes');
    assert.deepEqual(value.errors, []);
    const found = value.findings.map((f) => `${f.rule}@${f.range.start.line}`).sort();
    const expected = manifest.expected.map((e) => `${e.rule}@${e.line}`).sort();
    assert.ok(expected.length > 200, `${expected.length} planted findings`);
    assert.deepEqual(found, expected);
  });

  test('unterminated quoted YAML scalars: findings before the break', () => {
    for (const quote of ['"', "'"]) {
      const report = analyze('k8s/pod.yaml', `${POD}        - name: BROKEN\n          value: ${quote}never closed\n        - name: OTHER\n          value: x\n`);
      assert.ok(report.errors.length > 0, `${quote}: a syntax error`);
      assert.deepEqual(findingKeys(report), POD_FINDINGS, quote);
    }
    const workflow = analyze('.github/workflows/deploy.yml', `${WORKFLOW}      - run: "echo never closed\n`);
    assert.deepEqual(findingKeys(workflow), WORKFLOW_FINDINGS);
  });

  test('an unterminated JSON string: findings before the break', () => {
    const text = TEMPLATE.replace(`"${KEY}" }`, `"${KEY}", "Broken": "never closed\n }`);
    const report = analyze('cfn/template.json', text);
    assert.ok(report.errors.length > 0);
    assert.deepEqual(findingKeys(report), TEMPLATE_FINDINGS);
  });

  test('unterminated HCL string and heredoc: findings before the break', () => {
    for (const broken of ['bucket = "never closed\n  acl = private\n', 'policy = <<EOF\n{"Version": "2012-10-17"\n']) {
      const report = analyze('tf/main.tf', `${TERRAFORM}\nresource "aws_s3_bucket" "b" {\n  ${broken}`);
      assert.ok(report.errors.length > 0, broken);
      assert.deepEqual(findingKeys(report), TERRAFORM_FINDINGS, broken);
    }
  });

  test('a broken block in the middle of a Terraform file: the provider after it is still reported', () => {
    const text = `resource "aws_iam_access_key" "k" {\n  user = "ci"\n}\n\nresource "aws_s3_bucket" "b" {\n  bucket = "x" +\n}\n\n${TERRAFORM}`;
    const report = analyze('tf/main.tf', text);
    assert.ok(report.errors.length > 0);
    assert.deepEqual(findingKeys(report), ['long-lived-key@0:0', 'provider-static-credentials@9:0', 'hardcoded-secret@11:16']);
  });

  test(
    'a resource missing its closing brace: the provider after it is still reported',
    () => {
      const text = `resource "aws_s3_bucket" "b" {\n  bucket = "x"\n\n${TERRAFORM}`;
      const report = analyze('tf/main.tf', text);
      assert.deepEqual(findingKeys(report), ['provider-static-credentials@4:0', 'hardcoded-secret@6:16']);
    },
  );

  test('a Helm chart template: no dialect, a note, no findings', () => {
    const template = `{{- if .Values.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            {{- range $k, $v := .Values.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
            - name: AWS_ACCESS_KEY_ID
              value: {{ .Values.aws.accessKeyId }}
{{- end }}
`;
    for (const text of [template, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.x }}\n`]) {
      const report = analyze('charts/app/templates/deployment.yaml', text);
      assert.equal(report.dialect, null);
      assert.deepEqual(report.findings, []);
      assert.equal(report.notes.length, 1);
      assert.match(report.notes[0]!, /Helm template/);
    }
  });

  test('a file over 2 MB is skipped with a note, at once', SLOW, () => {
    const text = `${POD}${'# padding padding padding padding padding padding padding padding\n'.repeat(Math.ceil(MAX_FILE_BYTES / 66))}`;
    assert.ok(text.length > MAX_FILE_BYTES);
    for (const path of ['k8s/big.yaml', 'big.json', 'big.tf']) {
      const { value, ms } = timed(() => analyze(path, text));
      assert.ok(ms < 1_000, `${path}: ${ms.toFixed(0)} ms`);
      assert.equal(value.dialect, null);
      assert.deepEqual(value.findings, []);
      assert.deepEqual(value.notes, ['skipped: larger than 2 MB']);
    }
  });

  test('a 10 MB manifest: skipped, with bounded time and memory', SLOW, () => {
    const manifest = generateKubernetes({ bytes: 10 * 1024 * 1024, seed: 10 });
    const { value, mb } = heapGrowth(() => timed(() => analyze(manifest.path, manifest.text)));
    assert.ok(value.ms < 10_000, `analyzed in ${value.ms.toFixed(0)} ms`);
    assert.ok(mb < 64, `heap grew ${mb.toFixed(1)} MB`);
    assert.deepEqual(value.value.notes, ['skipped: larger than 2 MB']);
    assert.deepEqual(value.value.findings, []);
  });

  test('a manifest just under the limit is read in full, in bounded time', SLOW, () => {
    // The largest file the engine accepts is its worst case: every planted finding, under 30 s
    // even on a loaded two-core CI runner (about 4 s on a quiet one).
    const manifest = generateKubernetes({ bytes: MAX_FILE_BYTES - 64 * 1024, seed: 11 });
    assert.ok(manifest.text.length < MAX_FILE_BYTES);
    const { value, ms } = timed(() => analyze(manifest.path, manifest.text));
    assert.ok(ms < 30_000, `analyzed in ${ms.toFixed(0)} ms`);
    assert.equal(value.findings.length, manifest.expected.length);
  });
});
