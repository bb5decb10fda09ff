import type { Pipeline, PipelineJob } from '../../dialects/gitlab-ci/model';
import { shellCommands } from '../../syntax/shell';
import { deref, getPair, isMap, isSeq, type DataNode, type MapNode, type Pair } from '../../syntax/tree';
import { addKey, appendToMap, blockSequence, type EditSet, prependItems, yamlScalar } from './edits';
import { concreteJobs, configMaps, defaultMap, effectiveLines, entrySource, firstLayerWith, listSource } from '../../dialects/gitlab-ci/assembly';

/**
 * Giving a set of jobs what an OIDC login needs — an `id_tokens:` entry, variables of their own,
 * lines that run before their scripts — by editing the maps they take those keys from, and only
 * where no other job takes the same key from the same place. A key no job has yet goes on the map
 * that carried the credentials (a template edited once for every job that extends it), or else on
 * each job; a key a job already has is extended where it is written. An edit that would reach a job
 * outside the set, hide a `default:` the job relied on, or go through an alias makes it decline.
 */

export interface RewriteContext {
  text: string;
  pipeline: Pipeline;
  /** The file's indentation step. */
  step: string;
  /** Whether sequences sit at their key's column. */
  zeroIndent: boolean;
  edits: EditSet;
}

/** Where the credentials were: global `variables:`, or a job or template (or a `default:` script). */
export type Carrier = { kind: 'global' } | { kind: 'map'; map: MapNode };

export interface Needs {
  idTokens?: readonly { name: string; aud: string }[];
  /** Variables each job gets in its own `variables:` (a role that differs per job, say). */
  jobVariables?: ReadonlyMap<PipelineJob, readonly (readonly [string, string])[]>;
  /** Lines that must run before anything else of the job. */
  setup?: {
    lines: readonly string[];
    /** Commands that need the login, so that the lines cannot go after them in `script:` instead. */
    needsLogin: (words: readonly string[]) => boolean;
  };
}

const ID_TOKENS_BEFORE = ['variables', 'before_script', 'script', 'after_script'];
const VARIABLES_BEFORE = ['before_script', 'script', 'after_script'];
const BEFORE_SCRIPT_BEFORE = ['script', 'after_script'];

/** Keys whose hashes `extends` merges entry by entry (a lower layer's new entry still arrives). */
const HASH_KEYS = new Set(['variables', 'id_tokens']);

/** Adds what the jobs need to `ctx.edits`; false (and the edit set unusable) when it cannot be done safely. */
export function giveJobs(ctx: RewriteContext, carrier: Carrier, jobs: readonly PipelineJob[], needs: Needs): boolean {
  if (jobs.length === 0) return false;
  const u = ctx.step;
  // New keys, per map they go on; entries for blocks that exist, per block.
  const newKeys = new Map<MapNode, { idTokens: string[]; variables: Map<string, string>; beforeScript?: string[] }>();
  const fresh = (map: MapNode): { idTokens: string[]; variables: Map<string, string>; beforeScript?: string[] } => {
    let entry = newKeys.get(map);
    if (!entry) newKeys.set(map, (entry = { idTokens: [], variables: new Map() }));
    return entry;
  };
  const tokenEntries = new Map<MapNode, string[]>();
  const variableEntries = new Map<MapNode, Map<string, string>>();
  // A key no job has yet goes where the credentials were when the job would take it from there.
  const home = (job: PipelineJob, key: string): MapNode => (carrier.kind === 'map' && reaches(job, key, carrier.map) ? carrier.map : job.node);

  /** The `id_tokens:` block a job takes its tokens from (to extend), or the map a new block goes on; undefined when neither is safe. */
  const target = (job: PipelineJob): { block: MapNode } | { map: MapNode } | undefined => {
    const first = firstLayerWith(job, 'id_tokens');
    if (first === 'unknown') return undefined;
    if (first === 'none') {
      if (inheritsDefaultIdTokens(ctx, job)) return undefined;
      const map = home(job, 'id_tokens');
      return reachesOnly(ctx, jobs, 'id_tokens', map) ? { map } : undefined;
    }
    // Never through an alias, nor into an empty, tagged or flow-style block.
    const block = first.pair.value;
    if (!isMap(block) || block.tag) return undefined;
    const owner = ownerOf(ctx, first.pair);
    if (!owner || !sharedOnlyBy(ctx, jobs, (other) => other.reachable.includes(owner), owner)) return undefined;
    return { block };
  };

  /**
   * Where a job's own variables go: its `variables:` block (the one it merges in with `<<` when it
   * has none of its own, since one of its own would hide that), else a new block on the job, which
   * `extends` merges with what its templates give it.
   */
  const ownVariables = (job: PipelineJob): { block: MapNode } | { map: MapNode } | undefined => {
    const pair = getPair(job.node, 'variables');
    if (!pair) return reachesOnly(ctx, jobs, 'variables', job.node) ? { map: job.node } : undefined;
    const block = pair.value;
    if (!isMap(block) || block.tag) return undefined;
    const owner = ownerOf(ctx, pair);
    if (!owner || !sharedOnlyBy(ctx, jobs, (other) => other.reachable.includes(owner), owner)) return undefined;
    return { block };
  };

  for (const { name, aud } of needs.idTokens ?? []) {
    const lines = (indent: string): string[] => [`${indent}${name}:`, `${indent}${u}aud: ${yamlScalar(aud)}`];
    for (const job of jobs) {
      if (entrySource(ctx.pipeline, job, 'id_tokens', name).kind !== 'none') return false;
      const where = target(job);
      if (!where) return false;
      const [map, list, indent] = 'block' in where ? [where.block, tokenEntries, ''] : [where.map, undefined, u];
      const entries = list ? list.get(map) ?? [] : fresh(map).idTokens;
      if (!entries.includes(`${indent}${name}:`)) entries.push(...lines(indent));
      if (list) list.set(map, entries);
    }
  }

  for (const [job, variables] of needs.jobVariables ?? []) {
    for (const [name] of variables) if (entrySource(ctx.pipeline, job, 'variables', name).kind !== 'none') return false;
    const where = ownVariables(job);
    if (!where) return false;
    let entries: Map<string, string>;
    if ('block' in where) {
      entries = variableEntries.get(where.block) ?? new Map<string, string>();
      variableEntries.set(where.block, entries);
    } else {
      entries = fresh(where.map).variables;
    }
    // Jobs sharing a block cannot be given two values of one variable there.
    for (const [name, value] of variables) {
      if (entries.has(name) && entries.get(name) !== value) return false;
      entries.set(name, value);
    }
  }

  if (needs.setup && !prependSetup(ctx, jobs, needs.setup, (job) => home(job, 'before_script'), (map, lines) => (fresh(map).beforeScript = lines))) return false;

  const rendered = (entries: Map<string, string>, indent: string): string[] => [...entries].map(([name, value]) => `${indent}${name}: ${yamlScalar(value)}`);
  for (const [block, lines] of tokenEntries) if (!ctx.edits.add(appendToMap(ctx.text, block, lines))) return false;
  for (const [block, entries] of variableEntries) if (!ctx.edits.add(appendToMap(ctx.text, block, rendered(entries, '')))) return false;
  for (const [map, keys] of newKeys) {
    if (keys.idTokens.length > 0 && !ctx.edits.add(addKey(ctx.text, map, ['id_tokens:', ...keys.idTokens], ID_TOKENS_BEFORE))) return false;
    if (keys.variables.size > 0 && !ctx.edits.add(addKey(ctx.text, map, ['variables:', ...rendered(keys.variables, u)], VARIABLES_BEFORE))) return false;
    if (keys.beforeScript && !ctx.edits.add(addKey(ctx.text, map, keys.beforeScript, BEFORE_SCRIPT_BEFORE))) return false;
  }
  return true;
}

/**
 * The setup lines go first in each job's effective `before_script` (extended where it is written,
 * or added where the job has none), else first in its `script` when the `before_script` it has is
 * shared with other jobs and nothing in it needs the login.
 */
function prependSetup(
  ctx: RewriteContext,
  jobs: readonly PipelineJob[],
  setup: NonNullable<Needs['setup']>,
  home: (job: PipelineJob) => MapNode,
  addBeforeScript: (map: MapNode, lines: string[]) => void,
): boolean {
  const prepended = new Set<Pair>();
  const added = new Set<MapNode>();
  const itemIndent = ctx.zeroIndent ? '' : ctx.step;
  for (const job of jobs) {
    const source = listSource(ctx.pipeline, job, 'before_script');
    if (source.kind === 'unknown') return false;
    if (source.kind === 'none') {
      const target = home(job);
      if (added.has(target)) continue;
      if (reachesOnly(ctx, jobs, 'before_script', target)) {
        addBeforeScript(target, ['before_script:', ...setup.lines.map((line) => `${itemIndent}- ${yamlScalar(line)}`)]);
        added.add(target);
        continue;
      }
    } else if (prepended.has(source.pair)) {
      continue;
    } else if (prependTo(ctx, jobs, source.pair, 'before_script', setup.lines)) {
      prepended.add(source.pair);
      continue;
    }
    // The job's before_script cannot take the lines: its script can, when nothing runs before it that needs them.
    const before = effectiveLines(ctx.pipeline, job, ['before_script']);
    if (before.some((line) => shellCommands(line.value as string).some((c) => setup.needsLogin(c.words)))) return false;
    const script = listSource(ctx.pipeline, job, 'script');
    if (script.kind !== 'layer') return false;
    if (prepended.has(script.pair)) continue;
    if (!prependTo(ctx, jobs, script.pair, 'script', setup.lines)) return false;
    prepended.add(script.pair);
  }
  return true;
}

function prependTo(ctx: RewriteContext, jobs: readonly PipelineJob[], pair: Pair, key: string, lines: readonly string[]): boolean {
  const seq = pair.value?.kind === 'alias' ? undefined : blockSequence(ctx.text, pair.value);
  if (!seq) return false;
  const sharers = (other: PipelineJob): boolean => {
    const s = listSource(ctx.pipeline, other, key);
    return (s.kind === 'layer' || s.kind === 'default') && s.pair === pair;
  };
  if (!sharedOnlyBy(ctx, jobs, sharers, ownerOf(ctx, pair))) return false;
  return ctx.edits.add(prependItems(ctx.text, seq, lines));
}

/**
 * Every concrete job for which `uses` holds is one of `jobs`. A job whose configuration is partly
 * elsewhere (a parent in an included file) counts as using whatever `owner` holds when `owner`
 * may reach it at all.
 */
function sharedOnlyBy(ctx: RewriteContext, jobs: readonly PipelineJob[], uses: (job: PipelineJob) => boolean, owner: MapNode | undefined): boolean {
  const everywhere = owner === undefined || owner === defaultMap(ctx.pipeline) || owner === ctx.pipeline.root;
  return concreteJobs(ctx.pipeline).every((job) => {
    if (jobs.includes(job)) return true;
    if (!job.layers) return !everywhere && !job.reachable.includes(owner);
    return !uses(job);
  });
}

/** The map of the file a pair is written in. */
function ownerOf(ctx: RewriteContext, pair: Pair): MapNode | undefined {
  if (ctx.pipeline.root.pairs.includes(pair)) return ctx.pipeline.root;
  return configMaps(ctx.pipeline).find((map) => map.pairs.includes(pair));
}

/** A job without `id_tokens` of its own takes the default's today (which one of its own would hide). */
function inheritsDefaultIdTokens(ctx: RewriteContext, job: PipelineJob): boolean {
  const container = getPair(defaultMap(ctx.pipeline), 'id_tokens');
  const value = deref(container?.value);
  if (!isMap(value) || value.pairs.length === 0) return false;
  return entrySource(ctx.pipeline, job, 'id_tokens', value.pairs[0]!.key).kind === 'default';
}

/**
 * Whether a new `key` on `target` would reach only `jobs`, and none of them by hiding what they
 * take from `default:` today.
 */
function reachesOnly(ctx: RewriteContext, jobs: readonly PipelineJob[], key: string, target: MapNode): boolean {
  for (const job of concreteJobs(ctx.pipeline)) {
    if (!reaches(job, key, target)) continue;
    if (!jobs.includes(job)) return false;
    if (key === 'id_tokens' ? inheritsDefaultIdTokens(ctx, job) : listSource(ctx.pipeline, job, key).kind === 'default') return false;
  }
  return true;
}

/**
 * Whether `job` would see `key` added to `target` (which has none yet). Through `extends`, a hash
 * key arrives from every layer (entries merge) and an array key from the first layer that has it;
 * through `<<` both arrive only where the merging map has no key of its own.
 */
function reaches(job: PipelineJob, key: string, target: MapNode): boolean {
  const layers = job.layers;
  // Partly elsewhere: reached whenever the target may flow into it at all.
  if (!layers) return job.reachable.includes(target);
  const hash = HASH_KEYS.has(key);
  for (const layer of layers) {
    if (layer === target) return true;
    const own = layer.pairs.some((p) => p.key === key);
    if (own && !hash) return false;
    if (own) continue;
    // YAML merge keys: the first `<<` decides, its sources in order (as `getPair` reads them).
    const merge = layer.pairs.find((p) => p.key === '<<');
    for (const source of mergeSourcesOf(merge?.value ?? null)) {
      if (source === target) return true;
      if (source.pairs.some((p) => p.key === key)) {
        if (!hash) return false;
        break;
      }
    }
  }
  return false;
}

function mergeSourcesOf(value: DataNode | null): MapNode[] {
  const node = deref(value);
  if (isMap(node)) return [node];
  if (isSeq(node)) return node.items.map((item) => deref(item)).filter(isMap);
  return [];
}
