import { lineBreakWithin } from '../../syntax/text';
import type { Span } from '../../core/text';
import { deref, isMap, isScalar, isSeq, type DataNode } from '../../syntax/tree';

/**
 * One view of a Terraform module file, whether written in HCL (`.tf`, `.tfvars`) or JSON
 * (`.tf.json`). Rules read blocks, attributes and expressions through it and never see which
 * syntax was used.
 *
 * HCL is read by `hcl-reader.ts` (lazily: only the blocks a reader asks for are opened); `.tf.json`
 * here.
 */
export interface TfBlock {
  type: string;
  labels: string[];
  span: Span;
  /** The block's first line: where "the block's first line" anchors are drawn. */
  headerSpan: Span;
  attributes(): TfAttribute[];
  attribute(name: string): TfAttribute | undefined;
  /** Nested blocks, of one type or of all. */
  blocks(type?: string): TfBlock[];
}

export interface TfAttribute {
  name: string;
  nameSpan: Span;
  span: Span;
  value: TfExpr;
}

export type TfExpr =
  | {
      kind: 'string';
      /** The text as written between the quotes or heredoc markers (escapes not processed). */
      value: string;
      span: Span;
      template: boolean;
      heredoc: boolean;
      /** Where `value` starts in the file, when `value` is the source text itself (no escapes). */
      valueStart?: number;
    }
  | { kind: 'number' | 'bool' | 'null'; text: string; span: Span }
  | { kind: 'object'; entries: TfObjectEntry[]; span: Span }
  | { kind: 'tuple'; items: TfExpr[]; span: Span }
  | { kind: 'reference'; text: string; span: Span }
  | { kind: 'call'; name: string; args: TfExpr[]; span: Span }
  | { kind: 'other'; text: string; span: Span };

export interface TfObjectEntry {
  key: string;
  keySpan: Span;
  value: TfExpr;
}

export interface TerraformFile {
  blocks: TfBlock[];
}

/** A literal string value (not a template with interpolations), or undefined. */
export function literalString(expr: TfExpr | undefined): string | undefined {
  return expr?.kind === 'string' && !expr.template ? expr.value : undefined;
}

/**
 * Nodes deeper than this (counted in conversion steps: a bracket level is about three) stay
 * opaque `other` expressions. The conversion recurses, and 5,000 nested parentheses in one
 * attribute overflowed the stack and lost the whole file's analysis; no Terraform that configures
 * a credential nests this deep, and a literal inside the opaque part is still seen by the secret
 * scan, which reads the text.
 */
export const MAX_EXPRESSION_DEPTH = 300;

function trimCr(text: string, end: number): number {
  return end > 0 && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

// ---------------------------------------------------------------------------------------------
// JSON (.tf.json): https://developer.hashicorp.com/terraform/language/syntax/json

/** How many labels each top-level block type takes in JSON syntax. */
const LABEL_COUNT: Record<string, number> = {
  resource: 2,
  data: 2,
  provider: 1,
  variable: 1,
  output: 1,
  module: 1,
  locals: 0,
  terraform: 0,
  moved: 0,
  import: 0,
  check: 1,
  removed: 0,
};

export function terraformFromJson(root: DataNode | null, text: string): TerraformFile {
  const blocks: TfBlock[] = [];
  const top = deref(root);
  if (!isMap(top)) return { blocks };
  for (const pair of top.pairs) {
    const labelCount = LABEL_COUNT[pair.key];
    if (labelCount === undefined || !pair.value) continue;
    collectJsonBlocks(pair.key, labelCount, [], pair.value, pair.keySpan, text, blocks);
  }
  return { blocks };
}

function collectJsonBlocks(type: string, labelsLeft: number, labels: string[], node: DataNode, keySpan: Span, text: string, out: TfBlock[]): void {
  const value = deref(node);
  if (isSeq(value)) {
    for (const item of value.items) collectJsonBlocks(type, labelsLeft, labels, item, keySpan, text, out);
    return;
  }
  if (!isMap(value)) return;
  if (labelsLeft === 0) {
    out.push(new JsonBlock(type, labels, value, keySpan, text));
    return;
  }
  for (const pair of value.pairs) {
    if (pair.value) collectJsonBlocks(type, labelsLeft - 1, [...labels, pair.key], pair.value, pair.keySpan, text, out);
  }
}

class JsonBlock implements TfBlock {
  readonly span: Span;
  readonly headerSpan: Span;

  constructor(
    readonly type: string,
    readonly labels: string[],
    private readonly body: DataNode & { kind: 'map' },
    keySpan: Span,
    private readonly text: string,
  ) {
    this.span = { start: keySpan.start, end: body.span.end };
    this.headerSpan = { start: keySpan.start, end: trimCr(text, lineBreakWithin(text, keySpan.start, body.span.end)) };
  }

  attributes(): TfAttribute[] {
    return this.body.pairs
      .filter((p) => p.value !== null)
      .map((p) => ({ name: p.key, nameSpan: p.keySpan, span: p.span, value: jsonExpression(p.value!) }));
  }

  attribute(name: string): TfAttribute | undefined {
    return this.attributes().find((a) => a.name === name);
  }

  blocks(type?: string): TfBlock[] {
    const result: TfBlock[] = [];
    for (const pair of this.body.pairs) {
      if (type !== undefined && pair.key !== type) continue;
      const value = deref(pair.value);
      const bodies = isSeq(value) ? value.items.map(deref) : [value];
      for (const body of bodies) if (isMap(body)) result.push(new JsonBlock(pair.key, [], body, pair.keySpan, this.text));
    }
    return result;
  }
}

function jsonExpression(node: DataNode): TfExpr {
  const value = deref(node);
  const span = value?.span ?? node.span;
  if (isScalar(value)) {
    if (typeof value.value === 'string') {
      const whole = /^\$\{([^{}]*)\}$/.exec(value.value);
      if (whole && /^[A-Za-z_][\w.\[\]"*-]*$/.test(whole[1]!.trim())) return { kind: 'reference', text: whole[1]!.trim(), span };
      // Without escapes the JSON string's value is its source text, one character after the quote.
      const unescaped = value.span.end - value.span.start === value.value.length + 2;
      return { kind: 'string', value: value.value, span, template: value.value.includes('${'), heredoc: false, ...(unescaped ? { valueStart: span.start + 1 } : {}) };
    }
    if (typeof value.value === 'number') return { kind: 'number', text: String(value.value), span };
    if (typeof value.value === 'boolean') return { kind: 'bool', text: String(value.value), span };
    return { kind: 'null', text: 'null', span };
  }
  if (isMap(value)) {
    return { kind: 'object', entries: value.pairs.filter((p) => p.value).map((p) => ({ key: p.key, keySpan: p.keySpan, value: jsonExpression(p.value!) })), span };
  }
  if (isSeq(value)) return { kind: 'tuple', items: value.items.map(jsonExpression), span };
  return { kind: 'other', text: '', span };
}
