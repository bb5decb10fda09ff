import type { Span } from '../../core/text';
import { environmentName } from '../ci-common/environment';
import { deref, get, getPair, isMap, isScalar, isSeq, pairsOf, str, type DataNode, type MapNode, type Pair, type ScalarNode } from '../../syntax/tree';
import { GITLAB_KEYWORDS } from '../detect';

/**
 * A GitLab CI pipeline: global `variables:`, `default:` scripts, and jobs (hidden `.templates`
 * included, since keys written there reach every job that extends them), each with what it says
 * in its own map and how GitLab assembles it from the maps of this file.
 *
 * GitLab's rules: a job's own keys win; YAML merge keys (`<<: *anchor`) copy an anchor's keys
 * shallowly (an own `variables:` hides the anchor's whole `variables:`); `extends:` merges hashes
 * deeply (`variables`, `id_tokens` entry by entry) but replaces arrays (`script`, `before_script`)
 * whole, later parents winning over earlier ones; `default:` supplies `before_script`,
 * `after_script` and `id_tokens` to jobs that have none of their own (a job's `id_tokens` and the
 * default's do not merge) and global `variables:` come last. `inherit:` opts out of the last two.
 * `assembly.ts` answers where an assembled job takes each key from.
 *
 * Whatever this file cannot answer (a parent defined in an included file, an `extends` cycle, a
 * `!reference` where a map is needed) is unknown, and readers decline rather than guess.
 */
export interface Pipeline {
  root: MapNode;
  variables: Pair[];
  /** `default:` before_script/after_script lines, and top-level ones (deprecated but still read). */
  defaultScripts: ScriptLine[];
  jobs: PipelineJob[];
}

export interface PipelineJob {
  name: string;
  nameSpan: Span;
  node: MapNode;
  hidden: boolean;
  /** Its own `variables:`, `before_script`/`script`/`after_script` lines, `id_tokens:` and environment, as written in its map. */
  variables: Pair[];
  scripts: ScriptLine[];
  idTokens: Pair | undefined;
  environment: string | undefined;
  /**
   * The maps the job is assembled from, highest priority first: its own, then what it `extends`
   * (depth first, later parents first); undefined when this file cannot say.
   */
  layers: MapNode[] | undefined;
  /**
   * Every map of this file whose keys may reach the job — its layers as far as they are known, and
   * what those merge in through `<<` — for telling whether an edit could touch a job whose
   * configuration is only partly in this file.
   */
  reachable: MapNode[];
}

export interface ScriptLine {
  node: ScalarNode;
  script: string;
}

const SCRIPT_KEYS = ['before_script', 'script', 'after_script'];

/** Where a fact of a pipeline was read: what the fixers of GitLab CI edit. */
export interface PipelineSite {
  kind: 'gitlab-ci';
  pipeline: Pipeline;
  /** Absent for global `variables:` and `default:` scripts. */
  job?: PipelineJob;
  line?: ScriptLine;
  variables?: Pair[];
}

export function isPipelineSite(value: unknown): value is PipelineSite {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'gitlab-ci';
}

export function readPipeline(root: DataNode | null): Pipeline | null {
  const map = deref(root);
  if (!isMap(map)) return null;
  const defaults = get(map, 'default');
  const defaultScripts = [...SCRIPT_KEYS.flatMap((k) => scriptLines(get(defaults, k))), ...['before_script', 'after_script'].flatMap((k) => scriptLines(get(map, k)))];
  const maps: { pair: Pair; node: MapNode }[] = [];
  for (const pair of pairsOf(map)) {
    if (GITLAB_KEYWORDS.has(pair.key) && pair.key !== 'pages') continue;
    const node = deref(pair.value);
    if (isMap(node)) maps.push({ pair, node });
  }
  const layersOf = extendsChains(new Map(maps.map(({ pair, node }) => [pair.key, node])));
  const jobs = maps.map(({ pair, node }): PipelineJob => {
    const known = layersOf(node);
    return {
      name: pair.key,
      nameSpan: pair.keySpan,
      node,
      hidden: pair.key.startsWith('.'),
      variables: pairsOf(get(node, 'variables')),
      scripts: SCRIPT_KEYS.flatMap((k) => scriptLines(get(node, k))),
      idTokens: getPair(node, 'id_tokens'),
      environment: environmentName(get(node, 'environment')),
      layers: known.complete ? known.layers : undefined,
      reachable: withMergeSources(known.layers),
    };
  });
  return { root: map, variables: pairsOf(get(map, 'variables')), defaultScripts, jobs };
}

/** GitLab's own limit on `extends` depth. */
const MAX_EXTENDS_DEPTH = 11;

/** A job map's layers through `extends:` (by name, in this file), and whether the chain is all here. */
function extendsChains(byName: ReadonlyMap<string, MapNode>): (map: MapNode) => { layers: MapNode[]; complete: boolean } {
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
      const inherited = layersOf(parent, depth + 1, visiting);
      if (!inherited.complete) result.complete = false;
      for (const layer of inherited.layers) if (!result.layers.includes(layer)) result.layers.push(layer);
    }
    visiting.delete(map);
    cache.set(map, result);
    return result;
  };
  return (map) => layersOf(map, 0, new Set());
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

/** The layers with the maps each merges in through its `<<` keys. */
function withMergeSources(layers: readonly MapNode[]): MapNode[] {
  const maps: MapNode[] = [];
  for (const layer of layers) {
    for (const map of [layer, ...mergeSources(layer)]) if (!maps.includes(map)) maps.push(map);
  }
  return maps;
}

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

/** Script lines: a string, a list of strings, or lists nested by anchors and `!reference`. */
function scriptLines(node: DataNode | null, depth = 0): ScriptLine[] {
  const value = deref(node);
  if (isScalar(value) && typeof value.value === 'string') return [{ node: value, script: value.value }];
  if (isSeq(value) && depth < 4) return value.items.flatMap((item) => scriptLines(item, depth + 1));
  return [];
}

/** A variable's value: `KEY: value`, or `KEY: { value: …, description: … }`. */
export function variableValue(pair: Pair): string | undefined {
  const value = deref(pair.value);
  return isMap(value) ? str(get(value, 'value')) : str(value);
}
