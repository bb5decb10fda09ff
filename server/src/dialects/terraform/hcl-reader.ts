import type { Span } from '../../core/text';
import type { SyntaxNode } from '../../syntax/hcl';
import { expressionFromText, readBodyFromText, textReadable, type TextBodyItem } from './hcl-text';
import { MAX_EXPRESSION_DEPTH, type TerraformFile, type TfAttribute, type TfBlock, type TfExpr, type TfObjectEntry } from './model';

/**
 * Terraform's native syntax (`.tf`, `.tfvars`) read into the model of `model.ts`, from the
 * tree-sitter tree, lazily: a 5,000-line file has tens of thousands of syntax nodes, and every
 * node visited from JavaScript crosses into WebAssembly. Only the blocks a reader asks for are
 * opened, and only the attributes it reads are converted.
 *
 * When the tree holds no error and was parsed from the text itself, the text is read instead
 * (`hcl-text.ts`): the same blocks, attributes and expressions, with the same spans, at a fraction
 * of the cost; what the text reader does not know is read from the tree.
 */

/** Block types that exist only at the top level of a module. */
const TOP_LEVEL_ONLY = new Set(['resource', 'data', 'provider', 'module', 'variable', 'output', 'locals', 'terraform', 'moved', 'import', 'removed', 'check']);

export interface HclReadOptions {
  /**
   * The tree was parsed from `text` itself, with no part made opaque (syntax/hcl-view.ts): when it
   * also holds no error, the blocks can be read from the text.
   */
  treeOfText?: boolean;
}

export function terraformFromHcl(root: SyntaxNode, text: string, options: HclReadOptions = {}): TerraformFile {
  if (options.treeOfText === true && !root.hasError && textReadable(text)) {
    const items = readBodyFromText(text, { start: 0, end: text.length });
    if (items) return { blocks: textBodyItems(items, text, root).blocks };
  }
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

/** A block whose body is read the first time it is asked for (most never are). */
abstract class LazyBlock implements TfBlock {
  abstract readonly type: string;
  abstract readonly labels: string[];
  abstract readonly span: Span;
  abstract readonly headerSpan: Span;
  private items: BodyItems | undefined;

  protected abstract readBody(): BodyItems;

  private body(): BodyItems {
    this.items ??= this.readBody();
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

class HclBlock extends LazyBlock {
  readonly type: string;
  readonly labels: string[] = [];
  readonly span: Span;
  readonly headerSpan: Span;

  /** The block contains a syntax error (a missing brace, most often). */
  get broken(): boolean {
    return this.node.hasError;
  }

  constructor(private readonly node: SyntaxNode, private readonly text: string) {
    super();
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

  protected readBody(): BodyItems {
    return bodyItems(this.node, this.text);
  }
}

// ---------------------------------------------------------------------------------------------
// From the text (hcl-text.ts), the tree answering what the text reader does not know.

function textBodyItems(items: readonly TextBodyItem[], text: string, root: SyntaxNode): BodyItems {
  const body: BodyItems = { attributes: [], blocks: [] };
  for (const item of items) {
    if (item.kind === 'block') body.blocks.push(new TextBlock(item, text, root));
    else body.attributes.push(new TextAttribute(item, text, root));
  }
  return body;
}

class TextBlock extends LazyBlock {
  readonly type: string;
  readonly labels: string[];
  readonly span: Span;
  readonly headerSpan: Span;
  private readonly inside: Span;

  constructor(item: TextBodyItem & { kind: 'block' }, private readonly text: string, private readonly root: SyntaxNode) {
    super();
    this.type = item.type;
    this.labels = item.labels;
    this.span = item.span;
    this.headerSpan = { start: item.span.start, end: item.headerEnd };
    this.inside = item.body;
  }

  protected readBody(): BodyItems {
    const items = readBodyFromText(this.text, this.inside);
    if (items) return textBodyItems(items, this.text, this.root);
    const node = nodeAt(this.root, this.span, 'block');
    return node ? bodyItems(node, this.text) : { attributes: [], blocks: [] };
  }
}

class TextAttribute implements TfAttribute {
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  private readonly expression: Span;
  private converted: TfExpr | undefined;

  constructor(item: TextBodyItem & { kind: 'attribute' }, private readonly text: string, private readonly root: SyntaxNode) {
    this.name = item.name;
    this.nameSpan = item.nameSpan;
    this.span = item.span;
    this.expression = item.value;
  }

  get value(): TfExpr {
    this.converted ??= expressionFromText(this.text, this.expression) ?? this.valueFromTree();
    return this.converted;
  }

  private valueFromTree(): TfExpr {
    const node = nodeAt(this.root, this.span, 'attribute');
    const attribute = node ? hclAttribute(node, this.text) : undefined;
    return attribute?.value ?? { kind: 'other', text: this.text.slice(this.expression.start, this.expression.end), span: this.expression };
  }
}

/**
 * The node of `type` that spans exactly `span`, found by descending from the root through the
 * children that contain it (never `parent`, which searches down from the root on every call).
 */
function nodeAt(root: SyntaxNode, span: Span, type: string): SyntaxNode | undefined {
  let node: SyntaxNode | undefined = root;
  for (let depth = 0; node && depth < 256; depth++) {
    if (node.startIndex === span.start && node.type === type && node.endIndex === span.end) return node;
    node = node.namedChildren.find((child): child is SyntaxNode => child !== null && child.startIndex <= span.start && span.end <= child.endIndex);
  }
  return undefined;
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
