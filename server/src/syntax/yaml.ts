import {
  Alias,
  Composer,
  type CST,
  isAlias,
  isMap as isYamlMap,
  isPair,
  isScalar as isYamlScalar,
  isSeq as isYamlSeq,
  Parser,
  Scalar,
  type Node as YamlNode,
  type Tags,
} from 'yaml';
import { MAX_DEPTH, type DataNode, type MapNode, type Pair, type SeqNode } from './tree';
import { MAX_SYNTAX_ERRORS, moreErrors, type ParseError } from './parse-error';
import { MAX_FLOW_COLLECTION_CHARS, maskHugeFlowCollections, reindentContinuations } from './yaml-lenient';

/**
 * YAML with `yaml`: every document of a stream, exact spans, aliases kept as aliases.
 * CloudFormation's short-form intrinsic functions (and GitLab's `!reference`) are registered as
 * tags in all three node forms
 * so that `!Ref x`, `!GetAtt [a, b]` and `!Sub { ... }` parse without warnings; the tag stays on
 * the node (`node.tag`) for the CloudFormation reader to interpret.
 */

export const CLOUDFORMATION_TAGS = [
  '!Ref', '!Sub', '!GetAtt', '!Join', '!If', '!Select', '!Split', '!FindInMap', '!ImportValue',
  '!Base64', '!Cidr', '!GetAZs', '!Equals', '!And', '!Or', '!Not', '!Condition',
  // Less common intrinsics that appear in real templates; registering them costs nothing.
  '!Transform', '!Length', '!ToJsonString', '!ForEach',
] as const;

/** GitLab CI's tag for reusing another job's keys. */
const GITLAB_TAGS = ['!reference'] as const;

const customTags: Tags = [...CLOUDFORMATION_TAGS, ...GITLAB_TAGS].flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag, collection: 'map' as const, resolve: (value: unknown) => value },
]) as Tags;

/**
 * Whether the text may use one of the tags above. Registering them costs every plain scalar of
 * every file a scan past them (`yaml` tries each schema tag in turn): 10-20% of the parse time of
 * a workflow or manifest that has no tag at all. Without them `yaml` still parses a tagged
 * node the same way and keeps its tag, only with a warning, so a text this test misses loses
 * nothing but silence.
 */
const MAY_USE_CUSTOM_TAG = new RegExp(`!(?:${[...CLOUDFORMATION_TAGS, ...GITLAB_TAGS].map((t) => t.slice(1)).join('|')})(?![A-Za-z0-9_])`);

function mayUseCustomTag(text: string): boolean {
  return text.includes('!') && MAY_USE_CUSTOM_TAG.test(text);
}

export interface YamlDocument {
  /** Null for an empty document (`---` alone, or only comments). */
  root: DataNode | null;
  /** The document's span in the stream, including its `---` marker. */
  span: { start: number; end: number };
}

export interface YamlParseResult {
  documents: YamlDocument[];
  errors: ParseError[];
  /** Aliases whose anchor is not defined before them (not an error for `yaml`, which resolves lazily). */
  unresolvedAliases: number;
}

export function parseYaml(text: string): YamlParseResult {
  // Huge flow collections reach the parser as one opaque scalar each (yaml-lenient.ts).
  const masked = maskHugeFlowCollections(text);
  const source = masked?.text ?? text;
  const opaque = masked?.opaqueStarts ?? NONE;
  const strict = parseOnce(source, text, undefined, opaque);
  if (strict.errors.length === 0) return withOpaqueErrors(strict, opaque);
  // What Kubernetes, CloudFormation and PyYAML accept (yaml-lenient.ts): read again with the
  // continuation lines of quoted scalars and flow collections indented, spans mapped back.
  const lenient = reindentContinuations(source);
  if (!lenient) return withOpaqueErrors(strict, opaque);
  const second = parseOnce(lenient.text, text, lenient.toOriginal, opaque);
  return withOpaqueErrors(second.errors.length < strict.errors.length ? second : strict, opaque);
}

/** parseYaml, plus one error for each flow collection it did not read (huge ones: yaml-lenient.ts). */
function withOpaqueErrors(result: YamlParseResult, opaque: ReadonlySet<number>): YamlParseResult {
  for (const start of opaque) {
    result.errors.push({ message: `a flow collection over ${MAX_FLOW_COLLECTION_CHARS / 1024} KB is not analyzed (the secret scan still reads it)`, span: { start, end: start } });
  }
  return result;
}

/**
 * One parse of `source` (the text, or the text re-indented), every offset reported in `text`'s
 * coordinates through `toOriginal`.
 */
const NONE: ReadonlySet<number> = new Set();

function parseOnce(source: string, text: string, toOriginal: ((offset: number) => number) | undefined, opaque: ReadonlySet<number>): YamlParseResult {
  const at = toOriginal ?? ((offset: number) => offset);
  const errors: ParseError[] = [];
  let raw;
  try {
    // What `parseAllDocuments` does, with the concrete syntax tree pruned in between (see
    // `pruneDeepNesting`).
    const composer = new Composer({
      ...(mayUseCustomTag(text) ? { customTags } : {}),
      uniqueKeys: false,
      keepSourceTokens: false,
      strict: false,
    });
    raw = Array.from(composer.compose(pruneDeepNesting(new Parser().parse(source))));
  } catch (error) {
    // `yaml` reports problems as errors on the document; a throw is a bug or a resource limit
    // (stack overflow). Either way the file yields no tree, and says why.
    return { documents: [], errors: [{ message: `YAML parser failed: ${describe(error)}`, span: { start: 0, end: 0 }, failure: true }], unresolvedAliases: 0 };
  }
  const documents: YamlDocument[] = [];
  let unresolvedAliases = 0;
  let listed = 0;
  let dropped = 0;
  let lastDropped = 0;
  for (const doc of raw) {
    for (const e of doc.errors) {
      if (listed >= MAX_SYNTAX_ERRORS) {
        dropped++;
        lastDropped = Math.min(at(e.pos[0]), text.length);
        continue;
      }
      listed++;
      // `yaml` catches its own stack overflow on deep nesting and reports the engine's message
      // ("Maximum call stack size exceeded"), which reads like a crash of Keyless.
      const message = e.code === 'RESOURCE_EXHAUSTION' ? 'the document is nested too deeply' : e.message.split('\n')[0] ?? e.message;
      // An error at the end of the input (an unclosed quote or bracket) is placed one past it.
      const start = Math.min(at(e.pos[0]), text.length);
      errors.push({ message, span: { start, end: Math.min(Math.max(start, at(e.pos[1])), text.length) } });
    }
    const converter = new Converter(at, opaque);
    const root = doc.contents ? converter.convert(doc.contents as YamlNode, 0) : null;
    const range = doc.range ?? [0, 0, 0];
    documents.push({ root, span: { start: at(range[0]), end: at(range[2]) } });
    unresolvedAliases += converter.unresolvedAliases;
    if (converter.truncated) {
      errors.push({ message: `nesting deeper than ${MAX_DEPTH} levels is not analyzed`, span: converter.truncated });
    }
  }
  if (dropped > 0) errors.push(moreErrors(dropped, lastDropped));
  return { documents, errors, unresolvedAliases };
}

/**
 * Collections nested deeper than this many levels reach `yaml`'s composer as empty scalars. The
 * composer recurses once per level (about 1 KB of stack each: node's default stack runs out near
 * 900 levels), and although it catches its own stack overflow, a regular expression that V8
 * compiles (or re-compiles to machine code, on its second use) while the stack is nearly exhausted
 * aborts the whole process ("RegExpCompiler Allocation failed"): a line of 1,000 `[` analyzed twice
 * killed the language server. One level past MAX_DEPTH keeps the data tree exactly as it was (the
 * converter turns that level into an opaque leaf with its real span) at about half the stack.
 */
export const MAX_COMPOSE_DEPTH = MAX_DEPTH + 2;

/**
 * Replaces, in each document token the (iterative) CST parser yields, every collection deeper than
 * MAX_COMPOSE_DEPTH by an empty plain scalar at its offset. The walk is iterative too.
 */
function* pruneDeepNesting(tokens: Iterable<CST.Token>): Generator<CST.Token> {
  for (const token of tokens) {
    if (token.type === 'document' && token.value) token.value = pruned(token.value, 1);
    yield token;
  }
}

function isCollectionToken(token: CST.Token): token is CST.BlockMap | CST.BlockSequence | CST.FlowCollection {
  return token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';
}

function pruned(root: CST.Token, rootDepth: number): CST.Token {
  if (!isCollectionToken(root)) return root;
  if (rootDepth > MAX_COMPOSE_DEPTH) return emptyScalar(root);
  const stack: { token: CST.BlockMap | CST.BlockSequence | CST.FlowCollection; depth: number }[] = [{ token: root, depth: rootDepth }];
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    for (const item of token.items as { key?: CST.Token | null; value?: CST.Token }[]) {
      for (const field of ['key', 'value'] as const) {
        const child = item[field];
        if (!child || !isCollectionToken(child)) continue;
        if (depth + 1 > MAX_COMPOSE_DEPTH) item[field] = emptyScalar(child);
        else stack.push({ token: child, depth: depth + 1 });
      }
    }
  }
  return root;
}

function emptyScalar(token: CST.Token & { offset: number; indent: number }): CST.FlowScalar {
  return { type: 'scalar', offset: token.offset, indent: token.indent, source: '' };
}

class Converter {
  private readonly anchors = new Map<string, DataNode>();
  /** Nodes converted so far, aliases expanded, and each anchored node's size: the weight of an alias to it. */
  private count = 0;
  private readonly weights = new Map<DataNode, number>();

  /** `at` maps an offset of the parsed source to the text's (they differ for a lenient parse). */
  constructor(
    private readonly at: (offset: number) => number,
    /** Where the scalars that stand for huge flow collections start: opaque leaves, like deep nesting. */
    private readonly opaque: ReadonlySet<number>,
  ) {}
  truncated: { start: number; end: number } | undefined;
  unresolvedAliases = 0;

  convert(node: YamlNode, depth: number): DataNode {
    const range = node.range ?? [0, 0, 0];
    const span = { start: this.at(range[0]), end: this.at(range[1]) };
    const countBefore = this.count++;
    let result: DataNode;
    if (depth > MAX_DEPTH) {
      this.truncated ??= span;
      result = { kind: 'scalar', value: null, style: 'plain', span, truncated: true };
    } else if (isAlias(node)) {
      const alias = node as Alias;
      const target = this.anchors.get(alias.source) ?? null;
      if (target === null) this.unresolvedAliases++;
      const weight = target ? (this.weights.get(target) ?? 1) : 0;
      result = { kind: 'alias', name: alias.source, target, span, weight };
    } else if (isYamlScalar(node) && this.opaque.has(span.start)) {
      result = { kind: 'scalar', value: null, style: 'plain', span, truncated: true };
    } else if (isYamlScalar(node)) {
      const scalar = node as Scalar;
      const value = scalar.value;
      result = {
        kind: 'scalar',
        value: value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? value
          : String(value),
        style: scalarStyle(scalar.type),
        span,
      };
    } else if (isYamlMap(node)) {
      const pairs: Pair[] = [];
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const keyNode = item.key as YamlNode | null;
        const valueNode = item.value as YamlNode | null;
        const keyRange = keyNode?.range;
        const keySpan = keyRange ? { start: this.at(keyRange[0]), end: this.at(keyRange[1]) } : { start: span.start, end: span.start };
        const value = valueNode ? this.convert(valueNode, depth + 1) : null;
        pairs.push({
          key: keyText(keyNode),
          keySpan,
          value,
          span: { start: keySpan.start, end: value ? Math.max(value.span.end, keySpan.end) : keySpan.end },
        });
      }
      result = { kind: 'map', pairs, span } satisfies MapNode;
    } else if (isYamlSeq(node)) {
      const items: DataNode[] = [];
      for (const item of node.items) {
        if (item && typeof item === 'object' && 'range' in (item as object)) items.push(this.convert(item as YamlNode, depth + 1));
      }
      result = { kind: 'seq', items, span } satisfies SeqNode;
    } else {
      result = { kind: 'scalar', value: null, style: 'plain', span };
    }
    if (node.tag && result.kind !== 'alias') result.tag = node.tag;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) {
      this.anchors.set(anchor, result);
      this.weights.set(result, this.count - countBefore);
    }
    return result;
  }
}

function scalarStyle(type: Scalar['type']): 'plain' | 'quoted' | 'block' {
  switch (type) {
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return 'quoted';
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL':
      return 'block';
    default:
      return 'plain';
  }
}

function keyText(key: YamlNode | null): string {
  if (key && isYamlScalar(key)) {
    const v = (key as Scalar).value;
    return v === null || v === undefined ? '' : String(v);
  }
  return '';
}

function describe(error: unknown): string {
  if (error instanceof RangeError) return 'the document is nested too deeply';
  // The class only: an error's message may quote the text, and the text may hold a credential.
  return error instanceof Error ? error.name : typeof error;
}
