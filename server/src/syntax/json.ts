import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError as JsoncError } from 'jsonc-parser';
import type { DataNode, Pair } from './tree';
import type { ParseError } from './parse-error';
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

export function parseJson(text: string): JsonParseResult {
  const rawErrors: JsoncError[] = [];
  let tree: JsonNode | undefined;
  try {
    tree = parseTree(text, rawErrors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch (error) {
    const message = error instanceof RangeError ? 'the document is nested too deeply' : String(error);
    return { root: null, errors: [{ message: `JSON parser failed: ${message}`, span: { start: 0, end: 0 } }] };
  }
  const errors: ParseError[] = rawErrors.map((e) => ({
    message: describeError(e.error),
    span: { start: e.offset, end: e.offset + e.length },
  }));
  const state = { truncated: false };
  const root = tree ? convert(tree, 0, state) : null;
  if (state.truncated) errors.push({ message: `nesting deeper than ${MAX_DEPTH} levels is not analyzed`, span: { start: 0, end: 0 } });
  return { root, errors };
}

function convert(node: JsonNode, depth: number, state: { truncated: boolean }): DataNode {
  const span = { start: node.offset, end: node.offset + node.length };
  if (depth > MAX_DEPTH) {
    state.truncated = true;
    return { kind: 'scalar', value: null, style: 'plain', span };
  }
  switch (node.type) {
    case 'object': {
      const pairs: Pair[] = [];
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode) continue;
        const keySpan = { start: keyNode.offset, end: keyNode.offset + keyNode.length };
        const value = valueNode ? convert(valueNode, depth + 1, state) : null;
        pairs.push({
          key: typeof keyNode.value === 'string' ? keyNode.value : String(keyNode.value ?? ''),
          keySpan,
          value,
          span: { start: property.offset, end: property.offset + property.length },
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
