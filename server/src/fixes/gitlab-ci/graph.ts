import type { Pipeline, PipelineJob } from '../../dialects/gitlab-ci/model';
import { deref, get, getPair, isMap, isScalar, isSeq, pairsOf, str, type DataNode, type MapNode, type Pair, type ScalarNode } from '../../syntax/tree';

/**
 * How GitLab assembles a job from the pieces of one file, as far as the rewrites need it: which
 * map a job takes each key from, and so which jobs an edit to that map reaches.
 *
 * GitLab's rules: a job's own keys win; YAML merge keys (`<<: *anchor`) copy an anchor's keys
 * shallowly (an own `variables:` hides the anchor's whole `variables:`); `extends:` merges hashes
 * deeply (`variables`, `id_tokens` entry by entry) but replaces arrays (`script`, `before_script`)
 * whole, later parents winning over earlier ones; `default:` supplies `before_script`,
 * `after_script` and `id_tokens` to jobs that have none of their own (a job's `id_tokens` and the
 * default's do not merge) and global `variables:` come last. `inherit:` opts out of the last two.
 *
 * Whatever this file cannot answer (a parent defined in an included file, an `extends` cycle, a
 * `!reference` where a map is needed) is `unknown`, and the rewrites decline rather than guess.
 */

export interface JobGraph {
  pipeline: Pipeline;
  /** Jobs that run: not hidden. */
  concrete: PipelineJob[];
  /** The maps a job's configuration comes from, highest priority first; undefined when this file cannot say. */
  layers(job: PipelineJob): MapNode[] | undefined;
  /**
   * Every map of this file whose keys may reach the job — its layers as far as they are known, and
   * what those merge in through `<<` — for telling whether an edit could touch a job whose
   * configuration is only partly in this file.
   */
  reachable(job: PipelineJob): MapNode[];
}

/** GitLab's own limit on `extends` depth. */
const MAX_EXTENDS_DEPTH = 11;

export function jobGraph(pipeline: Pipeline): JobGraph {
  const byName = new Map(pipeline.jobs.map((job) => [job.name, job]));
  const cache = new Map<MapNode, { layers: MapNode[]; complete: boolean }>();
  const layersOf = (map: MapNode, depth: number, visiting: Set<MapNode>): { layers: MapNode[]; complete: boolean } => {
    const cached = cache.get(map);
    if (cached) return cached;
    if (depth > MAX_EXTENDS_DEPTH || visiting.has(map)) return { layers: [map], complete: false };
    visiting.add(map);
    const parents = extendsOf(map);
    const result = { layers: [map], complete: parents !== undefined };
    // `extends: [a, b]`: b is merged over a, the job over both.
    for (const name of [...(parents ?? [])].reverse()) {
      const parent = byName.get(name);
      if (!parent) {
        result.complete = false;
        continue;
      }
      const inherited = layersOf(parent.node, depth + 1, visiting);
      if (!inherited.complete) result.complete = false;
      for (const layer of inherited.layers) if (!result.layers.includes(layer)) result.layers.push(layer);
    }
    visiting.delete(map);
    cache.set(map, result);
    return result;
  };
  return {
    pipeline,
    concrete: pipeline.jobs.filter((job) => !job.hidden),
    layers: (job) => {
      const known = layersOf(job.node, 0, new Set());
      return known.complete ? known.layers : undefined;
    },
    reachable: (job) => {
      const maps: MapNode[] = [];
      for (const layer of layersOf(job.node, 0, new Set()).layers) {
        for (const map of [layer, ...mergeSources(layer)]) if (!maps.includes(map)) maps.push(map);
      }
      return maps;
    },
  };
}

/** The maps a map merges in through its `<<` keys. */
function mergeSources(map: MapNode): MapNode[] {
  const sources: MapNode[] = [];
  for (const pair of map.pairs) {
    if (pair.key !== '<<') continue;
    const value = deref(pair.value);
    const items = isSeq(value) ? value.items.map((item) => deref(item)) : [value];
    for (const item of items) if (isMap(item)) sources.push(item);
  }
  return sources;
}

/** The names a map extends, in order; undefined when `extends:` is not a name or a list of names. */
function extendsOf(map: MapNode): string[] | undefined {
  const pair = getPair(map, 'extends');
  if (!pair) return [];
  const value = deref(pair.value);
  if (isScalar(value)) return typeof value.value === 'string' ? [value.value] : undefined;
  if (isSeq(value) && !value.tag) {
    const names = value.items.map((item) => str(item));
    return names.every((n): n is string => n !== undefined) ? names : undefined;
  }
  return undefined;
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
export function listSource(graph: JobGraph, job: PipelineJob, key: string): KeySource {
  const layers = graph.layers(job);
  if (!layers) return { kind: 'unknown' };
  for (const layer of layers) {
    const pair = getPair(layer, key);
    if (pair) return { kind: 'layer', layer, pair };
  }
  if (key !== 'before_script' && key !== 'after_script') return { kind: 'none' };
  const inherits = inheritFlag(layers, 'default', key);
  if (inherits === undefined) return { kind: 'unknown' };
  if (!inherits) return { kind: 'none' };
  const fromDefault = getPair(defaultMap(graph.pipeline), key) ?? getPair(graph.pipeline.root, key);
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
export function entrySource(graph: JobGraph, job: PipelineJob, key: 'variables' | 'id_tokens', name: string): EntrySource {
  const layers = graph.layers(job);
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
    const entry = inherits ? graph.pipeline.variables.find((p) => p.key === name) : undefined;
    return entry ? { kind: 'global', entry } : { kind: 'none' };
  }
  // A job's own `id_tokens` (from any layer) replaces the default's entirely.
  if (anyContainer) return { kind: 'none' };
  const inherits = inheritFlag(layers, 'default', 'id_tokens');
  if (inherits === undefined) return { kind: 'unknown' };
  const container = inherits ? getPair(defaultMap(graph.pipeline), 'id_tokens') : undefined;
  const value = deref(container?.value);
  if (!container || !isMap(value)) return container ? { kind: 'unknown' } : { kind: 'none' };
  const entry = value.pairs.find((p) => p.key === name);
  return entry ? { kind: 'default', container, entry } : { kind: 'none' };
}

/** The first layer that has `key` at all (for hash keys, where a job's own block starts hiding the default). */
export function firstLayerWith(graph: JobGraph, job: PipelineJob, key: string): { layer: MapNode; pair: Pair } | 'none' | 'unknown' {
  const layers = graph.layers(job);
  if (!layers) return 'unknown';
  for (const layer of layers) {
    const pair = getPair(layer, key);
    if (pair) return { layer, pair };
  }
  return 'none';
}

/** A job's effective `before_script`, `script` and `after_script` lines, through aliases and `!reference`. */
export function effectiveLines(graph: JobGraph, job: PipelineJob, keys: readonly string[] = ['before_script', 'script', 'after_script']): ScalarNode[] {
  const lines: ScalarNode[] = [];
  for (const key of keys) {
    const source = listSource(graph, job, key);
    if (source.kind === 'layer' || source.kind === 'default') lines.push(...listLines(graph.pipeline, source.pair.value, 0));
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
export function jobsRunning(graph: JobGraph, line: ScalarNode): PipelineJob[] | undefined {
  const jobs: PipelineJob[] = [];
  for (const job of graph.concrete) {
    if (!graph.layers(job)) return undefined;
    if (effectiveLines(graph, job).includes(line)) jobs.push(job);
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
