/**
 * Deterministic generators of large, realistic inputs: a GitHub Actions workflow, a Terraform
 * file, a multi-document Kubernetes manifest, a CloudFormation template and a GitLab pipeline,
 * and `writeTree`, a folder of thousands of them for the scan benchmarks. The benchmark times
 * them; tests reuse them (a 300 KB manifest whose findings are all known in advance, a tree for
 * the CLI's worker threads).
 *
 * Each generator plants credentials on purpose and returns, with the text, the findings the
 * engine must report for them: rule id and 0-based line, as in a FileReport's ranges. The same
 * options always give the same text, so numbers from two runs compare.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ExpectedFinding {
  rule: string;
  /** 0-based line where the finding starts. */
  line: number;
}

export interface Generated {
  /** A path that makes dialect detection pick the intended dialect. */
  path: string;
  text: string;
  expected: ExpectedFinding[];
}

export interface GenerateOptions {
  /** Stop adding units once the text has at least this many lines. */
  lines?: number;
  /** Stop adding units once the text has at least this many UTF-16 code units. */
  bytes?: number;
  seed?: number;
  /**
   * false: only the units that plant no credential (clean files, as most files of a real tree
   * are). Default true.
   */
  plant?: boolean;
}

/** mulberry32: tiny, fast and good enough to vary names and values reproducibly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';

class Builder {
  readonly lines: string[] = [];
  readonly expected: ExpectedFinding[] = [];
  private chars = 0;

  constructor(private readonly options: GenerateOptions) {}

  /** Appends lines; returns the 0-based line of the first. */
  add(...lines: string[]): number {
    const first = this.lines.length;
    for (const line of lines) {
      this.lines.push(line);
      this.chars += line.length + 1;
    }
    return first;
  }

  expect(rule: string, line: number): void {
    this.expected.push({ rule, line });
  }

  get full(): boolean {
    const { lines, bytes } = this.options;
    if (lines === undefined && bytes === undefined) return this.lines.length >= 1000;
    return (lines !== undefined && this.lines.length >= lines) || (bytes !== undefined && this.chars >= bytes);
  }

  result(path: string): Generated {
    const expected = [...this.expected].sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
    return { path, text: `${this.lines.join('\n')}\n`, expected };
  }
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function token(rand: () => number, alphabet: string, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

/** A well-formed AWS access key id (AKIA + 16 of [A-Z2-7]), unique enough per run. */
function accessKeyId(rand: () => number): string {
  return `AKIA${token(rand, UPPER_DIGITS, 16)}`;
}

/** A 40-character secret mixing cases, digits and '/', as the detector requires. */
function secretAccessKey(rand: () => number): string {
  return `${token(rand, SECRET_ALPHABET, 37)}a/7`;
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

const RUNNERS = ['ubuntu-latest', 'ubuntu-24.04', 'macos-latest', 'windows-latest'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'];

/**
 * One workflow with many jobs. Job kinds rotate so every credential pattern appears many times:
 * configure-aws-credentials with key inputs, AWS keys in a job's `env`, a literal key in a step's
 * `env`, an npm publish with a static token, OIDC jobs and plain build jobs (no finding).
 */
export function generateWorkflow(options: GenerateOptions = {}): Generated {
  const rand = random(options.seed ?? 1);
  const b = new Builder(options);
  b.add(
    'name: generated',
    'on:',
    '  push:',
    '    branches: [main]',
    '  pull_request:',
    'permissions:',
    '  contents: read',
    'env:',
    '  CI: "true"',
    'jobs:',
  );
  for (let n = 0; !b.full; n++) {
    const id = `job-${n}`;
    const region = pick(rand, REGIONS);
    b.add(
      `  ${id}:`,
      `    name: Job ${n}`,
      `    runs-on: ${pick(rand, RUNNERS)}`,
      '    timeout-minutes: 30',
    );
    // Kinds 4 and 5 plant nothing.
    switch (options.plant === false ? 4 + (n % 2) : n % 6) {
      case 0: {
        b.add('    steps:', '      - uses: actions/checkout@v4', '      - name: Configure AWS');
        const uses = b.add('        uses: aws-actions/configure-aws-credentials@v4');
        b.expect('static-cloud-credentials', uses);
        b.add(
          '        with:',
          '          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}',
          '          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}',
          `          aws-region: ${region}`,
          `      - run: aws s3 sync ./dist s3://bucket-${n}/ --delete`,
        );
        break;
      }
      case 1: {
        b.add('    env:');
        const key = b.add('      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}');
        b.expect('static-cloud-credentials', key);
        b.add(
          '      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}',
          `      AWS_DEFAULT_REGION: ${region}`,
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - name: Deploy',
          '        run: |',
          '          set -euo pipefail',
          `          aws cloudformation deploy --stack-name stack-${n} --template-file template.yaml`,
          `          echo "deployed ${n}"`,
        );
        break;
      }
      case 2: {
        b.add('    steps:', '      - uses: actions/checkout@v4', '      - name: Upload', '        env:');
        const key = b.add(`          AWS_ACCESS_KEY_ID: ${accessKeyId(rand)}`);
        b.expect('static-cloud-credentials', key);
        b.expect('hardcoded-secret', key);
        b.add(
          '          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}',
          `        run: aws s3 cp build.zip s3://artifacts-${n}/`,
        );
        break;
      }
      case 3: {
        b.add(
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - uses: actions/setup-node@v4',
          '        with:',
          '          node-version: 20',
          "          registry-url: 'https://registry.npmjs.org'",
          '      - run: npm ci',
          '      - run: npm publish',
          '        env:',
        );
        const token = b.add('          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}');
        b.expect('static-registry-token', token);
        break;
      }
      case 4: {
        b.add(
          '    permissions:',
          '      id-token: write',
          '      contents: read',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - uses: aws-actions/configure-aws-credentials@v4',
          '        with:',
          `          role-to-assume: arn:aws:iam::123456789012:role/deploy-${n}`,
          '          role-session-name: gha-${{ github.run_id }}',
          `          aws-region: ${region}`,
          '      - run: aws sts get-caller-identity',
        );
        break;
      }
      default: {
        b.add(
          '    strategy:',
          '      matrix:',
          '        node: [18, 20, 22]',
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - uses: actions/setup-node@v4',
          '        with:',
          '          node-version: ${{ matrix.node }}',
          '          cache: npm',
          '      - run: npm ci',
          '      - name: Test',
          '        run: |',
          '          npm run lint',
          '          npm test -- --coverage',
          '        env:',
          `          SHARD: "${n}"`,
          '          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
        );
      }
    }
  }
  return b.result('.github/workflows/generated.yml');
}

// ---------------------------------------------------------------------------------------------
// Terraform

const POLICY_ACTIONS = ['s3:GetObject', 's3:PutObject', 'dynamodb:Query', 'sqs:SendMessage', 'logs:PutLogEvents'];

/**
 * A Terraform file of providers, variables, IAM roles with `jsonencode` trust policies, policies
 * written as heredocs, buckets and some `aws_iam_access_key` resources.
 */
export function generateTerraform(options: GenerateOptions = {}): Generated {
  const rand = random(options.seed ?? 2);
  const b = new Builder(options);
  b.add(
    'terraform {',
    '  required_providers {',
    '    aws = {',
    '      source  = "hashicorp/aws"',
    '      version = "~> 5.0"',
    '    }',
    '  }',
    '}',
    '',
    'variable "aws_secret_key" {',
    '  type      = string',
    '  sensitive = true',
    '}',
    '',
  );
  for (let n = 0; !b.full; n++) {
    // Kinds 0 and 3 plant credentials; the others do not.
    switch (options.plant === false ? [1, 2, 4, 5, 6][n % 5] : n % 7) {
      case 0: {
        const block = b.add(`provider "aws" {`);
        b.expect('provider-static-credentials', block);
        b.add(`  alias      = "p${n}"`, `  region     = "${pick(rand, REGIONS)}"`);
        const key = b.add(`  access_key = "${accessKeyId(rand)}"`);
        b.expect('hardcoded-secret', key);
        b.add('  secret_key = var.aws_secret_key', '}', '');
        break;
      }
      case 1: {
        b.add(
          `resource "aws_iam_role" "role_${n}" {`,
          `  name = "role-${n}"`,
          '  assume_role_policy = jsonencode({',
          '    Version = "2012-10-17"',
          '    Statement = [{',
          '      Effect    = "Allow"',
          '      Action    = "sts:AssumeRoleWithWebIdentity"',
          '      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }',
          '      Condition = {',
          '        StringEquals = {',
          '          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"',
          `          "token.actions.githubusercontent.com:sub" = "repo:org/app-${n}:ref:refs/heads/main"`,
          '        }',
          '      }',
          '    }]',
          '  })',
          '  max_session_duration = 3600',
          '  tags = {',
          `    Name = "role-${n}"`,
          '  }',
          '}',
          '',
        );
        break;
      }
      case 2: {
        b.add(
          `resource "aws_iam_policy" "policy_${n}" {`,
          `  name   = "policy-${n}"`,
          '  policy = <<EOF',
          '{',
          '  "Version": "2012-10-17",',
          '  "Statement": [',
          '    {',
          '      "Effect": "Allow",',
          `      "Action": ["${pick(rand, POLICY_ACTIONS)}", "${pick(rand, POLICY_ACTIONS)}"],`,
          `      "Resource": "arn:aws:s3:::bucket-${n}/*"`,
          '    }',
          '  ]',
          '}',
          'EOF',
          '}',
          '',
        );
        break;
      }
      case 3: {
        b.add(`resource "aws_iam_user" "user_${n}" {`, `  name = "ci-${n}"`, '}', '');
        const key = b.add(`resource "aws_iam_access_key" "key_${n}" {`);
        b.expect('long-lived-key', key);
        b.add(`  user = aws_iam_user.user_${n}.name`, '}', '');
        break;
      }
      case 4: {
        b.add(
          `resource "aws_s3_bucket" "bucket_${n}" {`,
          `  bucket = "bucket-${n}-\${var.environment}"`,
          '  tags = {',
          '    Environment = var.environment',
          `    Owner       = "team-${n % 5}"`,
          '  }',
          '}',
          '',
          `resource "aws_s3_bucket_versioning" "bucket_${n}" {`,
          `  bucket = aws_s3_bucket.bucket_${n}.id`,
          '  versioning_configuration {',
          '    status = "Enabled"',
          '  }',
          '}',
          '',
        );
        break;
      }
      case 5: {
        b.add(
          `module "service_${n}" {`,
          '  source = "./modules/service"',
          `  name   = "service-${n}"`,
          '  ports  = [80, 443]',
          '  env = {',
          '    LOG_LEVEL = "info"',
          `    SHARD     = "${n}"`,
          '  }',
          '}',
          '',
        );
        break;
      }
      default: {
        b.add(
          'locals {',
          `  name_${n} = "svc-\${var.environment}-${n}"`,
          `  list_${n} = [for i in range(3) : "item-\${i}"]`,
          '}',
          '',
          `data "aws_iam_policy_document" "doc_${n}" {`,
          '  statement {',
          '    effect    = "Allow"',
          `    actions   = ["${pick(rand, POLICY_ACTIONS)}"]`,
          `    resources = ["arn:aws:s3:::bucket-${n}"]`,
          '  }',
          '}',
          '',
        );
      }
    }
  }
  b.add('variable "environment" {', '  type    = string', '  default = "dev"', '}');
  return b.result('generated.tf');
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

/**
 * A multi-document manifest: Deployments (some given AWS keys through `env`, literally or from a
 * Secret, some leaving their service-account token mounted), Services and ConfigMaps.
 */
export function generateKubernetes(options: GenerateOptions = {}): Generated {
  const rand = random(options.seed ?? 3);
  const b = new Builder(options);
  for (let n = 0; !b.full; n++) {
    if (n > 0) b.add('---');
    if (n % 5 === 3) {
      b.add(
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: svc-${n}`,
        'spec:',
        '  selector:',
        `    app: app-${n}`,
        '  ports:',
        '    - port: 80',
        '      targetPort: 8080',
      );
      continue;
    }
    if (n % 5 === 4) {
      b.add(
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        `  name: config-${n}`,
        'data:',
        '  LOG_LEVEL: info',
        `  REGION: ${pick(rand, REGIONS)}`,
      );
      continue;
    }
    b.add(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: app-${n}`,
      '  labels:',
      `    app: app-${n}`,
      'spec:',
      `  replicas: ${1 + (n % 3)}`,
      '  selector:',
      '    matchLabels:',
      `      app: app-${n}`,
      '  template:',
      '    metadata:',
      '      labels:',
      `        app: app-${n}`,
    );
    // Every fifth Deployment (planting) leaves its token mounted: sa-token-automount, on `spec:`.
    const podSpec = b.add('    spec:', `      serviceAccountName: sa-${n}`);
    if (options.plant !== false && n % 5 === 2) b.expect('sa-token-automount', podSpec);
    else b.add('      automountServiceAccountToken: false');
    b.add(
      '      containers:',
      `        - name: app-${n}`,
      `          image: registry.example.com/app:${n}.0.0`,
      '          ports:',
      '            - containerPort: 8080',
      '          resources:',
      '            limits:',
      '              memory: 256Mi',
      '              cpu: 500m',
      '          env:',
      '            - name: LOG_LEVEL',
      '              value: info',
    );
    if (options.plant === false) continue;
    if (n % 5 === 0) {
      const name = b.add('            - name: AWS_ACCESS_KEY_ID');
      b.expect('pod-static-cloud-credentials', name);
      const value = b.add(`              value: ${accessKeyId(rand)}`);
      b.expect('hardcoded-secret', value);
      b.add('            - name: AWS_SECRET_ACCESS_KEY', `              value: ${secretAccessKey(rand)}`);
    } else if (n % 5 === 1) {
      const name = b.add('            - name: AWS_ACCESS_KEY_ID');
      b.expect('pod-static-cloud-credentials', name);
      b.add(
        '              valueFrom:',
        '                secretKeyRef:',
        `                  name: aws-${n}`,
        '                  key: id',
        '            - name: AWS_SECRET_ACCESS_KEY',
        '              valueFrom:',
        '                secretKeyRef:',
        `                  name: aws-${n}`,
        '                  key: secret',
      );
    }
  }
  return b.result('generated/manifests.yaml');
}

// ---------------------------------------------------------------------------------------------
// CloudFormation

/**
 * A template of IAM roles, buckets and functions, with an `AWS::IAM::AccessKey` (long-lived-key, on
 * its logical id) every fifth resource group when planting.
 */
export function generateCloudFormation(options: GenerateOptions = {}): Generated {
  const rand = random(options.seed ?? 4);
  const b = new Builder(options);
  b.add('AWSTemplateFormatVersion: "2010-09-09"', 'Description: generated', 'Resources:');
  for (let n = 0; !b.full; n++) {
    switch (options.plant === false ? 1 + (n % 3) : n % 5) {
      case 0: {
        b.add(`  User${n}:`, '    Type: AWS::IAM::User');
        const key = b.add(`  Key${n}:`);
        b.expect('long-lived-key', key);
        b.add('    Type: AWS::IAM::AccessKey', '    Properties:', `      UserName: !Ref User${n}`);
        break;
      }
      case 1: {
        b.add(
          `  Role${n}:`,
          '    Type: AWS::IAM::Role',
          '    Properties:',
          `      RoleName: role-${n}`,
          '      AssumeRolePolicyDocument:',
          "        Version: '2012-10-17'",
          '        Statement:',
          '          - Effect: Allow',
          '            Principal:',
          '              Service: lambda.amazonaws.com',
          "            Action: 'sts:AssumeRole'",
          '      Policies:',
          `        - PolicyName: policy-${n}`,
          '          PolicyDocument:',
          "            Version: '2012-10-17'",
          '            Statement:',
          '              - Effect: Allow',
          `                Action: ['${pick(rand, POLICY_ACTIONS)}']`,
          `                Resource: !Sub 'arn:aws:s3:::bucket-${n}/*'`,
        );
        break;
      }
      case 2: {
        b.add(
          `  Bucket${n}:`,
          '    Type: AWS::S3::Bucket',
          '    Properties:',
          `      BucketName: !Sub 'bucket-${n}-\${AWS::Region}'`,
          '      VersioningConfiguration:',
          '        Status: Enabled',
          '      Tags:',
          '        - Key: team',
          `          Value: team-${n % 5}`,
        );
        break;
      }
      default: {
        b.add(
          `  Function${n}:`,
          '    Type: AWS::Lambda::Function',
          '    Properties:',
          '      Runtime: nodejs20.x',
          '      Handler: index.handler',
          `      Role: !GetAtt Role${n - 2}.Arn`,
          '      Timeout: 30',
          '      Environment:',
          '        Variables:',
          `          REGION: ${pick(rand, REGIONS)}`,
          '          LOG_LEVEL: info',
          '      Code:',
          '        ZipFile: |',
          '          exports.handler = async () => ({ statusCode: 200 });',
        );
      }
    }
  }
  return b.result('generated/template.yaml');
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

/** A pipeline of build, test and deploy jobs; deploy jobs with AWS key variables when planting. */
export function generateGitLab(options: GenerateOptions = {}): Generated {
  const rand = random(options.seed ?? 5);
  const b = new Builder(options);
  b.add('stages: [build, test, deploy]', 'default:', '  image: node:20', '');
  for (let n = 0; !b.full; n++) {
    switch (options.plant === false ? n % 2 : n % 3) {
      case 0: {
        b.add(
          `build-${n}:`,
          '  stage: build',
          '  script:',
          '    - npm ci',
          '    - npm run build',
          '  artifacts:',
          '    paths: [dist/]',
          '',
        );
        break;
      }
      case 1: {
        b.add(
          `test-${n}:`,
          '  stage: test',
          '  parallel: 3',
          '  script:',
          '    - npm ci',
          `    - npm test -- --shard=${n}`,
          '  rules:',
          '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
          '',
        );
        break;
      }
      default: {
        b.add(`deploy-${n}:`, '  stage: deploy', '  image: amazon/aws-cli', '  variables:');
        const key = b.add('    AWS_ACCESS_KEY_ID: $PROD_AWS_KEY_ID');
        b.expect('static-cloud-credentials', key);
        b.add(
          '    AWS_SECRET_ACCESS_KEY: $PROD_AWS_SECRET',
          `    AWS_DEFAULT_REGION: ${pick(rand, REGIONS)}`,
          '  script:',
          `    - aws s3 sync dist s3://site-${n}`,
          '',
        );
      }
    }
  }
  return b.result('.gitlab-ci.yml');
}

// ---------------------------------------------------------------------------------------------
// A tree of many files

export interface TreeOptions {
  files: number;
  seed?: number;
}

export interface TreeSummary {
  files: number;
  bytes: number;
  lines: number;
}

/**
 * A folder of repositories as an organisation's checkout looks: per repository a few workflows, a
 * GitLab pipeline, Terraform (some `.tf.json`), Kubernetes manifests and CloudFormation templates
 * (YAML and JSON). Sizes are log-uniform from 10 to 300 lines, with one file in a hundred of 1,000
 * to 3,000 lines; about one file in four plants credentials (planted manifests also carry a Secret
 * with a key pair in `stringData`). Only files Keyless reads are written,
 * so every tool compared over the tree reads the same files. Deterministic for a seed.
 */
export function writeTree(root: string, options: TreeOptions): TreeSummary {
  const rand = random(options.seed ?? 7);
  const summary: TreeSummary = { files: 0, bytes: 0, lines: 0 };
  const perRepo = 50;
  for (let i = 0; summary.files < options.files; i++) {
    const repo = `repo-${String(Math.floor(i / perRepo)).padStart(3, '0')}`;
    const slot = i % perRepo;
    const large = rand() < 0.01;
    const lines = large ? 1000 + Math.floor(rand() * 2000) : Math.round(Math.exp(Math.log(10) + rand() * (Math.log(300) - Math.log(10))));
    const plant = rand() < 0.25;
    const seed = (options.seed ?? 7) * 100_003 + i;
    const o: GenerateOptions = { lines, seed, plant };
    let file: { path: string; text: string };
    if (slot < 4) file = { path: `.github/workflows/wf-${slot}.yml`, text: generateWorkflow(o).text };
    else if (slot === 4) file = { path: '.gitlab-ci.yml', text: generateGitLab(o).text };
    else if (slot < 22) file = { path: `infra/mod-${slot % 4}/file-${slot}.tf`, text: generateTerraform(o).text };
    else if (slot < 24) file = { path: `infra/json/file-${slot}.tf.json`, text: terraformJson(o) };
    else if (slot < 40) file = { path: `k8s/app-${slot % 3}/manifest-${slot}.yaml`, text: generateKubernetes(o).text + (plant ? awsSecret(seed) : '') };
    else if (slot < 46) file = { path: `cloudformation/stack-${slot}.yaml`, text: generateCloudFormation(o).text };
    else file = { path: `cloudformation/stack-${slot}.json`, text: cloudFormationJson(o) };
    const full = path.join(root, repo, file.path);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, file.text);
    summary.files++;
    summary.bytes += Buffer.byteLength(file.text);
    summary.lines += file.text.split('\n').length - 1;
  }
  return summary;
}

/**
 * A Secret holding an AWS key pair in `stringData`, the form secret scanners that match
 * `AWS_SECRET_ACCESS_KEY: <40 characters>` recognise (secretlint's recommended preset reports the
 * secret, not a lone key id), appended to a planted manifest.
 */
function awsSecret(seed: number): string {
  const rand = random(seed);
  return ['---', 'apiVersion: v1', 'kind: Secret', 'metadata:', `  name: aws-${seed}`, 'stringData:', `  AWS_ACCESS_KEY_ID: ${accessKeyId(rand)}`, `  AWS_SECRET_ACCESS_KEY: ${secretAccessKey(rand)}`, ''].join('\n');
}

/** Terraform JSON: a provider (with a literal key when planting) and buckets, to about `lines`. */
function terraformJson(options: GenerateOptions): string {
  const rand = random(options.seed ?? 8);
  const resources: Record<string, unknown> = {};
  for (let n = 0; n * 9 < (options.lines ?? 100); n++) resources[`bucket_${n}`] = { bucket: `bucket-${n}`, tags: { Owner: `team-${n % 5}` } };
  const provider = options.plant === false ? { region: pick(rand, REGIONS) } : { region: pick(rand, REGIONS), access_key: accessKeyId(rand), secret_key: '${var.aws_secret_key}' };
  return `${JSON.stringify({ provider: { aws: provider }, resource: { aws_s3_bucket: resources } }, null, 2)}\n`;
}

/** A CloudFormation template in JSON, to about `lines`; an access key when planting. */
function cloudFormationJson(options: GenerateOptions): string {
  const resources: Record<string, unknown> = {};
  if (options.plant !== false) {
    resources.User = { Type: 'AWS::IAM::User' };
    resources.Key = { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'User' } } };
  }
  for (let n = 0; n * 12 < (options.lines ?? 100); n++) {
    resources[`Bucket${n}`] = { Type: 'AWS::S3::Bucket', Properties: { BucketName: `bucket-${n}`, VersioningConfiguration: { Status: 'Enabled' }, Tags: [{ Key: 'team', Value: `team-${n % 5}` }] } };
  }
  return `${JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2)}\n`;
}
