/**
 * One run of bench/iam-catalog.ts, in a fresh process, bundled beside a link to dist/iam-catalog
 * (where `awsCatalog()` looks, as in dist/): prints the run's measures as JSON. Times are wall
 * and CPU (user + system, every thread: what a loaded machine disturbs least), in ms; heap used
 * after a collection (`--expose-gc`), above the process's own, in MB.
 */
import { summarizeGrant } from '../server/src/iam/catalog';
import { awsCatalog } from '../server/src/workspace/aws-catalog';

export interface Measure {
  wallMs: number;
  cpuMs: number;
}

export interface CatalogRun {
  startup: Measure;
  firstLookup: Measure;
  serviceExpand: Measure;
  everyAction: Measure;
  summary: Measure;
  heapStartupMb: number;
  heapAllMb: number;
  actions: number;
}

function measure(work: () => void): Measure {
  const cpu = process.cpuUsage();
  const start = performance.now();
  work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function run(): CatalogRun {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed / 1024 / 1024;
  };
  const base = heap();
  let catalog!: ReturnType<typeof awsCatalog>;
  const startup = measure(() => (catalog = awsCatalog()));
  const heapStartupMb = heap() - base;
  const firstLookup = measure(() => {
    if (!catalog.action('s3:GetObject')) throw new Error('s3:GetObject is not in the catalog');
  });
  const serviceExpand = measure(() => catalog.expand('iam:*'));
  let actions = 0;
  const everyAction = measure(() => (actions = catalog.expand('*').actions.length));
  const summary = measure(() => summarizeGrant(catalog, { actions: ['*'] }, { everyResource: true }));
  const heapAllMb = heap() - base;
  return { startup, firstLookup, serviceExpand, everyAction, summary, heapStartupMb, heapAllMb, actions };
}

process.stdout.write(JSON.stringify(run()));
