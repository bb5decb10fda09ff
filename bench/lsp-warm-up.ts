/**
 * What the warm-up buys, in CPU time (which a loaded machine disturbs far less than wall time,
 * though it counts V8's compiler threads too) and wall time:
 * in a fresh process per run, the first analysis of a document as the server runs it on open (the
 * incremental YAML parse, no fixes) and the analysis of its first edit, without and with
 * `warmUp` before them, and what the warm-up itself costs. The 2,000-line workflow and the
 * 5,000-line manifest of `npm run bench`.
 *
 *   node --import tsx bench/lsp-warm-up.ts      (KEYLESS_BENCH_WARM_UP_RUNS, default 5)
 */
import { spawnSync } from 'node:child_process';
import { createEngine } from '../server/src/workspace/grammar';
import { warmUp } from '../server/src/lsp/warm-up';
import { YamlParseCache } from '../server/src/syntax/yaml-incremental';
import { generateKubernetes, generateTerraform, generateWorkflow } from './generate';
import { median } from './lsp-bench';

const DOCUMENTS = {
  'small workflow (40 lines)': () => ({ path: '.github/workflows/small.yml', text: generateWorkflow({ lines: 40 }).text }),
  'Terraform (500 lines)': () => ({ path: 'main.tf', text: generateTerraform({ lines: 500 }).text }),
  workflow: () => ({ path: '.github/workflows/generated.yml', text: generateWorkflow({ lines: 2000 }).text }),
  manifest: () => ({ path: 'manifests/generated.yaml', text: generateKubernetes({ lines: 5000 }).text }),
};

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** One run, in this (fresh) process: prints { openMs, editMs } of CPU time. */
async function child(document: keyof typeof DOCUMENTS, warm: boolean): Promise<void> {
  const engine = await createEngine();
  const before = process.cpuUsage();
  if (warm) await warmUp(engine, { pause: () => new Promise((resolve) => setImmediate(resolve)), stopped: () => false });
  const warmUpMs = cpuMs(before);
  const doc = DOCUMENTS[document]();
  const yamlCache = new YamlParseCache();
  let since = process.cpuUsage();
  let wall = performance.now();
  engine.analyzeWithHover(doc, { yamlCache, fixes: false });
  const openMs = cpuMs(since);
  const openWallMs = performance.now() - wall;
  const middle = doc.text.indexOf('\n', doc.text.length >> 1);
  // (A comment character at a line end: '#' starts a comment in YAML and HCL alike.)
  since = process.cpuUsage();
  wall = performance.now();
  engine.analyzeWithHover({ ...doc, text: `${doc.text.slice(0, middle)}#${doc.text.slice(middle)}` }, { yamlCache, fixes: false });
  const editMs = cpuMs(since);
  const editWallMs = performance.now() - wall;
  console.log(JSON.stringify({ openMs, editMs, openWallMs, editWallMs, warmUpMs }));
}

function main(): void {
  const runs = Number(process.env.KEYLESS_BENCH_WARM_UP_RUNS ?? 5);
  for (const document of Object.keys(DOCUMENTS) as (keyof typeof DOCUMENTS)[]) {
    const empty = (): Record<'open' | 'edit' | 'openWall' | 'editWall' | 'warmUp', number[]> => ({ open: [], edit: [], openWall: [], editWall: [], warmUp: [] });
    const samples = { cold: empty(), warm: empty() };
    for (let i = 0; i < runs; i++) {
      // Alternated, so that both see the same machine.
      for (const mode of ['cold', 'warm'] as const) {
        const done = spawnSync(process.execPath, ['--import', 'tsx', __filename, 'child', document, mode], { encoding: 'utf8' });
        const result = JSON.parse(done.stdout.trim().split('\n').at(-1)!) as { openMs: number; editMs: number; openWallMs: number; editWallMs: number; warmUpMs: number };
        samples[mode].open.push(result.openMs);
        samples[mode].edit.push(result.editMs);
        samples[mode].openWall.push(result.openWallMs);
        samples[mode].editWall.push(result.editWallMs);
        samples[mode].warmUp.push(result.warmUpMs);
      }
    }
    const f = (values: number[]): string => `${median(values).toFixed(0)} ms`;
    console.log(
      `${document}: first analysis (open) CPU ${f(samples.cold.open)} cold → ${f(samples.warm.open)} after the warm-up, wall ${f(samples.cold.openWall)} → ${f(samples.warm.openWall)}; ` +
        `first edit CPU ${f(samples.cold.edit)} → ${f(samples.warm.edit)}, wall ${f(samples.cold.editWall)} → ${f(samples.warm.editWall)}; the warm-up itself ${f(samples.warm.warmUp)} of CPU (median of ${runs} fresh processes each)`,
    );
  }
}

if (process.argv[2] === 'child') {
  child(process.argv[3] as keyof typeof DOCUMENTS, process.argv[4] === 'warm').catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main();
}
