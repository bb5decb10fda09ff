import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine, type FileReport } from '../../server/src/engine/analyze';
import { createEngine, readHclWasm } from '../../server/src/workspace/grammar';
import { extractFacts } from '../../server/src/engine/extract';
import { parseFile } from '../../server/src/engine/parse';
import { loadHcl } from '../../server/src/syntax/hcl';
import { ALIAS_BUDGET, type DataNode } from '../../server/src/syntax/tree';
import { YamlParseCache } from '../../server/src/syntax/yaml-incremental';
import { terraformFromHcl } from '../../server/src/dialects/terraform/hcl-reader';
import { MAX_EXPRESSION_DEPTH } from '../../server/src/dialects/terraform/model';
import type { Parser } from 'web-tree-sitter';
import { MAX_STATEMENTS } from '../../server/src/dialects/iam-policy/policy-document';

/**
 * Hostile input through the engine: what used to kill the process (a regular expression compiled
 * by V8 near the end of the stack), lose a file's analysis (a recursive walk overflowing), or hang
 * it (an alias bomb walked by a reader). Each case either completes or says why it stopped, and
 * the secret scan reports the planted key pair either way.
 */

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** Generous: the real numbers (tens to hundreds of ms) are in bench/hostile.ts; this only catches hangs. */
const CEILING_MS = 5_000;
const SLOW = { timeout: 120_000 };

let engine: Engine;
let hclParser: Parser;
before(async () => {
  engine = await createEngine();
  hclParser = await loadHcl(readHclWasm());
});

function analyze(path: string, text: string, options: Parameters<Engine['analyze']>[1] = {}): { report: FileReport; ms: number } {
  const ruleErrors: string[] = [];
  const start = performance.now();
  const report = engine.analyze({ path, text }, { ...options, onRuleError: (rule, error) => ruleErrors.push(`${rule.id}: ${String(error)}`) });
  const ms = performance.now() - start;
  assert.deepEqual(ruleErrors, [], `${path}: rules threw`);
  return { report, ms };
}

const rules = (report: FileReport): string[] => [...new Set(report.findings.map((f) => f.rule))].sort();
const failures = (report: FileReport): string[] => report.errors.filter((e) => e.failure).map((e) => e.message);
const brackets = (depth: number, inner: string): string => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

describe('deep YAML nesting analyzed again in the same process (V8 aborted compiling a regex near the stack end)', () => {
  const shapes: Record<string, (depth: number) => [string, string]> = {
    'a comment line wrapped in brackets (CloudFormation)': (d) => ['template.yaml', `${brackets(d, '# header')}\nAWSTemplateFormatVersion: "2010-09-09"\nResources:\n  K:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: ci\n`],
    'a key wrapped in brackets (Kubernetes)': (d) => ['pod.yaml', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: a\n      image: nginx\n      env:\n        - name: AWS_ACCESS_KEY_ID\n          value: ${brackets(d, KEY)}\n`],
    'a run step wrapped in brackets (GitHub Actions)': (d) => ['.github/workflows/ci.yml', `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${brackets(d, `aws configure set aws_access_key_id ${KEY}`)}\n`],
    'flow maps (GitLab CI)': (d) => ['.gitlab-ci.yml', `job:\n  script: [echo]\n  variables: ${'{a: '.repeat(d)}${KEY}${'}'.repeat(d)}\n`],
    'compact block sequences': (d) => ['pod.yaml', `apiVersion: v1\nkind: Pod\nspec:\n  x:\n    ${'- '.repeat(d)}${KEY}\n`],
  };
  for (const [name, make] of Object.entries(shapes)) {
    for (const depth of [1_000, 2_000, 5_000]) {
      test(`${name}, depth ${depth}: three analyses (whole and incremental) complete`, SLOW, () => {
        const [path, text] = make(depth);
        const cache = new YamlParseCache();
        for (let round = 0; round < 3; round++) {
          const edited = `${text}${'\n'.repeat(round)}`;
          const { report, ms } = analyze(path, edited, { yamlCache: round === 0 ? undefined : cache });
          assert.ok(ms < CEILING_MS, `${ms} ms`);
          assert.deepEqual(failures(report), []);
        }
      });
    }
  }

  test('a key nested past MAX_DEPTH is still reported by the secret scan, on its own span', () => {
    const [path, text] = shapes['a key wrapped in brackets (Kubernetes)']!(1_000);
    const { report } = analyze(path, text);
    const secret = report.findings.find((f) => f.rule === 'hardcoded-secret');
    assert.ok(secret, JSON.stringify(rules(report)));
    assert.equal(text.slice(secret.span.start, secret.span.end), KEY);
    assert.ok(report.errors.some((e) => /nesting deeper than/.test(e.message)));
  });

  test('depth 500 (inside the limit) is analyzed as before: the finding comes from the reader too', () => {
    const [path, text] = shapes['a key wrapped in brackets (Kubernetes)']!(400);
    const { report } = analyze(path, text);
    assert.ok(rules(report).includes('hardcoded-secret'));
    assert.ok(!report.errors.some((e) => /nesting deeper than/.test(e.message)));
  });
});

describe('deep Terraform expressions (a recursive conversion overflowed the stack and lost the file)', () => {
  const provider = (attribute: string): string => `provider "aws" {\n  region     = ${attribute}\n  access_key = "${KEY}"\n  secret_key = "${SECRET}"\n}\n`;
  const cases: Record<string, string> = {
    parentheses: provider(`${'('.repeat(5_000)}"us-east-1"${')'.repeat(5_000)}`),
    'function calls': provider(`${'f('.repeat(5_000)}1${')'.repeat(5_000)}`),
    objects: provider(`${'{ a = '.repeat(5_000)}1${' }'.repeat(5_000)}`),
    tuples: provider(brackets(5_000, '1')),
    'a policy with deep brackets beside the provider': `resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Statement = [${brackets(5_000, '')}] })\n}\n${provider('"us-east-1"')}`,
    'the key itself inside 5,000 parentheses': `provider "aws" {\n  access_key = ${'('.repeat(5_000)}"${KEY}"${')'.repeat(5_000)}\n  secret_key = "${SECRET}"\n}\n`,
  };
  for (const [name, text] of Object.entries(cases)) {
    test(`${name}: the provider's key pair is reported, nothing fails`, SLOW, () => {
      for (const fixes of [false, true]) {
        const { report, ms } = analyze('main.tf', text, { fixes });
        assert.ok(ms < CEILING_MS, `${ms} ms`);
        assert.deepEqual(failures(report), []);
        assert.deepEqual(rules(report), ['hardcoded-secret', 'provider-static-credentials']);
      }
    });
  }

  test(`past MAX_EXPRESSION_DEPTH an expression is kept opaque ('other'), with its span`, () => {
    const text = `locals {\n  x = ${brackets(MAX_EXPRESSION_DEPTH, '1')}\n}\n`;
    const parsed = parseFile('main.tf', text, 'hcl', hclParser, Infinity);
    try {
      assert.ok(parsed.hcl);
      const locals = terraformFromHcl(parsed.hcl.rootNode, text).blocks[0]!;
      let value = locals.attributes()[0]!.value;
      let levels = 0;
      while (value.kind === 'tuple') {
        value = value.items[0]!;
        levels++;
      }
      assert.equal(value.kind, 'other');
      assert.ok(levels > 10 && levels < MAX_EXPRESSION_DEPTH, String(levels));
      assert.equal(text.slice(value.span.start, value.span.end).startsWith('['), true);
    } finally {
      parsed.dispose();
    }
  });
});

describe('a file whose analysis fails still gets the secret scan, and says it failed', () => {
  const TF = `provider "aws" {\n  access_key = "${KEY}"\n  secret_key = "${SECRET}"\n}\n`;

  test('an HCL parse stopped by its deadline: a failure, and the key pair from the text alone', () => {
    // A deadline already past: the parser gives up at its first progress check.
    const big = `${TF}${'locals {\n  x = [1, 2, 3]\n}\n'.repeat(20_000)}`;
    const parsed = parseFile('main.tf', big, 'hcl', hclParser, 0);
    try {
      assert.equal(parsed.hcl, null);
      assert.equal(parsed.dialect, 'terraform');
      assert.ok(parsed.errors.some((e) => e.failure && e.message === 'parsing took too long and was stopped'));
      const facts = extractFacts(parsed, big);
      const kinds = facts.credentials.map((c) => c.kind).sort();
      assert.deepEqual(kinds, ['aws-access-key-id', 'aws-secret-access-key']);
    } finally {
      parsed.dispose();
    }
  });

  test('a reader that throws: a failure message naming the reader, never the text; the scan still runs', () => {
    const text = `apiVersion: v1\nkind: Pod\nspec:\n  env: ${KEY}\n`;
    const parsed = parseFile('pod.yaml', text, 'yaml', hclParser, Infinity);
    assert.equal(parsed.dialect, 'kubernetes');
    // A tree the reader cannot walk (a bug's stand-in): reading `pairs` throws.
    const root = parsed.documents[0]!.root!;
    const broken = { ...root, get pairs(): never { throw new TypeError(`boom ${KEY}`); } } as unknown as DataNode;
    const failed = { ...parsed, documents: [{ ...parsed.documents[0]!, root: broken }] };
    const messages: string[] = [];
    const facts = extractFacts(failed, text, { onFailure: (m) => messages.push(m) });
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /^the Kubernetes reader failed \(TypeError\)/);
    assert.ok(!messages[0]!.includes(KEY));
    assert.deepEqual(facts.credentials.map((c) => c.kind), ['aws-access-key-id']);
  });

  test('a locator that throws: the scan runs again over the text, every candidate counting', () => {
    const other = KEY.replace('EXAMPLE', 'EXAMPLF');
    const text = `key: ${KEY}\nlist: [${other}]\n`;
    const parsed = parseFile('x.yaml', text, 'yaml', hclParser, Infinity);
    const failed = { ...parsed, locator: { containerAt: (): string => { throw new RangeError('deep'); } } };
    const messages: string[] = [];
    const facts = extractFacts(failed, text, { onFailure: (m) => messages.push(m) });
    assert.deepEqual(messages, ['the syntax tree could not place credential candidates (RangeError): every candidate in the text is reported']);
    const values = facts.credentials.map((c) => (c.origin === 'literal' ? text.slice(c.valueSpan.start, c.valueSpan.end) : ''));
    assert.deepEqual(values, [KEY, other]);
  });
});

/** Billion laughs: `levels` anchors of `width` entries, each an alias to the level below. */
function mapBomb(indent: string, levels = 9, width = 9): string {
  const names = 'abcdefghijklmnopqrstuvwxyz';
  const lines = [`${indent}${names[0]}: &${names[0]} {${Array.from({ length: width }, (_, j) => `k${j}: lol`).join(', ')}}`];
  for (let i = 1; i < levels; i++) lines.push(`${indent}${names[i]}: &${names[i]} {${Array.from({ length: width }, (_, j) => `k${j}: *${names[i - 1]}`).join(', ')}}`);
  return lines.join('\n');
}
function seqBomb(indent: string, levels = 9, width = 9): string {
  const names = 'abcdefghijklmnopqrstuvwxyz';
  const lines = [`${indent}${names[0]}: &${names[0]} [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`${indent}${names[i]}: &${names[i]} [${Array(width).fill(`*${names[i - 1]}`).join(', ')}]`);
  return lines.join('\n');
}

describe('alias bombs in every YAML dialect: each analysis finishes fast, and says why it stopped', () => {
  const keyPair = (indent: string): string => `${indent}AWS_ACCESS_KEY_ID: ${KEY}\n${indent}AWS_SECRET_ACCESS_KEY: ${SECRET}\n`;
  const bombs: Record<string, [string, string, boolean]> = {
    'CloudFormation (policy documents through aliases)': [
      'template.yaml',
      `AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n${seqBomb('  ')}\nResources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement: *i\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n${keyPair('          ')}`,
      true,
    ],
    'CloudFormation (a role whose trust and policies are bombs)': [
      'template.yaml',
      `AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n${mapBomb('  ')}\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: *i\n      Policies: [*i, *i]\n      Tags: *i\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n${keyPair('          ')}`,
      true,
    ],
    'GitHub Actions': [
      '.github/workflows/ci.yml',
      `on: push\nenv:\n${mapBomb('  x')}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env: *xi\n    services: *xi\n    strategy: { matrix: *xi }\n    steps:\n      - run: echo\n        env: *xi\n        with: *xi\n      - run: deploy\n        env:\n${keyPair('          ')}`,
      false,
    ],
    'GitLab CI': [
      '.gitlab-ci.yml',
      `.x:\n${mapBomb('  ')}\njob:\n  <<: *i\n  variables:\n    <<: *i\n${keyPair('    ')}  script: [*i, *h]\n  rules: *i\n`,
      false,
    ],
    Kubernetes: [
      'pod.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n${mapBomb('    ')}\nspec:\n  volumes: *i\n  containers:\n    - name: a\n      image: nginx\n      envFrom: *i\n      env:\n        - name: AWS_ACCESS_KEY_ID\n          value: ${KEY}\n        - name: AWS_SECRET_ACCESS_KEY\n          value: ${SECRET}\n`,
      false,
    ],
    'Kubernetes List whose items are bombs': [
      'list.yaml',
      `apiVersion: v1\nkind: List\nx:\n${mapBomb('  ')}\nitems: [*i, *i, *i]\n`,
      false,
    ],
  };
  for (const [name, [path, text, stops]] of Object.entries(bombs)) {
    test(`${name}: ${text.length} bytes analyzed in under ${CEILING_MS / 1000} s${stops ? ', stopped at the alias budget' : ''}`, SLOW, () => {
      for (const fixes of [false, true]) {
        const { report, ms } = analyze(path, text, { fixes });
        assert.ok(ms < CEILING_MS, `${ms} ms`);
        if (stops) assert.deepEqual(failures(report), [`YAML aliases expand to more than ${ALIAS_BUDGET.toLocaleString('en-US')} nodes (an alias bomb?): reading stopped there; the secret scan still ran`]);
        else assert.deepEqual(failures(report), []);
        if (text.includes(SECRET)) assert.ok(rules(report).includes('hardcoded-secret'), JSON.stringify(rules(report)));
      }
    });
  }

  test('a hover over a bomb file answers too (one budget per analysis, not per process)', () => {
    const [path, text] = bombs['CloudFormation (policy documents through aliases)']!;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      engine.hover({ path, text }, { line: 3, character: 4 });
      assert.ok(performance.now() - start < CEILING_MS);
    }
    // After bombs, an ordinary file with aliases reads in full: the budget is per file.
    const { report } = analyze('.gitlab-ci.yml', `.d: &d\n  variables:\n${keyPair('    ')}job:\n  <<: *d\n  script: [echo]\n`);
    assert.deepEqual(failures(report), []);
    assert.ok(rules(report).includes('hardcoded-secret'));
  });
});

describe('YAML its consumers accept is not reported as broken', () => {
  test('a Kubernetes manifest whose quoted value continues at column 0: no error, the key found on its span', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  annotations:\n    note: "a long note\nthat kubectl accepts"\nspec:\n  containers:\n    - name: a\n      image: nginx\n      args: [--one,\n--two]\n      env:\n        - name: AWS_ACCESS_KEY_ID\n          value: ${KEY}\n`;
    const { report } = analyze('pod.yaml', text);
    assert.deepEqual(report.errors, []);
    const secret = report.findings.find((f) => f.rule === 'hardcoded-secret');
    assert.ok(secret);
    assert.equal(text.slice(secret.span.start, secret.span.end), KEY);
  });

  test('a CloudFormation template with a multi-line quoted description under-indented: no error', () => {
    const text = `AWSTemplateFormatVersion: "2010-09-09"\nDescription: "A template\nwhose description wraps"\nResources:\n  Key:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: !Ref User\n      Tags: [{Key: a,\n  Value: "b\n c"}]\n`;
    const { report } = analyze('template.yaml', text);
    assert.equal(report.dialect, 'cloudformation');
    assert.deepEqual(report.errors, []);
    assert.ok(rules(report).includes('long-lived-key'), JSON.stringify(rules(report)));
  });
});

describe('huge inputs stay bounded', () => {
  const MB = 1024 * 1024;
  const list = (count: number, item: (i: number) => string): string => Array.from({ length: count }, (_, i) => item(i)).join(', ');

  test('a 1 MB flow list is not parsed item by item: a note in errors, the key inside it still found', SLOW, () => {
    const items = list(Math.ceil(MB / 8), (i) => `v${i}`);
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  list: [${items.slice(0, MB / 2)}, ${KEY}, ${items.slice(MB / 2)}]\n  after: value\n`;
    const { report, ms } = analyze('config.yaml', text);
    assert.ok(ms < CEILING_MS, `${ms} ms`);
    assert.deepEqual(failures(report), []);
    assert.deepEqual(report.errors.map((e) => e.message), ['a flow collection over 64 KB is not analyzed (the secret scan still reads it)']);
    const secret = report.findings.find((f) => f.rule === 'hardcoded-secret');
    assert.ok(secret);
    assert.equal(text.slice(secret.span.start, secret.span.end), KEY);
  });

  test('flow collections under the limit are read as before', () => {
    const text = `on: push\njobs:\n  a:\n    runs-on: x\n    steps: [${list(500, (i) => `{run: echo ${i}}`)}, {run: "aws configure set aws_access_key_id ${KEY}"}]\n`;
    const { report } = analyze('.github/workflows/ci.yml', text);
    assert.deepEqual(report.errors, []);
    assert.ok(rules(report).includes('static-cloud-credentials'), JSON.stringify(rules(report)));
  });
});

describe('a policy document of 30,000 statements (no real policy is over 10,240 characters)', () => {
  test('its statements are read up to MAX_STATEMENTS, and the ones read are still judged', () => {
    const statement = '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}';
    const text = `{"Version": "2012-10-17", "Statement": [${Array(30_000).fill(statement).join(', ')}]}`;
    const parsed = parseFile('policy.json', text, 'json', hclParser, Infinity);
    try {
      const facts = extractFacts(parsed, text);
      assert.equal(parsed.dialect, 'iam-policy');
      assert.equal(facts.policies.length, 1);
      assert.equal(facts.policies[0]!.statements.length, MAX_STATEMENTS);
    } finally {
      parsed.dispose();
    }
  });
});
