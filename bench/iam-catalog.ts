/**
 * The AWS action catalog's cost, as the bundles pay it: the catalog code bundled like dist/, over
 * the data the build wrote (dist/iam-catalog/), each run in a fresh process (`--expose-gc`, so
 * that heap figures are after a collection).
 *
 * - start-up: `awsCatalog()`, what `createEngine()` adds (reads the list of service prefixes);
 * - first lookup: `s3:GetObject` (reads one service);
 * - one service expanded: `iam:*`;
 * - every action: `*` expanded (reads every service), then its summary (counts by access level,
 *   risky actions), warm;
 * - heap used after start-up and with every service loaded, above the process's own baseline.
 *
 * Target (issue 9): the catalog loads in ≤ 50 ms. `npm run bench` runs it as its `catalog`
 * section; on its own: `node --import tsx bench/iam-catalog.ts` (after `node scripts/build.mjs`;
 * KEYLESS_BENCH_CATALOG_RUNS, default 7).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CatalogRun } from './iam-catalog-probe';
import { median } from './lsp-bench';
import { bundleScript } from './processes';

const ROOT = path.resolve(__dirname, '..');
export const CATALOG_LOAD_TARGET_MS = 50;

/** Median and [min, max] over the runs. */
export interface Spread {
  median: number;
  range: [number, number];
}

type Timed = 'startup' | 'firstLookup' | 'serviceExpand' | 'everyAction' | 'summary';

export interface CatalogSection {
  runs: number;
  /** Wall and CPU time of each step, ms. */
  times: Record<Timed, { wallMs: Spread; cpuMs: Spread }>;
  heapStartupMb: Spread;
  heapAllMb: Spread;
  actions: number;
  dataBytes: number;
  files: number;
}

function spread(values: readonly number[]): Spread {
  return { median: median(values), range: [Math.min(...values), Math.max(...values)] };
}

/** Bundles the probe beside a link to dist/iam-catalog, and runs it `runs` times. */
export async function benchCatalog(runs: number, work: string): Promise<CatalogSection> {
  const data = path.join(ROOT, 'dist', 'iam-catalog');
  if (!fs.existsSync(path.join(data, 'index.json'))) throw new Error('dist/iam-catalog is missing: run node scripts/build.mjs');
  const dir = fs.mkdtempSync(path.join(work, 'catalog-'));
  const script = await bundleScript(path.join(__dirname, 'iam-catalog-probe.ts'), dir, ROOT);
  fs.symlinkSync(data, path.join(dir, 'iam-catalog'), 'dir');
  const samples: CatalogRun[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(JSON.parse(execFileSync(process.execPath, ['--expose-gc', script], { cwd: dir, encoding: 'utf8' })) as CatalogRun);
  }
  const files = fs.readdirSync(data);
  const timed = (key: Timed): { wallMs: Spread; cpuMs: Spread } => ({ wallMs: spread(samples.map((s) => s[key].wallMs)), cpuMs: spread(samples.map((s) => s[key].cpuMs)) });
  return {
    runs,
    times: { startup: timed('startup'), firstLookup: timed('firstLookup'), serviceExpand: timed('serviceExpand'), everyAction: timed('everyAction'), summary: timed('summary') },
    heapStartupMb: spread(samples.map((s) => s.heapStartupMb)),
    heapAllMb: spread(samples.map((s) => s.heapAllMb)),
    actions: samples[0]!.actions,
    dataBytes: files.reduce((sum, f) => sum + fs.statSync(path.join(data, f)).size, 0),
    files: files.length,
  };
}

/** The section's markdown. */
export function catalogTable(section: CatalogSection): string[] {
  const t = section.times;
  const cell = (m: Spread, digits = 1): string => `${m.median.toFixed(digits)} [${m.range[0].toFixed(digits)}–${m.range[1].toFixed(digits)}]`;
  const row = (label: string, key: Timed, heap = ''): string => `| ${label} | ${cell(t[key].wallMs)} | ${cell(t[key].cpuMs)} | ${heap} |`;
  // The slowest load a user can meet: every service, the first time `*` or NotAction is read.
  const load = t.everyAction.cpuMs.median;
  return [
    `AWS action catalog (\`dist/iam-catalog/\`: ${section.files} files, ${(section.dataBytes / 1024 / 1024).toFixed(1)} MB, ${section.actions} actions), each step of ${section.runs} runs in a fresh process: median [min–max].`,
    '',
    '| step | wall (ms) | CPU (ms) | heap used (MB) |',
    '|---|---:|---:|---:|',
    row('start-up (`createEngine` reads the service list)', 'startup', cell(section.heapStartupMb, 2)),
    row('first lookup (`s3:GetObject`: reads one service)', 'firstLookup'),
    row('one service expanded (`iam:*`)', 'serviceExpand'),
    row('every action (`*`: reads every service)', 'everyAction', cell(section.heapAllMb)),
    row('summary of `*`, every service read', 'summary'),
    '',
    `Target: the whole catalog loads in ≤ ${CATALOG_LOAD_TARGET_MS} ms of CPU${load <= CATALOG_LOAD_TARGET_MS ? '' : ' ✗'}; start-up reads only the service list, and each service is read when first asked about.`,
  ];
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-bench-catalog-'));
  try {
    const runs = Number(process.env.KEYLESS_BENCH_CATALOG_RUNS ?? 7);
    console.log(catalogTable(await benchCatalog(Number.isInteger(runs) && runs > 0 ? runs : 7, work)).join('\n'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
