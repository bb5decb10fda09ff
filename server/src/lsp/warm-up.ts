import type { Engine } from '../engine/analyze';
import { YamlParseCache } from '../syntax/yaml-incremental';

/**
 * Warming the engine before the first document: the first analysis of each dialect pays for
 * compiling its code paths (the parser, the dialect reader, the rules, the fixers), which made the
 * first edit of a 2,000-line workflow answer in ~200 ms against ~12 ms later. A small synthetic
 * file per dialect goes once through each path the editor uses, each in its own turn of the event
 * loop so that a real request waiting behind it waits for one small file at most: the diagnostics
 * path (the incremental YAML parse of open documents, no fixes), the hover at a finding, an edit
 * re-parsed from the document's cache, and the code-action path (the same file with every fix).
 *
 * Small files run each path once, and V8 compiles code that ran once only for the interpreter: the
 * first large document (a 2,000-line workflow, a 5,000-line manifest) still ran its parser and
 * readers cold, at about three times the CPU of a warm analysis (`bench/lsp-warm-up.ts`). So the
 * same samples then go through the diagnostics and edit paths again, each written out a few dozen
 * times over in one file (a few hundred lines: still one file per turn of the event loop), until
 * the hot loops are optimized. Nothing here is logged or kept.
 */

interface Sample {
  path: string;
  text: string;
}

/**
 * A sample file written as a head, `copies` units (the `i`-th naming its blocks after `i`, so that
 * no two collide) and a tail: one copy is the small sample, many a file of realistic size.
 */
interface SampleShape {
  path: string;
  head?: string;
  unit: (i: number) => string;
  separator?: string;
  tail?: string;
}

const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;

/** One shape per dialect and syntax, each with a finding (so rules, hover and fixers all run). */
const SHAPES: readonly SampleShape[] = [
  {
    path: '.github/workflows/keyless-warm-up.yml',
    head: lines('name: deploy', 'on: push', 'jobs:'),
    unit: (i) =>
      lines(
        `  deploy${suffix(i)}:`,
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: aws-actions/configure-aws-credentials@v4',
        '        with:',
        '          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}',
        '          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}',
        '          aws-region: us-east-1',
        '      - run: npm publish',
        '        env:',
        '          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
      ),
  },
  {
    path: '.gitlab-ci.yml',
    unit: (i) => lines(`deploy${suffix(i)}:`, '  variables:', '    AWS_ACCESS_KEY_ID: $KEY', '    AWS_SECRET_ACCESS_KEY: $SECRET', '  script:', '    - aws s3 ls'),
  },
  {
    path: 'keyless-warm-up.tf',
    head: lines('provider "aws" {', '  region     = "us-east-1"', '  access_key = var.access_key', '  secret_key = var.secret_key', '}', ''),
    unit: (i) =>
      lines(
        `resource "aws_iam_access_key" "ci${suffix(i)}" {`,
        '  user = "ci"',
        '}',
        '',
        `resource "aws_iam_role" "deploy${suffix(i)}" {`,
        `  name = "deploy${suffix(i)}"`,
        '  assume_role_policy = jsonencode({',
        '    Version = "2012-10-17"',
        '    Statement = [{',
        '      Effect    = "Allow"',
        '      Action    = "sts:AssumeRoleWithWebIdentity"',
        '      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }',
        '      Condition = { StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" } }',
        '    }]',
        '  })',
        '}',
        '',
      ),
  },
  {
    path: 'keyless-warm-up.tf.json',
    head: '{ "resource": { "aws_iam_access_key": { ',
    unit: (i) => `"ci${suffix(i)}": { "user": "ci" }`,
    separator: ', ',
    tail: ' } } }\n',
  },
  {
    path: 'keyless-warm-up.template.yaml',
    head: lines('AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'),
    unit: (i) => lines(`  CiUser${i}:`, '    Type: AWS::IAM::User', `  CiKey${i}:`, '    Type: AWS::IAM::AccessKey', '    Properties:', `      UserName: !Ref CiUser${i}`),
  },
  {
    path: 'keyless-warm-up.template.json',
    head: '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": { ',
    unit: (i) => `"CiKey${i}": { "Type": "AWS::IAM::AccessKey", "Properties": { "UserName": "ci" } }`,
    separator: ', ',
    tail: ' } }\n',
  },
  {
    path: 'keyless-warm-up-pod.yaml',
    unit: (i) =>
      lines(
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        `  name: app${suffix(i)}`,
        'spec:',
        '  containers:',
        '    - name: app',
        '      image: example/app:1.0',
        '      env:',
        '        - name: AWS_SECRET_ACCESS_KEY',
        '          valueFrom:',
        '            secretKeyRef:',
        '              name: aws',
        '              key: secret',
      ),
    separator: '---\n',
  },
  {
    path: 'keyless-warm-up.policy.json',
    head: '{ "Version": "2012-10-17", "Statement": [ ',
    unit: () => '{ "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": { "Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, "Resource": "*" }',
    separator: ', ',
    tail: ' ] }\n',
  },
];

/** The first copy keeps the small sample's names. */
function suffix(i: number): string {
  return i === 0 ? '' : `-${i}`;
}

function sampleOf(shape: SampleShape, copies: number): Sample {
  const units = Array.from({ length: copies }, (_, i) => shape.unit(i));
  return { path: shape.path, text: `${shape.head ?? ''}${units.join(shape.separator ?? '')}${shape.tail ?? ''}` };
}

/** One small file per dialect and syntax, each with a finding (so rules, hover and fixers all run). */
export const WARM_UP_SAMPLES: readonly Sample[] = SHAPES.map((shape) => sampleOf(shape, 1));

/**
 * Copies of each unit in the large samples: a workflow of ~300 lines, a manifest of ~340. Each is
 * one turn of the event loop (tens of milliseconds the first time), so an open arriving meanwhile
 * waits that long at most; what makes the parser's loops hot is how much text goes through them
 * in all, hence rounds of medium files rather than one large one.
 */
export const LARGE_SAMPLE_COPIES = 24;

/** The same samples written out LARGE_SAMPLE_COPIES times over: files of realistic size. */
export function largeWarmUpSamples(): Sample[] {
  return SHAPES.map((shape) => sampleOf(shape, LARGE_SAMPLE_COPIES));
}

/** Rounds of the large samples: each runs what the one before got compiled, and gets more of it optimized. */
export const LARGE_SAMPLE_ROUNDS = 3;

export interface WarmUpOptions {
  /** Awaited between steps: the server yields to its event loop. */
  pause: () => Promise<void>;
  /** Checked between steps: true stops (a shutdown). */
  stopped: () => boolean;
}

/** Runs every sample through every editor path; resolves with how long it took and how many steps ran. */
export async function warmUp(engine: Engine, options: WarmUpOptions): Promise<{ milliseconds: number; steps: number }> {
  const started = performance.now();
  let steps = 0;
  // One step, then a turn of the event loop; false once stopped.
  const step = async (work: () => void): Promise<boolean> => {
    if (options.stopped()) return false;
    work();
    steps++;
    await options.pause();
    return true;
  };
  // A document opened (diagnostics, then a hover at its first finding) and edited once.
  const openAndEdit = async (sample: Sample): Promise<boolean> => {
    const yamlCache = new YamlParseCache();
    const opened = await step(() => {
      const { report, hoverAt } = engine.analyzeWithHover(sample, { yamlCache, fixes: false });
      const first = report.findings[0];
      if (first !== undefined) hoverAt(first.range.start);
    });
    // A keystroke: the same document edited, re-parsed from its cache (one piece of YAML anew).
    return opened && (await step(() => engine.analyze({ ...sample, text: sample.text.replace('\n', '\n# edited\n') }, { yamlCache, fixes: false })));
  };
  for (const sample of WARM_UP_SAMPLES) {
    if (!(await openAndEdit(sample))) return { milliseconds: performance.now() - started, steps };
    // A code action: the same file with the fixes of its findings.
    if (!(await step(() => engine.analyze(sample, { fixes: true })))) return { milliseconds: performance.now() - started, steps };
  }
  const large = largeWarmUpSamples();
  for (let round = 0; round < LARGE_SAMPLE_ROUNDS; round++) {
    for (const sample of large) {
      if (!(await openAndEdit(sample))) return { milliseconds: performance.now() - started, steps };
    }
  }
  return { milliseconds: performance.now() - started, steps };
}
