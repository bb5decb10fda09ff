import type { Pipeline, PipelineJob } from './model';
import { deref, get, getPair, isMap, isScalar, isSeq, pairsOf, str, type DataNode, type MapNode, type Pair, type ScalarNode } from '../../syntax/tree';

/**
 * Where an assembled job (`model.ts`: its layers through `extends`) takes each key from: its
 * layers, `default:`, global `variables:`, as `inherit:` allows; and what that makes its scripts.
 * An answer this file cannot give is `unknown`.
 */

/** Jobs that run: not hidden. */
export function concreteJobs(pipeline: Pipeline): PipelineJob[] {
  return pipeline.jobs.filter((job) => !job.hidden);
}

export function defaultMap(pipeline: Pipeline): MapNode | undefined {
  const value = get(pipeline.root, 'default');
  return isMap(value) ? value : undefined;
}

/** Where a job takes one key from. */
export type KeySource =
  | { kind: 'layer'; layer: MapNode; pair: Pair }
  | { kind: 'default'; pair: Pair }
  | { kind: 'none' }
  | { kind: 'unknown' };

/** Whether the job takes `key` from `default:` (or global `variables:`): `inherit:` can say no. */
function inheritFlag(layers: MapNode[], kind: 'default' | 'variables', key: string): boolean | undefined {
  for (const layer of layers) {
    const inherit = getPair(layer, 'inherit');
    if (!inherit) continue;
    const setting = get(inherit.value, kind);
    if (setting === null) return true;
    if (isScalar(setting)) return typeof setting.value === 'boolean' ? setting.value : undefined;
    if (isSeq(setting)) return setting.items.some((item) => str(item) === key);
    return undefined;
  }
  return true;
}

/**
 * Where a job's key comes from when it is replaced whole rather than merged (`script`,
 * `before_script`, `rules`, …): the first layer that has it, else `default:` (and the deprecated
 * top-level form) for `before_script` and `after_script`.
 */
export function listSource(pipeline: Pipeline, job: PipelineJob, key: string): KeySource {
  const layers = job.layers;
  if (!layers) return { kind: 'unknown' };
  for (const layer of layers) {
    const pair = getPair(layer, key);
    if (pair) return { kind: 'layer', layer, pair };
  }
  if (key !== 'before_script' && key !== 'after_script') return { kind: 'none' };
  const inherits = inheritFlag(layers, 'default', key);
  if (inherits === undefined) return { kind: 'unknown' };
  if (!inherits) return { kind: 'none' };
  const fromDefault = getPair(defaultMap(pipeline), key) ?? getPair(pipeline.root, key);
  return fromDefault ? { kind: 'default', pair: fromDefault } : { kind: 'none' };
}

/** One entry of a hash-valued key (`variables`, `id_tokens`) as a job sees it, and where it comes from. */
export type EntrySource =
  | { kind: 'layer'; layer: MapNode; container: Pair; entry: Pair }
  | { kind: 'global'; entry: Pair }
  | { kind: 'default'; container: Pair; entry: Pair }
  | { kind: 'none' }
  | { kind: 'unknown' };

/**
 * Where a job takes `variables.NAME` (or `id_tokens.NAME`) from. Hashes merge across `extends`
 * entry by entry, so each layer's own map is asked in turn; a layer whose value is not a block map
 * (a `!reference`, a scalar) makes the answer unknown.
 */
export function entrySource(pipeline: Pipeline, job: PipelineJob, key: 'variables' | 'id_tokens', name: string): EntrySource {
  const layers = job.layers;
  if (!layers) return { kind: 'unknown' };
  let anyContainer = false;
  for (const layer of layers) {
    const container = getPair(layer, key);
    if (!container) continue;
    anyContainer = true;
    const value = deref(container.value);
    if (value === null) continue;
    if (!isMap(value) || value.tag) return { kind: 'unknown' };
    const entry = pairsOf(value).find((p) => p.key === name);
    if (entry) return { kind: 'layer', layer, container, entry };
  }
  if (key === 'variables') {
    const inherits = inheritFlag(layers, 'variables', name);
    if (inherits === undefined) return { kind: 'unknown' };
    const entry = inherits ? pipeline.variables.find((p) => p.key === name) : undefined;
    return entry ? { kind: 'global', entry } : { kind: 'none' };
  }
  // A job's own `id_tokens` (from any layer) replaces the default's entirely.
  if (anyContainer) return { kind: 'none' };
  const inherits = inheritFlag(layers, 'default', 'id_tokens');
  if (inherits === undefined) return { kind: 'unknown' };
  const container = inherits ? getPair(defaultMap(pipeline), 'id_tokens') : undefined;
  const value = deref(container?.value);
  if (!container || !isMap(value)) return container ? { kind: 'unknown' } : { kind: 'none' };
  const entry = value.pairs.find((p) => p.key === name);
  return entry ? { kind: 'default', container, entry } : { kind: 'none' };
}

/** The first layer that has `key` at all (for hash keys, where a job's own block starts hiding the default). */
export function firstLayerWith(job: PipelineJob, key: string): { layer: MapNode; pair: Pair } | 'none' | 'unknown' {
  const layers = job.layers;
  if (!layers) return 'unknown';
  for (const layer of layers) {
    const pair = getPair(layer, key);
    if (pair) return { layer, pair };
  }
  return 'none';
}

/** A job's effective `before_script`, `script` and `after_script` lines, through aliases and `!reference`. */
export function effectiveLines(pipeline: Pipeline, job: PipelineJob, keys: readonly string[] = ['before_script', 'script', 'after_script']): ScalarNode[] {
  const lines: ScalarNode[] = [];
  for (const key of keys) {
    const source = listSource(pipeline, job, key);
    if (source.kind === 'layer' || source.kind === 'default') lines.push(...listLines(pipeline, source.pair.value, 0));
  }
  return lines;
}

function listLines(pipeline: Pipeline, node: DataNode | null, depth: number): ScalarNode[] {
  const value = deref(node);
  if (depth > 8 || value === null) return [];
  if (isScalar(value)) return typeof value.value === 'string' ? [value] : [];
  if (!isSeq(value)) return [];
  if (value.tag === '!reference') return listLines(pipeline, resolveReference(pipeline, value.items), depth + 1);
  return value.items.flatMap((item) => listLines(pipeline, item, depth + 1));
}

/** `!reference [job, key, …]`: the node it names in this file, or null. */
function resolveReference(pipeline: Pipeline, path: readonly DataNode[]): DataNode | null {
  let current: DataNode | null = pipeline.root;
  for (const step of path) {
    const name = str(step);
    if (name === undefined) return null;
    current = get(current, name);
  }
  return current;
}

/** The concrete jobs whose effective scripts contain `line`. */
export function jobsRunning(pipeline: Pipeline, line: ScalarNode): PipelineJob[] | undefined {
  const jobs: PipelineJob[] = [];
  for (const job of concreteJobs(pipeline)) {
    if (!job.layers) return undefined;
    if (effectiveLines(pipeline, job).includes(line)) jobs.push(job);
  }
  return jobs;
}

/** Every map of the file that may hold job keys: jobs, templates, `default:`. */
export function configMaps(pipeline: Pipeline): MapNode[] {
  const maps = pipeline.jobs.map((job) => job.node);
  const defaults = defaultMap(pipeline);
  if (defaults) maps.push(defaults);
  return maps;
}
