import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node as JsonNode, type ParseError as JsoncError } from 'jsonc-parser';
import type { DataNode, Pair } from './tree';
import { MAX_SYNTAX_ERRORS, moreErrors, type ParseError } from './parse-error';
import { MAX_DEPTH } from './tree';

/**
 * JSON with `jsonc-parser`, error-tolerant: a broken file still yields the tree up to and around
 * the break. Comments and trailing commas are accepted silently (hand-edited IAM policies and
 * Checkov's fixtures carry them): the engine judges credentials, not JSON style.
 */
export interface JsonParseResult {
  root: DataNode | null;
  errors: ParseError[];
}

/**
 * What jsonc-parser is given to push its errors to (its only use of the array): the first
 * MAX_SYNTAX_ERRORS kept, the rest counted.
 */
function errorSink(): { sink: JsoncError[]; kept: JsoncError[]; dropped: () => number; lastOffset: () => number } {
  const kept: JsoncError[] = [];
  let dropped = 0;
  let lastOffset = 0;
  const sink = {
    push(error: JsoncError) {
      if (kept.length < MAX_SYNTAX_ERRORS) kept.push(error);
      else dropped++;
      lastOffset = error.offset;
      return kept.length;
    },
  } as unknown as JsoncError[];
  return { sink, kept, dropped: () => dropped, lastOffset: () => lastOffset };
}

export function parseJson(text: string): JsonParseResult {
  let rawErrors = errorSink();
  let tree: JsonNode | undefined;
  const state: ConvertState = { truncated: false, length: text.length };
  // A byte-order mark is not JSON, and jsonc-parser reports it as an invalid symbol: read it as
  // the whitespace it stands for, which keeps every offset.
  if (text.charCodeAt(0) === 0xfeff) text = ` ${text.slice(1)}`;
  try {
    tree = parseTree(text, rawErrors.sink, PARSE_OPTIONS);
  } catch (error) {
    if (!(error instanceof RangeError)) return failed(errorName(error));
    // jsonc-parser descends recursively, so a few thousand nested objects exhaust the stack and
    // the whole file would go unread (a credential beside a deep blob would hide). Everything
    // below MAX_DEPTH is opaque to the analysis anyway: blank it, keeping every offset, and parse
    // again with a depth the stack can hold.
    rawErrors = errorSink();
    state.truncated = true;
    try {
      tree = parseTree(maskDeepNesting(text, MAX_DEPTH + 1), rawErrors.sink, PARSE_OPTIONS);
    } catch (retryError) {
      return failed(retryError instanceof RangeError ? 'the document is nested too deeply' : errorName(retryError));
    }
  }
  // jsonc-parser reaches past the end for an unterminated block comment: clamp to the text.
  const clamp = (offset: number): number => Math.min(Math.max(0, offset), text.length);
  const errors: ParseError[] = rawErrors.kept.map((e) => ({
    message: describeError(e.error),
    span: { start: clamp(e.offset), end: clamp(e.offset + e.length) },
  }));
  if (rawErrors.dropped() > 0) errors.push(moreErrors(rawErrors.dropped(), clamp(rawErrors.lastOffset())));
  const root = tree ? convert(tree, 0, state) : null;
  if (state.truncated) errors.push({ message: `nesting deeper than ${MAX_DEPTH} levels is not analyzed`, span: { start: 0, end: 0 } });
  return { root, errors };
}

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

/** The class only: an error's message may quote the text, and the text may hold a credential. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function failed(message: string): JsonParseResult {
  return { root: null, errors: [{ message: `JSON parser failed: ${message}`, span: { start: 0, end: 0 }, failure: true }] };
}

/**
 * `text` with every object or array nested deeper than `maxDepth` brackets replaced by `0` and
 * spaces of the same length, so offsets (and line breaks' positions) stay exact. The scanner is
 * iterative and knows strings and comments, so brackets inside them do not count.
 */
function maskDeepNesting(text: string, maxDepth: number): string {
  const scanner = createScanner(text, false);
  const parts: string[] = [];
  let copied = 0;
  let depth = 0;
  let maskStart = -1;
  const mask = (end: number): void => {
    parts.push(text.slice(copied, maskStart), '0', blank(text.slice(maskStart + 1, end)));
    copied = end;
    maskStart = -1;
  };
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      depth++;
      if (depth === maxDepth + 1) maskStart = scanner.getTokenOffset();
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      if (depth === 0) continue;
      if (depth === maxDepth + 1 && maskStart >= 0) mask(scanner.getTokenOffset() + scanner.getTokenLength());
      depth--;
    }
  }
  if (maskStart >= 0) mask(text.length);
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Spaces for every character but line breaks, which stay so that lines keep their numbers. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

interface ConvertState {
  truncated: boolean;
  /** The text's length: jsonc-parser's nodes can reach past it (an unterminated block comment). */
  length: number;
}

function spanOf(node: JsonNode, length: number): { start: number; end: number } {
  const start = Math.min(node.offset, length);
  return { start, end: Math.min(Math.max(start, node.offset + node.length), length) };
}

function convert(node: JsonNode, depth: number, state: ConvertState): DataNode {
  const span = spanOf(node, state.length);
  if (depth > MAX_DEPTH) {
    state.truncated = true;
    return { kind: 'scalar', value: null, style: 'plain', span, truncated: true };
  }
  switch (node.type) {
    case 'object': {
      const pairs: Pair[] = [];
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode) continue;
        const keySpan = spanOf(keyNode, state.length);
        const value = valueNode ? convert(valueNode, depth + 1, state) : null;
        pairs.push({
          key: typeof keyNode.value === 'string' ? keyNode.value : String(keyNode.value ?? ''),
          keySpan,
          value,
          span: spanOf(property, state.length),
        });
      }
      return { kind: 'map', pairs, span };
    }
    case 'array':
      return { kind: 'seq', items: (node.children ?? []).map((child) => convert(child, depth + 1, state)), span };
    case 'string':
      return { kind: 'scalar', value: String(node.value ?? ''), style: 'quoted', span };
    case 'number':
    case 'boolean':
      return { kind: 'scalar', value: node.value as number | boolean, style: 'plain', span };
    default:
      return { kind: 'scalar', value: null, style: 'plain', span };
  }
}

function describeError(code: number): string {
  const name = printParseErrorCode(code);
  // 'ValueExpected' -> 'value expected'
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
