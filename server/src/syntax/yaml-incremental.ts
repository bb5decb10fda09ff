import type { ParseError } from './parse-error';
import type { Span } from '../core/text';
import type { DataNode, MapNode, Pair } from './tree';
import { parseYaml, type YamlDocument, type YamlParseResult } from './yaml';

/**
 * Re-parsing YAML as the user types, at the cost of the part that changed.
 *
 * Parsing is most of the time the engine spends on a keystroke (the `yaml` library's parser runs
 * at a few MB/s). A stream is cut where YAML itself cuts it — at document markers, at top-level
 * keys, and at the keys of a top-level mapping such as a workflow's `jobs:` or a template's
 * `Resources:` — and each piece is parsed on its own and remembered by its text. After an edit,
 * only the piece that holds it is parsed again; the others are reused, their spans moved.
 *
 * The pieces put together are exactly what a parse of the whole text gives (a differential test
 * holds the two against each other over every fixture, the corpus and thousands of mutants). Where
 * that could fail, the cut is not made: a piece that does not parse cleanly on its own (an
 * unterminated string, a flow collection or an alias that crosses a cut) sends the whole document
 * to a full parse, as do directives, `...` markers and lone carriage returns.
 */
export class YamlParseCache {
  private previous = new Map<string, CachedPiece>();
  private current = new Map<string, CachedPiece>();

  get(text: string): CachedPiece | undefined {
    const hit = this.current.get(text) ?? this.previous.get(text);
    if (hit) this.current.set(text, hit);
    return hit;
  }

  set(text: string, piece: CachedPiece): void {
    this.current.set(text, piece);
  }

  /** Keeps what the last parse used, drops the rest: memory stays proportional to one text. */
  endGeneration(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

/** A parsed piece, its spans as of `offset`, the place it was last used at. */
interface CachedPiece {
  offset: number;
  /** The piece's root: a document root (level 0), or a mapping whose pairs are spliced (levels 1, 2). */
  root: DataNode | null;
  docSpan: Span;
}

export function parseYamlIncremental(text: string, cache: YamlParseCache): YamlParseResult {
  try {
    const result = parseStream(text, cache);
    if (result) return result;
    return parseYaml(text);
  } finally {
    cache.endGeneration();
  }
}

function parseStream(text: string, cache: YamlParseCache): YamlParseResult | undefined {
  if (/^(?:%|\.\.\.(?:[ \t]|$))/m.test(text) || /\r(?!\n)/.test(text)) return undefined;
  const documents: YamlDocument[] = [];
  for (const chunk of documentChunks(text)) {
    const doc = parseDocumentChunk(text, chunk, cache);
    if (!doc) return undefined;
    documents.push(doc);
  }
  return { documents, errors: [], unresolvedAliases: 0 };
}

/** Lines: start offsets and texts (without the line break). */
interface Line {
  start: number;
  end: number;
  text: string;
}

function linesOf(text: string, span: Span): Line[] {
  const lines: Line[] = [];
  let start = span.start;
  while (start < span.end) {
    let end = text.indexOf('\n', start);
    if (end === -1 || end >= span.end) end = span.end;
    const next = end < span.end ? end + 1 : end;
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    lines.push({ start, end: next, text: text.slice(start, lineEnd) });
    start = next;
  }
  return lines;
}

const DOCUMENT_START = /^---(?:[ \t]|$)/;

/** Documents: cut before each `---` line; leading comments join the document after them. */
function documentChunks(text: string): Span[] {
  const starts: number[] = [];
  for (const line of linesOf(text, { start: 0, end: text.length })) if (DOCUMENT_START.test(line.text)) starts.push(line.start);
  const chunks: Span[] = [];
  let from = 0;
  for (const start of starts) {
    if (start === 0) continue;
    // Text before the first marker that holds only comments belongs to the first document.
    if (chunks.length === 0 && isBlankOrComments(text, { start: 0, end: start })) continue;
    chunks.push({ start: from, end: start });
    from = start;
  }
  chunks.push({ start: from, end: text.length });
  return chunks;
}

/**
 * Whether the last non-blank line before line `i` has a comment (or may: a `#` after a space could
 * also sit in a string). `yaml` stretches the value before a comment up to the next line's
 * indentation, which a piece cut at that line would not see, so no cut is made there.
 */
function afterComment(lines: readonly Line[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const text = lines[j]!.text;
    if (/^[ \t]*$/.test(text)) continue;
    return /(?:^|[ \t])#/.test(text);
  }
  return false;
}

function isBlankOrComments(text: string, span: Span): boolean {
  return linesOf(text, span).every((l) => isBlankOrCommentLine(l.text));
}

function isBlankOrCommentLine(line: string): boolean {
  return /^[ \t]*(?:#.*)?$/.test(line);
}

/** A mapping key that starts a line: plain (not an indicator) or quoted, then `:` and a space or the end. */
const KEY_LINE = /^(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_$./@(][^:#\n]*?)[ \t]*:(?:[ \t]|$)/;

function parseDocumentChunk(text: string, chunk: Span, cache: YamlParseCache): YamlDocument | undefined {
  const chunkText = text.slice(chunk.start, chunk.end);
  const cached = cache.get(chunkText);
  if (cached) return { root: moved(cached, chunk.start, cache, chunkText), span: shiftSpan(cached.docSpan, chunk.start - cached.offset) };
  const lines = linesOf(text, chunk);
  const bodyStart = lines.findIndex((l) => !isBlankOrCommentLine(l.text) && !DOCUMENT_START.test(l.text));
  const marker = lines.find((l) => DOCUMENT_START.test(l.text));
  // Splitting needs a block mapping at column 0 and a bare `---` (no content or properties on it).
  const splittable = bodyStart !== -1 && KEY_LINE.test(lines[bodyStart]!.text) && (!marker || /^---[ \t]*(?:#.*)?$/.test(marker.text));
  const doc = splittable ? parseSplit(text, chunk, lines, bodyStart, cache) : undefined;
  const result = doc ?? parseWhole(text, chunk);
  if (!result) return undefined;
  cache.set(chunkText, { offset: chunk.start, root: result.root, docSpan: result.span });
  return result;
}

/** Parses a chunk on its own; undefined when it has errors (the caller falls back to a full parse). */
function parseWhole(text: string, chunk: Span): YamlDocument | undefined {
  const parsed = parseYaml(text.slice(chunk.start, chunk.end));
  // An alias whose anchor lies in another piece resolves only in a parse of the whole.
  if (parsed.errors.length > 0 || parsed.unresolvedAliases > 0 || parsed.documents.length !== 1) return undefined;
  const doc = parsed.documents[0]!;
  return { root: doc.root && shiftNode(doc.root, chunk.start, new Map()), span: shiftSpan(doc.span, chunk.start) };
}

/**
 * A document whose body is a block mapping at column 0, cut at its keys. The document's span and
 * the root mapping's span come from the first and last pieces, which carry the same text as in
 * the whole document.
 */
function parseSplit(text: string, chunk: Span, lines: Line[], bodyStart: number, cache: YamlParseCache): YamlDocument | undefined {
  const pieces: Span[] = [];
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlankOrCommentLine(line.text)) continue;
    if (/^[ \t]/.test(line.text)) continue;
    if (!KEY_LINE.test(line.text)) return undefined;
    if (i === bodyStart) pieces.push({ start: chunk.start, end: chunk.end });
    else if (!afterComment(lines, i)) pieces.push({ start: line.start, end: chunk.end });
  }
  for (let i = 0; i + 1 < pieces.length; i++) pieces[i]!.end = pieces[i + 1]!.start;
  const pairs: Pair[] = [];
  let docSpan: Span | undefined;
  let mapStart = -1;
  let mapEnd = -1;
  for (const piece of pieces) {
    const parsed = parseTopLevelPiece(text, piece, cache);
    if (!parsed) return undefined;
    pairs.push(...parsed.pairs);
    if (mapStart === -1) mapStart = parsed.span.start;
    mapEnd = parsed.span.end;
    docSpan = docSpan ? { start: docSpan.start, end: parsed.docSpan.end } : parsed.docSpan;
  }
  if (!docSpan || pairs.length === 0) return undefined;
  const root: MapNode = { kind: 'map', pairs, span: { start: mapStart, end: mapEnd } };
  return { root, span: docSpan };
}

interface PieceResult {
  pairs: Pair[];
  /** The span of the piece's mapping: from its first key to its last value. */
  span: Span;
  docSpan: Span;
}

/** One top-level key with its value: from the cache, cut again at its own keys, or parsed whole. */
function parseTopLevelPiece(text: string, piece: Span, cache: YamlParseCache): PieceResult | undefined {
  const pieceText = text.slice(piece.start, piece.end);
  const cached = cache.get(pieceText);
  if (cached) return asPiece(moved(cached, piece.start, cache, pieceText), shiftSpan(cached.docSpan, piece.start - cached.offset));
  const result = parseNested(text, piece, cache) ?? parseMappingPiece(text, piece);
  if (!result) return undefined;
  cache.set(pieceText, { offset: piece.start, root: { kind: 'map', pairs: result.pairs, span: result.span }, docSpan: result.docSpan });
  return result;
}

function asPiece(root: DataNode | null, docSpan: Span): PieceResult | undefined {
  if (!root || root.kind !== 'map') return undefined;
  return { pairs: root.pairs, span: root.span, docSpan };
}

/** A piece parsed on its own, which must be a mapping (of one key, or of the keys of a nested piece). */
function parseMappingPiece(text: string, piece: Span): PieceResult | undefined {
  const doc = parseWhole(text, piece);
  if (!doc) return undefined;
  return asPiece(doc.root, doc.span);
}

/**
 * `key:` alone on its line, with a block mapping indented by two spaces under it (a workflow's
 * `jobs:`, a template's `Resources:`): the inner keys are cut again, so that an edit inside one job
 * re-parses that job.
 */
function parseNested(text: string, piece: Span, cache: YamlParseCache): PieceResult | undefined {
  const lines = linesOf(text, piece);
  const header = lines.findIndex((l) => !isBlankOrCommentLine(l.text));
  if (header === -1 || !/^[^ \t#][^#]*:[ \t]*(?:#.*)?$/.test(lines[header]!.text) || !KEY_LINE.test(lines[header]!.text)) return undefined;
  const starts: number[] = [];
  for (let i = header + 1; i < lines.length; i++) {
    const line = lines[i]!.text;
    if (isBlankOrCommentLine(line)) continue;
    if (/^ {2}[^ \t]/.test(line)) {
      if (!KEY_LINE.test(line.slice(2))) return undefined;
      if (starts.length === 0 || !afterComment(lines, i)) starts.push(i);
    } else if (!/^ {3}/.test(line)) return undefined;
    else if (starts.length === 0) return undefined; // deeper than two spaces before the first inner key
  }
  // Trailing comments after the last inner key belong, in a whole parse, to the outer mapping,
  // which a piece parsed alone cannot know: such a piece is parsed whole.
  if (starts.length < 2 || afterComment(lines, lines.length)) return undefined;
  // The header piece: from the piece start to the first inner key's line.
  const headerSpan = { start: piece.start, end: lines[starts[0]!]!.start };
  const headerDoc = parseWhole(text, headerSpan);
  const headerPair = headerDoc?.root?.kind === 'map' && headerDoc.root.pairs.length === 1 ? headerDoc.root.pairs[0]! : undefined;
  if (!headerDoc || !headerPair || (headerPair.value !== null && !isEmptyScalar(headerPair.value))) return undefined;
  const inner: Pair[] = [];
  let innerStart = -1;
  let innerEnd = -1;
  let docEnd = headerDoc.span.end;
  for (let k = 0; k < starts.length; k++) {
    const start = lines[starts[k]!]!.start;
    const end = k + 1 < starts.length ? lines[starts[k + 1]!]!.start : piece.end;
    const sub = parseTopLevelPiece(text, { start, end }, cache);
    if (!sub) return undefined;
    inner.push(...sub.pairs);
    if (innerStart === -1) innerStart = sub.span.start;
    innerEnd = sub.span.end;
    docEnd = sub.docSpan.end;
  }
  const value: MapNode = { kind: 'map', pairs: inner, span: { start: innerStart, end: innerEnd } };
  const pair: Pair = { key: headerPair.key, keySpan: headerPair.keySpan, value, span: { start: headerPair.keySpan.start, end: Math.max(innerEnd, headerPair.keySpan.end) } };
  return { pairs: [pair], span: { start: headerPair.keySpan.start, end: innerEnd }, docSpan: { start: headerDoc.span.start, end: docEnd } };
}

function isEmptyScalar(node: DataNode): boolean {
  return node.kind === 'scalar' && node.value === null && node.span.start === node.span.end;
}

/** A cached piece at a new offset: itself when it has not moved, a moved copy otherwise. */
function moved(piece: CachedPiece, offset: number, cache: YamlParseCache, key: string): DataNode | null {
  if (piece.offset === offset || piece.root === null) return piece.root;
  const root = shiftNode(piece.root, offset - piece.offset, new Map());
  cache.set(key, { offset, root, docSpan: shiftSpan(piece.docSpan, offset - piece.offset) });
  return root;
}

function shiftSpan(span: Span, delta: number): Span {
  return { start: span.start + delta, end: span.end + delta };
}

/** A copy with every span moved by `delta`; aliases point at the copies of their anchors. */
function shiftNode(node: DataNode, delta: number, copies: Map<DataNode, DataNode>): DataNode {
  const done = copies.get(node);
  if (done) return done;
  let copy: DataNode;
  switch (node.kind) {
    case 'scalar':
      copy = { ...node, span: shiftSpan(node.span, delta) };
      break;
    case 'alias':
      copy = { ...node, span: shiftSpan(node.span, delta), target: node.target ? shiftNode(node.target, delta, copies) : null };
      break;
    case 'seq':
      copy = { ...node, span: shiftSpan(node.span, delta), items: node.items.map((item) => shiftNode(item, delta, copies)) };
      break;
    case 'map':
      copy = {
        ...node,
        span: shiftSpan(node.span, delta),
        pairs: node.pairs.map((p) => ({ key: p.key, keySpan: shiftSpan(p.keySpan, delta), value: p.value && shiftNode(p.value, delta, copies), span: shiftSpan(p.span, delta) })),
      };
      break;
  }
  copies.set(node, copy);
  return copy;
}

export type { ParseError };
