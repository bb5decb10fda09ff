import type { SyntaxNode } from '../../syntax/hcl';
import { lineBreakWithin } from '../../syntax/text';
import type { Span } from '../../core/text';
import { deref, isMap, isScalar, isSeq, type DataNode } from '../../syntax/tree';

/**
 * One view of a Terraform module file, whether written in HCL (`.tf`, `.tfvars`) or JSON
 * (`.tf.json`). Rules read blocks, attributes and expressions through it and never see which
 * syntax was used.
 *
 * The HCL side is lazy: a 5,000-line file has tens of thousands of syntax nodes, and every node
 * visited from JavaScript crosses into WebAssembly. Only the blocks a reader asks for are opened.
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

// ---------------------------------------------------------------------------------------------
// HCL

/** Block types that exist only at the top level of a module. */
const TOP_LEVEL_ONLY = new Set(['resource', 'data', 'provider', 'module', 'variable', 'output', 'locals', 'terraform', 'moved', 'import', 'removed', 'check']);

export function terraformFromHcl(root: SyntaxNode, text: string): TerraformFile {
  const blocks = bodyItems(root, text).blocks;
  // While a block is being typed its closing brace is missing, and tree-sitter nests every block
  // after it inside it. A top-level-only block found inside a broken block is where it would be
  // once the brace is typed: at the top level.
  const hoisted: TfBlock[] = [];
  // A file without syntax errors has no broken block: one question instead of one per block.
  if (root.hasError) for (const block of blocks) if (block instanceof HclBlock && block.broken) hoistTopLevel(block, hoisted, 0);
  return { blocks: hoisted.length > 0 ? [...blocks, ...hoisted].sort((a, b) => a.span.start - b.span.start) : blocks };
}

function hoistTopLevel(block: TfBlock, into: TfBlock[], depth: number): void {
  if (depth > 8) return;
  for (const nested of block.blocks()) {
    if (TOP_LEVEL_ONLY.has(nested.type)) into.push(nested);
    hoistTopLevel(nested, into, depth + 1);
  }
}

interface BodyItems {
  attributes: TfAttribute[];
  blocks: TfBlock[];
}

/**
 * The attributes and blocks under a config_file or block node. ERROR nodes are looked into: when a
 * brace is missing, tree-sitter wraps what follows in an ERROR node, and the blocks inside it are
 * still worth reading.
 */
function bodyItems(container: SyntaxNode, text: string): BodyItems {
  const items: BodyItems = { attributes: [], blocks: [] };
  collectBodyItems(container, text, 0, items);
  return items;
}

function collectBodyItems(node: SyntaxNode, text: string, depth: number, items: BodyItems): void {
  for (const child of node.namedChildren) {
    if (!child) continue;
    const type = child.type;
    if (type === 'body') collectBodyItems(child, text, depth, items);
    else if (type === 'block') items.blocks.push(new HclBlock(child, text));
    else if (type === 'attribute') {
      const attribute = hclAttribute(child, text);
      if (attribute) items.attributes.push(attribute);
    } else if (type === 'ERROR' && depth < 4) collectBodyItems(child, text, depth + 1, items);
  }
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;
const QUOTED_LABEL = /"([^"\\\n$%]*)"/y;
const BLANKS = /[ \t]*/y;

/**
 * A block's type and labels read from the text: `resource "aws_iam_role" "ci" {` on one line, plain
 * identifiers and quoted labels without escapes or templates. Undefined for anything else
 * (comments, line breaks, escapes), which the syntax tree answers: this is the common case made
 * cheap, since asking the tree costs a WebAssembly crossing per token.
 */
function blockHeader(text: string, span: Span): { type: string; labels: string[]; lineEnd: number } | undefined {
  const read = (pattern: RegExp, at: number): RegExpExecArray | null => {
    pattern.lastIndex = at;
    return pattern.exec(text);
  };
  let at = span.start;
  const type = read(IDENTIFIER, at);
  if (!type) return undefined;
  at += type[0].length;
  const labels: string[] = [];
  for (;;) {
    at += read(BLANKS, at)![0].length;
    if (at >= span.end) return undefined;
    const c = text.charCodeAt(at);
    if (c === 123 /* { */) break;
    const label = c === 34 ? read(QUOTED_LABEL, at) : read(IDENTIFIER, at);
    if (!label) return undefined;
    labels.push(label[1] ?? label[0]);
    at += label[0].length;
  }
  const newline = text.indexOf('\n', at);
  return { type: type[0], labels, lineEnd: trimCr(text, newline === -1 ? text.length : newline) };
}

class HclBlock implements TfBlock {
  readonly type: string;
  readonly labels: string[] = [];
  readonly span: Span;
  readonly headerSpan: Span;
  private items: BodyItems | undefined;

  /** The block contains a syntax error (a missing brace, most often). */
  get broken(): boolean {
    return this.node.hasError;
  }

  constructor(private readonly node: SyntaxNode, private readonly text: string) {
    this.span = { start: node.startIndex, end: node.endIndex };
    const header = blockHeader(text, this.span);
    if (header !== undefined) {
      this.type = header.type;
      this.labels = header.labels;
      this.headerSpan = { start: this.span.start, end: header.lineEnd };
      return;
    }
    let type = '';
    let headerEnd = this.span.end;
    for (const child of node.children) {
      if (!child) continue;
      if (child.type === 'identifier' && type === '') type = child.text;
      else if (child.type === 'identifier') this.labels.push(child.text);
      else if (child.type === 'string_lit') this.labels.push(stringLiteralText(child, text));
      else if (child.type === 'block_start') {
        headerEnd = child.endIndex;
        break;
      }
    }
    this.type = type;
    const lineEnd = text.indexOf('\n', headerEnd);
    this.headerSpan = { start: this.span.start, end: trimCr(text, lineEnd === -1 ? text.length : lineEnd) };
  }

  private body(): BodyItems {
    this.items ??= bodyItems(this.node, this.text);
    return this.items;
  }

  attributes(): TfAttribute[] {
    return this.body().attributes;
  }

  attribute(name: string): TfAttribute | undefined {
    return this.body().attributes.find((a) => a.name === name);
  }

  blocks(type?: string): TfBlock[] {
    const all = this.body().blocks;
    return type === undefined ? all : all.filter((b) => b.type === type);
  }
}

function trimCr(text: string, end: number): number {
  return end > 0 && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

/*
 * Every property of a web-tree-sitter node that is not cached on the JavaScript side (`endIndex`,
 * `text`, `namedChild(i)`, `firstChild`…) is a call into WebAssembly that copies the node in and
 * out. The readers below ask each node once for its children and its end, and slice `text`
 * themselves: on a 5,000-line module that is most of what reading it costs.
 */

function hclAttribute(node: SyntaxNode, text: string): TfAttribute | undefined {
  const children = node.namedChildren;
  const name = children[0];
  if (!name || name.type !== 'identifier') return undefined;
  let expressionNode: SyntaxNode | null = null;
  for (let i = 1; i < children.length; i++) {
    if (children[i]?.type === 'expression') {
      expressionNode = children[i]!;
      break;
    }
  }
  return new HclAttribute(name, expressionNode, { start: node.startIndex, end: node.endIndex }, text);
}

/** An attribute whose value is converted the first time it is read (most never are). */
class HclAttribute implements TfAttribute {
  readonly name: string;
  readonly nameSpan: Span;
  private converted: TfExpr | undefined;

  constructor(nameNode: SyntaxNode, private readonly expressionNode: SyntaxNode | null, readonly span: Span, private readonly text: string) {
    this.nameSpan = { start: nameNode.startIndex, end: nameNode.endIndex };
    this.name = text.slice(this.nameSpan.start, this.nameSpan.end);
  }

  get value(): TfExpr {
    this.converted ??= this.expressionNode ? hclExpression(this.expressionNode, this.text) : { kind: 'other', text: '', span: { start: this.nameSpan.end, end: this.span.end } };
    return this.converted;
  }
}

function stringLiteralText(node: SyntaxNode, text: string, span: Span = { start: node.startIndex, end: node.endIndex }): string {
  // string_lit: quoted_template_start template_literal? quoted_template_end. The common case is
  // read from the text: both quotes there, the closing one not escaped.
  if (span.end - span.start >= 2 && text.charCodeAt(span.start) === 34 && text.charCodeAt(span.end - 1) === 34 && text.charCodeAt(span.end - 2) !== 92) {
    return text.slice(span.start + 1, span.end - 1);
  }
  const start = node.firstChild?.type === 'quoted_template_start' ? node.firstChild.endIndex : node.startIndex;
  const last = node.lastChild;
  const end = last?.type === 'quoted_template_end' && !last.isMissing ? last.startIndex : node.endIndex;
  return text.slice(start, Math.max(start, end));
}

/**
 * Nodes deeper than this (counted in conversion steps: a bracket level is about three) stay
 * opaque `other` expressions. The conversion recurses, and 5,000 nested parentheses in one
 * attribute overflowed the stack and lost the whole file's analysis; no Terraform that configures
 * a credential nests this deep, and a literal inside the opaque part is still seen by the secret
 * scan, which reads the text.
 */
export const MAX_EXPRESSION_DEPTH = 300;

/** Converts an `expression` (or any expression-like) node. Deep structures are converted on demand. */
function hclExpression(node: SyntaxNode, text: string, depth = 0): TfExpr {
  const type = node.type;
  if (depth > MAX_EXPRESSION_DEPTH) {
    const span = { start: node.startIndex, end: node.endIndex };
    return { kind: 'other', text: text.slice(span.start, span.end), span };
  }
  if (type === 'expression' || type === 'literal_value') {
    // An expression with one named child is that child; with several (variable_expr get_attr ...)
    // it is a traversal such as `aws_iam_user.ci.name`.
    const children = node.namedChildren;
    if (children.length === 1 && children[0]) return hclExpression(children[0], text, depth + 1);
    const span = { start: node.startIndex, end: node.endIndex };
    const source = text.slice(span.start, span.end);
    return type === 'expression' && children[0]?.type === 'variable_expr' ? { kind: 'reference', text: source, span } : { kind: 'other', text: source, span };
  }
  const span = { start: node.startIndex, end: node.endIndex };
  switch (type) {
    case 'string_lit': {
      const value = stringLiteralText(node, text, span);
      return { kind: 'string', value, span, template: false, heredoc: false, ...(value.includes('\\') ? {} : { valueStart: span.start + 1 }) };
    }
    case 'numeric_lit':
      return { kind: 'number', text: text.slice(span.start, span.end), span };
    case 'bool_lit':
      return { kind: 'bool', text: text.slice(span.start, span.end), span };
    case 'null_lit':
      return { kind: 'null', text: 'null', span };
    case 'template_expr': {
      const inner = node.namedChild(0);
      return inner ? hclExpression(inner, text, depth + 1) : { kind: 'other', text: text.slice(span.start, span.end), span };
    }
    case 'quoted_template':
    case 'heredoc_template': {
      const heredoc = type === 'heredoc_template';
      let start = span.start;
      let end = span.end;
      let template = false;
      node.children.forEach((child, i) => {
        if (!child) return;
        if (child.type === 'quoted_template_start') start = child.endIndex;
        else if (child.type === 'quoted_template_end') end = child.startIndex;
        else if (child.type === 'heredoc_identifier') {
          // The opening identifier ends the header line; the closing one starts the last line.
          if (i <= 2) start = text.indexOf('\n', child.endIndex) + 1 || child.endIndex;
          else end = child.startIndex;
        } else if (child.type === 'template_interpolation' || child.type === 'template_directive') template = true;
      });
      const value = text.slice(start, Math.max(start, end));
      return { kind: 'string', value, span, template, heredoc, ...(heredoc || !value.includes('\\') ? { valueStart: start } : {}) };
    }
    case 'collection_value': {
      const inner = node.namedChild(0);
      return inner ? hclExpression(inner, text, depth + 1) : { kind: 'other', text: text.slice(span.start, span.end), span };
    }
    case 'object': {
      const entries: TfObjectEntry[] = [];
      for (const elem of node.namedChildren) {
        if (elem?.type !== 'object_elem') continue;
        // object_elem is `key = val` (or `key: val`), both expressions; a comment between them is
        // a named child too, so the two expressions are picked by type.
        let keyNode: SyntaxNode | undefined;
        let valueNode: SyntaxNode | undefined;
        for (const part of elem.namedChildren) {
          if (part?.type !== 'expression') continue;
          if (keyNode === undefined) keyNode = part;
          else {
            valueNode = part;
            break;
          }
        }
        if (!keyNode || !valueNode) continue;
        const key = hclExpression(keyNode, text, depth + 1);
        entries.push({
          key: key.kind === 'string' ? key.value : key.kind === 'reference' || key.kind === 'other' ? key.text : '',
          keySpan: { start: keyNode.startIndex, end: keyNode.endIndex },
          value: hclExpression(valueNode, text, depth + 1),
        });
      }
      return { kind: 'object', entries, span };
    }
    case 'tuple': {
      const items: TfExpr[] = [];
      for (const child of node.namedChildren) {
        if (child?.type === 'expression') items.push(hclExpression(child, text, depth + 1));
      }
      return { kind: 'tuple', items, span };
    }
    case 'variable_expr':
      return { kind: 'reference', text: text.slice(span.start, span.end), span };
    case 'function_call': {
      const first = node.namedChildren;
      const name = first[0] ? text.slice(first[0].startIndex, first[0].endIndex) : '';
      const args: TfExpr[] = [];
      const argsNode = first.find((c) => c?.type === 'function_arguments');
      if (argsNode) {
        for (const child of argsNode.namedChildren) {
          if (child?.type === 'expression') args.push(hclExpression(child, text, depth + 1));
        }
      }
      return { kind: 'call', name, args, span };
    }
    default:
      return { kind: 'other', text: text.slice(span.start, span.end), span };
  }
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
