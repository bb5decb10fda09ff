import type { SyntaxNode } from '../syntax/hcl';
import { get, nodePathAt, str, type DataNode } from '../syntax/tree';
import type { YamlDocument } from '../syntax/yaml';

/**
 * Where a place in a file is, as the keys and blocks that enclose it, outermost first: what a
 * finding's fingerprint (fingerprint.ts) names instead of a line number. Map keys and Terraform
 * block headers are names; a list item is named by a key that identifies it (a step's `id`, `name`
 * or `uses`, a statement's `Sid`, a Kubernetes object's kind, namespace and name), and an item with
 * none is `[]`, never its index: inserting an item above must not rename the items below. Findings
 * that end up with the same path and text are told apart by their order (fingerprint.ts).
 */

/** A segment that names a list item (or a document, or a nested block) is written `[key=value]`. */
export type BlockPath = string[];

/** Keys whose scalar value names a list item, in the order they are preferred. */
const IDENTITY_KEYS = ['id', 'Id', 'name', 'Name', 'Sid', 'sid', 'PolicyName', 'uses'] as const;

/** Deeper than this, the rest of the path is left off: enough to tell any real block apart. */
const MAX_SEGMENTS = 64;

/** In YAML or JSON documents: the document's identity, then each key and item down to `offset`. */
export function dataBlockPath(documents: readonly YamlDocument[], offset: number): BlockPath {
  const doc = documents.find((d) => d.root && offset >= d.span.start && offset < d.span.end);
  if (!doc?.root) return [];
  const nodes = nodePathAt(doc.root, offset);
  const path: BlockPath = [];
  const documentName = kubernetesObjectName(doc.root);
  if (documentName) path.push(`[${documentName}]`);
  for (let i = 1; i < nodes.length && path.length < MAX_SEGMENTS; i++) {
    const parent = nodes[i - 1]!;
    const child = nodes[i]!;
    if (parent.kind === 'map') path.push(parent.pairs.find((p) => p.value === child)?.key ?? '');
    else if (parent.kind === 'seq') path.push(`[${itemName(child) ?? ''}]`);
  }
  return path;
}

/** A list item's name: a Kubernetes object's, else the first identity key's scalar value. */
function itemName(item: DataNode): string | undefined {
  if (item.kind !== 'map') return undefined;
  const object = kubernetesObjectName(item);
  if (object) return object;
  for (const key of IDENTITY_KEYS) {
    const pair = item.pairs.find((p) => p.key === key);
    const value = pair?.value?.kind === 'scalar' ? str(pair.value) : undefined;
    if (value !== undefined && value !== '') return `${key}=${key === 'uses' ? withoutRef(value) : value}`;
  }
  return undefined;
}

/** `Kind/namespace/name` of a manifest (or a `kind: List` item); undefined for other maps. */
function kubernetesObjectName(node: DataNode): string | undefined {
  if (node.kind !== 'map') return undefined;
  const kind = str(node.pairs.find((p) => p.key === 'kind')?.value);
  const metadata = node.pairs.find((p) => p.key === 'metadata')?.value;
  const name = str(get(metadata, 'name'));
  if (kind === undefined || name === undefined) return undefined;
  const namespace = str(get(metadata, 'namespace'));
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

/** `actions/checkout@v4` → `actions/checkout`: a version bump is not a different step. */
function withoutRef(uses: string): string {
  const at = uses.indexOf('@');
  return at === -1 ? uses : uses.slice(0, at);
}

/**
 * In an HCL tree: each block's type and labels (`resource.aws_iam_role.ci`; a nested block without
 * labels named by its `sid`, `name` or `id` attribute), attribute names, object keys and tuple
 * items, down to `offset`. Descends from the root (see `innermostEnclosing`), bounded by depth.
 */
export function hclBlockPath(root: SyntaxNode, text: string, offset: number): BlockPath {
  const target = root.descendantForIndex(offset);
  if (!target) return [];
  const path: BlockPath = [];
  let node: SyntaxNode | null = root;
  for (let depth = 0; node && depth < 4 * MAX_SEGMENTS && path.length < MAX_SEGMENTS; depth++) {
    const segment = hclSegment(node, text);
    if (segment !== undefined) path.push(segment);
    if (node.id === target.id) break;
    const next: SyntaxNode | null = node.childWithDescendant(target);
    if (next && node.type === 'tuple') path.push(`[${hclItemName(next, text) ?? ''}]`);
    node = next;
  }
  return path;
}

function hclSegment(node: SyntaxNode, text: string): string | undefined {
  const slice = (n: SyntaxNode): string => text.slice(n.startIndex, n.endIndex);
  if (node.type === 'block') {
    const names: string[] = [];
    for (const child of node.children) {
      if (!child || child.type === 'block_start') break;
      if (child.type === 'identifier') names.push(slice(child));
      else if (child.type === 'string_lit') names.push(unquote(slice(child)));
    }
    if (names.length > 1) return names.join('.');
    const identity = hclAttributeIdentity(node, text);
    return identity === undefined ? names[0] : `${names[0] ?? ''}[${identity}]`;
  }
  if (node.type === 'attribute') {
    const name = node.namedChildren.find((c) => c?.type === 'identifier');
    return name ? slice(name) : undefined;
  }
  if (node.type === 'object_elem') {
    const key = node.namedChildren.find((c) => c?.type === 'expression');
    return key ? unquote(slice(key).trim()) : undefined;
  }
  return undefined;
}

/** A labelless nested block's `sid`/`name`/`id` attribute, when a plain string. */
function hclAttributeIdentity(block: SyntaxNode, text: string): string | undefined {
  const body = block.namedChildren.find((c) => c?.type === 'body');
  if (!body) return undefined;
  for (const key of IDENTITY_KEYS) {
    for (const attribute of body.namedChildren) {
      if (attribute?.type !== 'attribute') continue;
      const [name, value] = attribute.namedChildren;
      if (!name || !value || text.slice(name.startIndex, name.endIndex) !== key) continue;
      const literal = plainString(text.slice(value.startIndex, value.endIndex));
      if (literal !== undefined) return `${key}=${literal}`;
    }
  }
  return undefined;
}

/** A tuple item that is an object with an identity key (`{ Sid = "x", … }` in a `jsonencode`). */
function hclItemName(item: SyntaxNode, text: string): string | undefined {
  // An item is `expression` → `collection_value` → `object`.
  let container: SyntaxNode | null | undefined = item;
  for (let depth = 0; container && container.type !== 'object' && depth < 3; depth++) container = container.namedChildren.find((c) => c?.type === 'collection_value' || c?.type === 'object');
  if (container?.type !== 'object') return undefined;
  for (const key of IDENTITY_KEYS) {
    for (const elem of container.namedChildren) {
      if (elem?.type !== 'object_elem') continue;
      const [keyNode, valueNode] = elem.namedChildren.filter((c) => c?.type === 'expression');
      if (!keyNode || !valueNode || unquote(text.slice(keyNode.startIndex, keyNode.endIndex).trim()) !== key) continue;
      const literal = plainString(text.slice(valueNode.startIndex, valueNode.endIndex));
      if (literal !== undefined) return `${key}=${literal}`;
    }
  }
  return undefined;
}

/** `"x"` → `x` when the literal has no escape or template; otherwise undefined. */
function plainString(source: string): string | undefined {
  const match = /^\s*"([^"\\$%\n]*)"\s*$/.exec(source);
  return match?.[1];
}

function unquote(source: string): string {
  return source.length >= 2 && source.startsWith('"') && source.endsWith('"') ? source.slice(1, -1) : source;
}
