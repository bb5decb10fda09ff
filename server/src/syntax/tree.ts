import type { Span } from './text';

/**
 * The data tree shared by YAML and JSON documents. Both parsers convert into it once, so that every
 * dialect reader (CloudFormation in YAML or JSON, a Kubernetes manifest, a workflow) is written
 * once. Every node keeps the exact source span it came from.
 *
 * YAML aliases stay aliases: they are never expanded into copies (an alias bomb costs one node),
 * and `get` follows them only one level, through merge keys (`<<: *defaults`).
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
}

export interface AliasNode extends NodeBase {
  kind: 'alias';
  name: string;
  /** The anchored node, shared, never copied. Null when the anchor is undefined. */
  target: DataNode | null;
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

/** Follows one alias hop; aliases to aliases are resolved up to a small, fixed depth. */
export function deref(node: DataNode | null | undefined): DataNode | null {
  let current = node ?? null;
  for (let hops = 0; current?.kind === 'alias' && hops < 8; hops++) current = current.target;
  return current?.kind === 'alias' ? null : current;
}

/** The pair for `key`, looking through YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`) one level deep. */
export function getPair(node: DataNode | null | undefined, key: string): Pair | undefined {
  const map = deref(node);
  if (!isMap(map)) return undefined;
  let merged: Pair | undefined;
  for (const pair of map.pairs) {
    if (pair.key === key) return pair;
    if (pair.key === '<<' && merged === undefined) merged = fromMerge(pair.value, key);
  }
  return merged;
}

function fromMerge(value: DataNode | null, key: string): Pair | undefined {
  const source = deref(value);
  if (isMap(source)) return source.pairs.find((p) => p.key === key);
  if (isSeq(source)) {
    for (const item of source.items) {
      const target = deref(item);
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
