/**
 * `node --import tsx bench/hostile.ts`: the engine's cost on hostile and oversized inputs, one
 * analysis each (the second, warm one is reported, with the CPU time beside the wall time: on a
 * loaded machine the wall time says more about the neighbours). Targets (issue 7): every file up
 * to the 2 MB limit under 1 s; alias bombs and deep nesting finish and say why they stopped.
 * KEYLESS_BENCH_HOSTILE_ONLY: comma-separated case names.
 */
import { createEngine } from '../server/src/workspace/grammar';

const MB = 1024 * 1024;
const KEY = 'AKIAIOSFODNN7EXAMPLE';

/** `prefix`, items joined by `separator` up to `size` characters, `suffix`. */
function fill(prefix: string, item: (i: number) => string, separator: string, suffix: string, size = MB): string {
  const parts: string[] = [];
  let length = prefix.length + suffix.length;
  for (let i = 0; length < size; i++) {
    const next = item(i);
    parts.push(next);
    length += next.length + separator.length;
  }
  return `${prefix}${parts.join(separator)}${suffix}`;
}

function bomb(indent: string): string {
  const names = 'abcdefghi';
  const lines = [`${indent}a: &a [${Array(9).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < 9; i++) lines.push(`${indent}${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
  return lines.join('\n');
}

const CASES: Record<string, [string, string]> = {
  'YAML flow list, 1 MB (workflow steps)': ['.github/workflows/big.yml', fill('on: push\njobs:\n  a:\n    runs-on: x\n    steps: [', (i) => `{run: echo ${i}}`, ', ', ']\n')],
  'YAML flow list, 1 MB (plain)': ['values.yaml', fill('k: [', (i) => `${i}`, ', ', ']\n')],
  'YAML block map, 1 MB (ConfigMap)': ['config.yaml', fill('apiVersion: v1\nkind: ConfigMap\ndata:\n', (i) => `  k${i}: v${i}`, '\n', '\n')],
  'YAML quoted string, 1 MB': ['pod.yaml', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "${'a'.repeat(MB)}"\n`],
  'HCL list, 1 MB': ['main.tf', fill('locals {\n  x = [', (i) => `"v${i}"`, ', ', ']\n}\n')],
  'HCL string, 1 MB': ['main.tf', `locals {\n  x = "${'a'.repeat(MB)}"\n}\n`],
  'HCL heredoc, 1 MB': ['main.tf', `locals {\n  x = <<EOT\n${'a line of the heredoc\n'.repeat(MB / 22)}EOT\n}\n`],
  'HCL, 100 strings of 10 KB': ['main.tf', `locals {\n${Array.from({ length: 100 }, (_, i) => `  s${i} = "${'b'.repeat(10_000)}"\n`).join('')}}\n`],
  'HCL, 50,000 spaces in a list': ['main.tf', `locals {\n  x = [${' '.repeat(50_000)}"a"]\n}\n`],
  'HCL, broken 1 MB list after a key': ['main.tf', fill(`resource "x" "y" {\n  a = "\${"${KEY}"}"[`, () => '"item"', ', ', '\n}\n')],
  'JSON policy, 1 MB of statements': ['policy.json', fill('{"Version": "2012-10-17", "Statement": [', (i) => `{"Effect": "Allow", "Action": "s3:Get${i}", "Resource": "*"}`, ', ', ']}')],
  'YAML, 5,000 nested [ around a key': ['pod.yaml', `apiVersion: v1\nkind: Pod\nspec:\n  x: ${'['.repeat(5_000)}${KEY}${']'.repeat(5_000)}\n`],
  'HCL, 5,000 nested ( around a key': ['main.tf', `provider "aws" {\n  access_key = ${'('.repeat(5_000)}"${KEY}"${')'.repeat(5_000)}\n}\n`],
  'CloudFormation alias bomb, 1.2 KB': ['template.yaml', `AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n${bomb('  ')}\nResources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement: *i\n      Roles: *i\n`],
};

async function main(): Promise<void> {
  const only = process.env.KEYLESS_BENCH_HOSTILE_ONLY?.split(',');
  const engine = await createEngine();
  console.log('| input | wall ms | CPU ms | heap MB after | errors |');
  console.log('|---|---:|---:|---:|---|');
  for (const [name, [path, text]] of Object.entries(CASES)) {
    if (only && !only.some((o) => name.includes(o))) continue;
    engine.analyze({ path, text }, { fixes: false });
    const cpu = process.cpuUsage();
    const start = performance.now();
    const report = engine.analyze({ path, text: `${text}\n` }, { fixes: false });
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const errors = report.errors.map((e) => (e.failure ? `failure: ${e.message}` : e.message)).slice(0, 2).join('; ') || '-';
    console.log(`| ${name} | ${wall.toFixed(0)} | ${((used.user + used.system) / 1000).toFixed(0)} | ${(process.memoryUsage().heapUsed / MB).toFixed(0)} | ${errors.slice(0, 90)} |`);
  }
}

void main();
