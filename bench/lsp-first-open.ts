/**
 * First-open latency of the Keyless language server, cold each time: a fresh server process is
 * started on an empty workspace (initialize, initialized), left alone for `KEYLESS_BENCH_IDLE_MS`
 * (default 1,000: what an editor takes between starting the server and opening the file), then
 * the file is opened (open → first diagnostics) and one character typed (first edit →
 * diagnostics). The 2,000-line workflow and the 5,000-line manifest of `npm run bench`.
 *
 *   node --import tsx bench/lsp-first-open.ts        (after `node scripts/build.mjs`)
 *
 * KEYLESS_BENCH_FIRST_OPEN_RUNS (default 5) runs per document; the median and the range are
 * printed, with one line of JSON per document for the record. KEYLESS_BENCH_SERVER names another
 * build of the server (a `dist/server.js` of an older commit), for before/after numbers taken
 * under the same load.
 */
import { generateKubernetes, generateWorkflow } from './generate';
import { KEYLESS, measureFirstOpen } from './lsp-bench';

async function main(): Promise<void> {
  const runs = Number(process.env.KEYLESS_BENCH_FIRST_OPEN_RUNS ?? 5);
  const idleMs = Number(process.env.KEYLESS_BENCH_IDLE_MS ?? 1_000);
  const documents = [
    { name: '2,000-line workflow', path: '.github/workflows/generated.yml', text: generateWorkflow({ lines: 2000 }).text, targetLine: (l: string) => l.includes('run:') },
    { name: '5,000-line manifest', path: 'manifests/generated.yaml', text: generateKubernetes({ lines: 5000 }).text, targetLine: (l: string) => l.trim() === 'cpu: 500m' },
  ];
  for (const doc of documents) {
    const server = process.env.KEYLESS_BENCH_SERVER;
    const spec = server === undefined ? KEYLESS : { ...KEYLESS, args: [server, '--stdio'] };
    const result = await measureFirstOpen(spec, doc, 'yaml', runs, idleMs);
    if (!result.available) {
      console.log(`${doc.name}: not measured (${result.reason})`);
      continue;
    }
    const range = (r: [number, number]): string => `${r[0].toFixed(0)}–${r[1].toFixed(0)}`;
    console.log(
      `${doc.name}: open → first diagnostics ${result.openMs!.toFixed(0)} ms (${range(result.openRange!)}), ` +
        `first edit → diagnostics ${result.firstEditMs!.toFixed(0)} ms (${range(result.firstEditRange!)}), ${runs} cold runs, ${idleMs} ms idle before the open`,
    );
    console.log(JSON.stringify({ document: doc.name, ...result }));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
