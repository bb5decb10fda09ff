import type { Span } from '../core/text';

/**
 * The data tree shared by YAML and JSON documents. Both parsers convert into it once, so that every
 * dialect reader (CloudFormation in YAML or JSON, a Kubernetes manifest, a workflow) is written
 * once. Every node keeps the exact source span it came from.
 *
 * YAML aliases stay aliases: they are never expanded into copies (an alias bomb costs one node),
 * and `get` follows them only one level, through merge keys (`<<: *defaults`). Readers that walk
 * what aliases point at still pay for every visit: `deref` charges each alias it follows to the
 * alias budget (see `withAliasBudget`).
 */
/** Deeper nesting than this is kept as an opaque leaf: the analysis has nothing to find that deep. */
export const MAX_DEPTH = 500;

export type DataNode = MapNode | SeqNode | ScalarNode | AliasNode;

interface NodeBase {
  span: Span;
  /** A YAML tag as written (`!Ref`, `!Sub`); undefined for plain nodes and for JSON. */
  tag?: string;
}

export interface MapNode extends NodeBase {
  kind: 'map';
  pairs: Pair[];
}

export interface Pair {
  /** The key as text ('' for a complex or missing key). */
  key: string;
  keySpan: Span;
  /** Null when the key has no value (`key:` in YAML). */
  value: DataNode | null;
  /** From the key's start to the value's end. */
  span: Span;
}

export interface SeqNode extends NodeBase {
  kind: 'seq';
  items: DataNode[];
}

export type ScalarValue = string | number | boolean | null;

export interface ScalarNode extends NodeBase {
  kind: 'scalar';
  value: ScalarValue;
  /**
   * How the scalar is written. `block` covers YAML `|` and `>` scalars, whose source spans several
   * lines; `quoted` covers YAML quoted scalars and every JSON string.
   */
  style: 'plain' | 'quoted' | 'block';
  /**
   * Set on the opaque leaf that stands for a structure nested deeper than MAX_DEPTH: its span
   * covers text no reader looks into, where the secret scan still reports what it finds.
   */
  truncated?: true;
}

export interface AliasNode extends NodeBase {
  kind: 'alias';
  name: string;
  /** The anchored node, shared, never copied. Null when the anchor is undefined. */
  target: DataNode | null;
  /**
   * How many nodes the anchored node holds, itself included and the aliases inside it expanded:
   * what following this alias lets a reader visit, charged to the alias budget on every hop.
   */
  weight: number;
}

/**
 * Nodes a file's readers may reach through aliases, counted in alias weights. A billion-laughs
 * bomb (nine anchors of nine aliases each: 1.2 KB of YAML) holds 387 million nodes for a reader
 * that walks a value, and kept a CloudFormation analysis running past 20 s. Real files stay far
 * below: no corpus, fixture or example file charges more than 12, and a generated pipeline of 500
 * jobs that each merge `<<: *defaults` and its variables charges 15,000.
 */
export const ALIAS_BUDGET = 100_000;

/** Thrown by `deref` when a reader has followed aliases past the budget of its scope. */
export class AliasBudgetExceeded extends Error {
  override name = 'AliasBudgetExceeded';
  constructor(readonly budget: number) {
    // Digits grouped by hand: toLocaleString loads ICU data on first use, a tenth of a second.
    super(`YAML aliases expand to more than ${String(budget).replace(/\B(?=(\d{3})+$)/g, ',')} nodes (an alias bomb?): reading stopped there`);
  }
}

/** What is left of the current scope's budget; unbounded outside any scope (tools, unit tests). */
let aliasBudgetLeft = Infinity;
let aliasBudgetSize = Infinity;

/**
 * Runs `body` with a fresh alias budget of `size` nodes, shared by everything it reads (one file:
 * its detection, its readers, its fixers), and restores the enclosing budget after it.
 */
export function withAliasBudget<T>(size: number, body: () => T): T {
  const [left, total] = [aliasBudgetLeft, aliasBudgetSize];
  aliasBudgetLeft = size;
  aliasBudgetSize = size;
  try {
    return body();
  } finally {
    aliasBudgetLeft = left;
    aliasBudgetSize = total;
  }
}

/** What the current scope has charged so far (for measurements). */
export function aliasBudgetUsed(): number {
  return aliasBudgetSize - aliasBudgetLeft;
}

export function isMap(node: DataNode | null | undefined): node is MapNode {
  return node?.kind === 'map';
}

export function isSeq(node: DataNode | null | undefined): node is SeqNode {
  return node?.kind === 'seq';
}

export function isScalar(node: DataNode | null | undefined): node is ScalarNode {
  return node?.kind === 'scalar';
}

/**
 * Follows one alias hop; aliases to aliases are resolved up to a small, fixed depth. Each hop is
 * charged to the alias budget (the anchored node's weight: what a reader may now walk), and past
 * it this throws AliasBudgetExceeded.
 */
export function deref(node: DataNode | null | undefined): DataNode | null {
  return follow(node, true);
}

/**
 * `deref` for a lookup of one key in what the alias points at (`get` through `<<: *defaults`): the
 * reader scans the target's own pairs, not what they hold, so a hop costs one. Hundreds of jobs
 * that each look up a few keys through one merge are ordinary GitLab CI, not a bomb.
 */
function derefForLookup(node: DataNode | null | undefined): DataNode | null {
  return follow(node, false);
}

function follow(node: DataNode | null | undefined, walks: boolean): DataNode | null {
  let current = node ?? null;
  for (let hops = 0; current?.kind === 'alias' && hops < 8; hops++) {
    aliasBudgetLeft -= walks ? current.weight : 1;
    if (aliasBudgetLeft < 0) throw new AliasBudgetExceeded(aliasBudgetSize);
    current = current.target;
  }
  return current?.kind === 'alias' ? null : current;
}

/** The pair for `key`, looking through YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`) one level deep. */
export function getPair(node: DataNode | null | undefined, key: string): Pair | undefined {
  const map = derefForLookup(node);
  if (!isMap(map)) return undefined;
  let merged: Pair | undefined;
  for (const pair of map.pairs) {
    if (pair.key === key) return pair;
    if (pair.key === '<<' && merged === undefined) merged = fromMerge(pair.value, key);
  }
  return merged;
}

function fromMerge(value: DataNode | null, key: string): Pair | undefined {
  const source = derefForLookup(value);
  if (isMap(source)) return source.pairs.find((p) => p.key === key);
  if (isSeq(source)) {
    for (const item of source.items) {
      const target = derefForLookup(item);
      if (isMap(target)) {
        const found = target.pairs.find((p) => p.key === key);
        if (found) return found;
      }
    }
  }
  return undefined;
}

export function get(node: DataNode | null | undefined, key: string): DataNode | null {
  return deref(getPair(node, key)?.value);
}

/** Walks a path of keys (strings) and sequence indexes (numbers). */
export function getPath(node: DataNode | null | undefined, path: readonly (string | number)[]): DataNode | null {
  let current: DataNode | null = deref(node);
  for (const step of path) {
    if (current === null) return null;
    if (typeof step === 'number') current = isSeq(current) ? deref(current.items[step]) : null;
    else current = get(current, step);
  }
  return current;
}

/** The pairs of a map, including those merged in through `<<`, own keys first. */
export function pairsOf(node: DataNode | null | undefined): Pair[] {
  const map = deref(node);
  if (!isMap(map)) return [];
  if (!map.pairs.some((p) => p.key === '<<')) return map.pairs;
  const own = map.pairs.filter((p) => p.key !== '<<');
  const seen = new Set(own.map((p) => p.key));
  const result = [...own];
  for (const mergePair of map.pairs) {
    if (mergePair.key !== '<<') continue;
    const source = deref(mergePair.value);
    const sources = isSeq(source) ? source.items.map(deref) : [source];
    for (const src of sources) {
      if (!isMap(src)) continue;
      for (const p of src.pairs) {
        if (p.key === '<<' || seen.has(p.key)) continue;
        seen.add(p.key);
        result.push(p);
      }
    }
  }
  return result;
}

export function itemsOf(node: DataNode | null | undefined): DataNode[] {
  const seq = deref(node);
  return isSeq(seq) ? seq.items : [];
}

/** The text of a scalar (numbers and booleans as written in JSON form), or undefined. */
export function str(node: DataNode | null | undefined): string | undefined {
  const n = deref(node);
  if (!isScalar(n) || n.value === null) return undefined;
  return typeof n.value === 'string' ? n.value : String(n.value);
}

/**
 * The innermost node whose span contains `offset`, with the chain of its ancestors (outermost
 * first). Descends by span, so it costs the depth of the tree, not its size. Aliases are leaves.
 */
export function nodePathAt(root: DataNode, offset: number): DataNode[] {
  const path: DataNode[] = [];
  let current: DataNode | null = root;
  while (current && offset >= current.span.start && offset < current.span.end) {
    path.push(current);
    current = childContaining(current, offset);
  }
  return path;
}

function childContaining(node: DataNode, offset: number): DataNode | null {
  if (node.kind === 'map') {
    for (const pair of node.pairs) {
      const v = pair.value;
      if (v && v.kind !== 'alias' && offset >= v.span.start && offset < v.span.end) return v;
    }
    return null;
  }
  if (node.kind === 'seq') {
    for (const item of node.items) {
      if (item.kind !== 'alias' && offset >= item.span.start && offset < item.span.end) return item;
    }
  }
  return null;
}

/** The pair whose key span contains `offset`, searching the map on `path`'s end. */
export function pairWithKeyAt(map: MapNode, offset: number): Pair | undefined {
  return map.pairs.find((p) => offset >= p.keySpan.start && offset < p.keySpan.end);
}
