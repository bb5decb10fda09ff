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
 * Nothing here is logged or kept.
 */

interface Sample {
  path: string;
  text: string;
}

/** One file per dialect and syntax, each with a finding (so rules, hover and fixers all run). */
export const WARM_UP_SAMPLES: readonly Sample[] = [
  {
    path: '.github/workflows/keyless-warm-up.yml',
    text: [
      'name: deploy',
      'on: push',
      'jobs:',
      '  deploy:',
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
      '',
    ].join('\n'),
  },
  {
    path: '.gitlab-ci.yml',
    text: ['deploy:', '  variables:', '    AWS_ACCESS_KEY_ID: $KEY', '    AWS_SECRET_ACCESS_KEY: $SECRET', '  script:', '    - aws s3 ls', ''].join('\n'),
  },
  {
    path: 'keyless-warm-up.tf',
    text: [
      'provider "aws" {',
      '  region     = "us-east-1"',
      '  access_key = var.access_key',
      '  secret_key = var.secret_key',
      '}',
      '',
      'resource "aws_iam_access_key" "ci" {',
      '  user = "ci"',
      '}',
      '',
    ].join('\n'),
  },
  {
    path: 'keyless-warm-up.tf.json',
    text: '{ "resource": { "aws_iam_access_key": { "ci": { "user": "ci" } } } }\n',
  },
  {
    path: 'keyless-warm-up.template.yaml',
    text: [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  CiUser:',
      '    Type: AWS::IAM::User',
      '  CiKey:',
      '    Type: AWS::IAM::AccessKey',
      '    Properties:',
      '      UserName: !Ref CiUser',
      '',
    ].join('\n'),
  },
  {
    path: 'keyless-warm-up.template.json',
    text: '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": { "CiKey": { "Type": "AWS::IAM::AccessKey", "Properties": { "UserName": "ci" } } } }\n',
  },
  {
    path: 'keyless-warm-up-pod.yaml',
    text: [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: app',
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
      '',
    ].join('\n'),
  },
  {
    path: 'keyless-warm-up.policy.json',
    text: '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": { "Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, "Resource": "*" } ] }\n',
  },
];

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
  for (const sample of WARM_UP_SAMPLES) {
    // Diagnostics of an open document (incremental YAML), then a hover at its first finding.
    if (options.stopped()) break;
    const yamlCache = new YamlParseCache();
    const { report, hoverAt } = engine.analyzeWithHover(sample, { yamlCache, fixes: false });
    const first = report.findings[0];
    if (first !== undefined) hoverAt(first.range.start);
    steps++;
    await options.pause();
    // A keystroke: the same document edited, re-parsed from its cache (one piece of YAML anew).
    if (options.stopped()) break;
    engine.analyze({ ...sample, text: sample.text.replace('\n', '\n# edited\n') }, { yamlCache, fixes: false });
    steps++;
    await options.pause();
    // A code action: the same file with the fixes of its findings.
    if (options.stopped()) break;
    engine.analyze(sample, { fixes: true });
    steps++;
    await options.pause();
  }
  return { milliseconds: performance.now() - started, steps };
}
