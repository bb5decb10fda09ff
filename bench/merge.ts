/**
 * `keyless merge` at organisation scale: 1,000 generated JSON reports of 20 findings each (as
 * `keyless scan --format json` writes them, under `reports/<repository>/keyless.json`), read and
 * merged in process as the command does (cli/merge.ts's reading, output/merge.ts's merge and
 * formatting), in wall and CPU time. Target: ≤ 2 s.
 *
 *   node --import tsx bench/merge.ts     (KEYLESS_BENCH_MERGE_REPORTS, default 1000;
 *                                         KEYLESS_BENCH_MERGE_FINDINGS, default 20;
 *                                         KEYLESS_BENCH_MERGE_RUNS, default 5)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readMergeInputs } from '../server/src/cli/merge';
import type { JsonFinding, JsonReport } from '../server/src/output/json';
import { formatMerged, mergeReports } from '../server/src/output/merge';
import { median } from './lsp-bench';

const REPORTS = positiveInt(process.env.KEYLESS_BENCH_MERGE_REPORTS, 1000);
const FINDINGS = positiveInt(process.env.KEYLESS_BENCH_MERGE_FINDINGS, 20);
const RUNS = positiveInt(process.env.KEYLESS_BENCH_MERGE_RUNS, 5);
const TARGET_MS = 2000;
const RULES = ['hardcoded-secret', 'provider-static-credentials', 'workflow-static-aws-keys', 'admin-access', 'oidc-trust-unscoped'];

function generatedReport(repository: number): JsonReport {
  const findings: JsonFinding[] = [];
  for (let i = 0; i < FINDINGS; i++) {
    const line = 3 + i * 7;
    findings.push({
      rule: RULES[(repository + i) % RULES.length]!,
      severity: i % 3 === 0 ? 'warning' : 'error',
      file: `infra/module-${i % 4}/main.tf`,
      line,
      column: 3,
      endLine: line,
      endColumn: 40,
      message: `Generated finding ${i} of repository ${repository}: a static credential argument is written in the file; use the ambient credential chain instead.`,
      related: [{ file: `infra/module-${i % 4}/main.tf`, line: line + 1, column: 3, message: 'secret_key: a static credential argument' }],
      fingerprint: `${repository.toString(16).padStart(6, '0')}${i.toString(16).padStart(14, '0')}`,
    });
  }
  return { version: 1, findings, errors: [] };
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-bench-merge-'));
  try {
    const files: string[] = [];
    for (let r = 0; r < REPORTS; r++) {
      const file = path.join('reports', `repository-${String(r).padStart(4, '0')}`, 'keyless.json');
      fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), `${JSON.stringify(generatedReport(r), null, 2)}\n`);
      files.push(file);
    }
    const bytes = files.reduce((sum, file) => sum + fs.statSync(path.join(root, file)).size, 0);
    const walls: number[] = [];
    const cpus: number[] = [];
    let output = 0;
    for (let run = 0; run < RUNS; run++) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const merged = mergeReports(await readMergeInputs(files, root));
      output = formatMerged(merged).length;
      walls.push(performance.now() - start);
      const used = process.cpuUsage(cpu);
      cpus.push((used.user + used.system) / 1000);
      if (merged.counts.findings !== REPORTS * FINDINGS) throw new Error(`merged ${merged.counts.findings} findings, expected ${REPORTS * FINDINGS}`);
    }
    const wall = median(walls);
    console.log(`keyless merge: ${REPORTS} reports × ${FINDINGS} findings (${(bytes / 1024 / 1024).toFixed(1)} MB in, ${(output / 1024 / 1024).toFixed(1)} MB out), ${RUNS} runs`);
    console.log(`  wall median ${wall.toFixed(0)} ms (first ${walls[0]!.toFixed(0)} ms, max ${Math.max(...walls).toFixed(0)} ms), CPU median ${median(cpus).toFixed(0)} ms`);
    console.log(`  target ≤ ${TARGET_MS} ms: ${wall <= TARGET_MS ? 'met' : 'MISSED'}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
