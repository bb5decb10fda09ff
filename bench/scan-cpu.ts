/**
 * The CPU time of `keyless scan` against the parse-only process, which issue 7 holds to 1.3×:
 * round after round, the parse-only baseline and each scan build back to back on the same tree, so
 * a burst of load elsewhere on a shared machine hits them alike. Prints, per subject, the CPU time
 * (user + system of every thread, from /usr/bin/time) as minimum, median and maximum, and the ratio
 * of each scan to the baseline of its own round (minimum and median): the ratio holds better than
 * the absolute times on a busy machine.
 *
 *   node --import tsx bench/scan-cpu.ts [FOLDER]          (after `node scripts/build.mjs`)
 *
 * FOLDER defaults to a generated 5,000-file tree (bench/generate.ts). KEYLESS_BENCH_SCAN_RUNS
 * (default 5) rounds; KEYLESS_BENCH_CLI, a comma-separated list of `dist/cli.js` builds to compare
 * (default this checkout's: an older build's for before/after numbers); KEYLESS_WORKERS as the scan
 * reads it (default here 0: the CPU of one engine, as the parse-only process has; `default` for
 * the scan's own choice). Each round's scans must report the same findings.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeTree } from './generate';
import { median } from './lsp-bench';
import { bundleScript, HAVE_TIME, runProcess } from './processes';

const ROOT = path.resolve(__dirname, '..');

interface Subject {
  label: string;
  args: string[];
  cpu: number[];
}

async function main(): Promise<void> {
  if (!HAVE_TIME) throw new Error('/usr/bin/time is needed for CPU time');
  const runs = Number(process.env.KEYLESS_BENCH_SCAN_RUNS ?? 5);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-scan-cpu-'));
  try {
    let folder = process.argv[2];
    if (folder === undefined) {
      folder = path.join(work, 'tree');
      writeTree(folder, { files: 5000 });
    }
    const parseOnly = await bundleScript(path.join(__dirname, 'parse-only.ts'), work, ROOT);
    const clis = (process.env.KEYLESS_BENCH_CLI ?? path.join(ROOT, 'dist', 'cli.js')).split(',').map((cli) => path.resolve(cli));
    const baseline: Subject = { label: 'parse only', args: [parseOnly, '.'], cpu: [] };
    const scans: Subject[] = clis.map((cli) => ({ label: `scan ${path.relative(process.cwd(), cli) || cli}`, args: [cli, 'scan', '--format', 'json'], cpu: [] }));
    const workers = process.env.KEYLESS_WORKERS ?? '0';
    const env = { ...process.env };
    if (workers === 'default') delete env.KEYLESS_WORKERS;
    else env.KEYLESS_WORKERS = workers;
    const ratios = scans.map(() => [] as number[]);
    const stdoutFile = path.join(work, 'stdout');
    for (let round = 0; round < runs; round++) {
      const base = await runProcess(process.execPath, baseline.args, { cwd: folder, stdoutFile });
      baseline.cpu.push(base.cpuS!);
      let findings: number | undefined;
      for (const [i, scan] of scans.entries()) {
        const run = await runProcess(process.execPath, scan.args, { cwd: folder, env, stdoutFile });
        if (run.code !== 0 && run.code !== 1) throw new Error(`${scan.label} exited with ${run.code}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
        const count = (JSON.parse(fs.readFileSync(stdoutFile, 'utf8')) as { findings: unknown[] }).findings.length;
        if (findings !== undefined && count !== findings) throw new Error(`${scan.label} reports ${count} findings, the first build ${findings}`);
        findings = count;
        scan.cpu.push(run.cpuS!);
        ratios[i]!.push(run.cpuS! / base.cpuS!);
      }
      process.stderr.write(`round ${round + 1}/${runs}: parse only ${base.cpuS!.toFixed(2)} s; ${scans.map((s) => `${s.label} ${s.cpu.at(-1)!.toFixed(2)} s`).join('; ')} (load ${os.loadavg()[0]!.toFixed(1)})\n`);
    }
    const row = (values: number[], digits: number): string => `${Math.min(...values).toFixed(digits)} / ${median(values).toFixed(digits)} / ${Math.max(...values).toFixed(digits)}`;
    console.log(`CPU time, user + system (s), min / median / max of ${runs} rounds; KEYLESS_WORKERS=${workers}; ${folder}`);
    for (const subject of [baseline, ...scans]) console.log(`  ${subject.label}: ${row(subject.cpu, 2)}`);
    for (const [i, scan] of scans.entries()) {
      console.log(`  ${scan.label} ÷ parse only, same round: ${row(ratios[i]!, 2)}; of the minimums: ${(Math.min(...scan.cpu) / Math.min(...baseline.cpu)).toFixed(2)}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
