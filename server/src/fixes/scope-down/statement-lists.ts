import type { Dialect } from '../../core/dialect';
import type { Span } from '../../core/text';
import type { StatementSyntax } from '../../dialects/iam-policy/policy-document';
import type { PolicyValue } from '../../dialects/iam-policy/policy-value';
import type { TfExpr } from '../../dialects/terraform/model';
import { hclString } from '../federation/render';
import type { ProposedEdit } from '../fixer';
import { isHclBlock } from '../iac/statement-edit';
import { eolOf, indentationAt, lineStartAt, startsLine } from '../text';
import { yamlString } from '../yaml-edit';

/**
 * A statement's `Action` or `Resource` list rewritten whole, in the syntax the statement is written
 * in: an HCL object in `jsonencode(...)`, JSON (a heredoc, a CloudFormation JSON template, a policy
 * file), CloudFormation YAML (block or flow), or an `aws_iam_policy_document` `statement {}` block.
 * Only the list's value changes; every other byte stays. A list with a comment inside, or a shape
 * that would need a reformat (a `.tf.json` block), is not rewritten (undefined): the fixers then
 * offer nothing.
 */

/** One entry of a new list. */
export type ListItem =
  /** A string written literally: an action name, an ARN. */
  | { kind: 'literal'; value: string }
  /** A Terraform expression's value, with text after it (`aws_s3_bucket.logs.arn`, `"${aws_s3_bucket.logs.arn}/*"`). */
  | { kind: 'terraform'; expression: string; suffix: string }
  /** A CloudFormation resource's ARN (`!GetAtt Logs.Arn`, `!Ref Topic`), with text after it (`!Sub "${Logs.Arn}/*"`). */
  | { kind: 'cloudformation'; logicalId: string; arn: 'GetAtt' | 'Ref'; suffix: string };

/** How the list is written: which of the item kinds the place can hold, and how. */
type Style = 'hcl' | 'heredoc-json' | 'cloudformation-json' | 'json' | 'cloudformation-yaml';

export type ListKey = 'Action' | 'Resource';

const HCL_ATTRIBUTE: Readonly<Record<ListKey, string>> = { Action: 'actions', Resource: 'resources' };

/** What an item reads as once written: literal, or computed with the text a reader keeps for it. */
export function itemValue(item: ListItem): { value: string; computed?: true } {
  if (item.kind === 'literal') return { value: item.value };
  if (item.kind === 'terraform') return { value: item.suffix === '' ? item.expression : `\${${item.expression}}${item.suffix}`, computed: true };
  const name = item.arn === 'GetAtt' ? `${item.logicalId}.Arn` : item.logicalId;
  return { value: item.suffix === '' ? name : `\${${name}}${item.suffix}`, computed: true };
}

/** The edit that writes `items` as the statement's list `key`; undefined where it cannot be written in place. */
export function replaceStatementList(text: string, dialect: Dialect, syntax: StatementSyntax, key: ListKey, items: readonly ListItem[]): ProposedEdit | undefined {
  if (items.length === 0) return undefined;
  if (syntax.form === 'policy-document') {
    if (!isHclBlock(text, syntax.block)) return undefined;
    const attribute = syntax.block.attribute(HCL_ATTRIBUTE[key]) ?? (key === 'Action' ? syntax.block.attribute('action') : undefined);
    if (!attribute || hasComment(text, attribute.value.span) || !literalHclList(attribute.value)) return undefined;
    const rendered = renderAll(items, 'hcl');
    return rendered && { span: attribute.value.span, newText: flowList(text, rendered, attribute.value.span, attribute.nameSpan.start) };
  }
  const entry = syntax.statement.entries.find((e) => e.key === key);
  if (!entry) return undefined;
  const value = entry.value;
  if (!literalList(text, value, entry.keySpan.end) || hasComment(text, value.span)) return undefined;
  const style = styleOf(syntax.form, dialect);
  if (!style) return undefined;
  const rendered = renderAll(items, style);
  if (!rendered) return undefined;
  if (style !== 'cloudformation-yaml' || text[value.span.start] === '[') return { span: value.span, newText: flowList(text, rendered, value.span, entry.keySpan.start) };
  return yamlBlockList(text, rendered, value, entry.keySpan);
}

function styleOf(form: 'jsonencode' | 'json' | 'yaml', dialect: Dialect): Style | undefined {
  if (form === 'jsonencode') return 'hcl';
  if (form === 'yaml') return dialect === 'cloudformation' ? 'cloudformation-yaml' : undefined;
  if (dialect === 'terraform') return 'heredoc-json';
  return dialect === 'cloudformation' ? 'cloudformation-json' : 'json';
}

function renderAll(items: readonly ListItem[], style: Style): string[] | undefined {
  const rendered: string[] = [];
  for (const item of items) {
    const one = render(item, style);
    if (one === undefined) return undefined;
    rendered.push(one);
  }
  return rendered;
}

function render(item: ListItem, style: Style): string | undefined {
  if (item.kind === 'literal') {
    // A literal with `${` would be an interpolation in HCL and in a heredoc: not written there.
    if ((style === 'hcl' || style === 'heredoc-json') && /[$&%]\{/.test(item.value)) return undefined;
    if (style === 'hcl') return hclString(item.value);
    if (style === 'cloudformation-yaml') return yamlString(item.value);
    return JSON.stringify(item.value);
  }
  if (item.kind === 'terraform') {
    if (style === 'hcl') return item.suffix === '' ? item.expression : `"\${${item.expression}}${item.suffix.replace(/[\\"]/g, '\\$&')}"`;
    if (style === 'heredoc-json') return JSON.stringify(`\${${item.expression}}${item.suffix}`);
    return undefined;
  }
  const name = item.arn === 'GetAtt' ? `${item.logicalId}.Arn` : item.logicalId;
  if (style === 'cloudformation-yaml') {
    if (item.suffix !== '') return `!Sub ${JSON.stringify(`\${${name}}${item.suffix}`)}`;
    return item.arn === 'GetAtt' ? `!GetAtt ${name}` : `!Ref ${item.logicalId}`;
  }
  if (style === 'cloudformation-json') {
    if (item.suffix !== '') return `{ "Fn::Sub": ${JSON.stringify(`\${${name}}${item.suffix}`)} }`;
    return item.arn === 'GetAtt' ? `{ "Fn::GetAtt": [${JSON.stringify(item.logicalId)}, "Arn"] }` : `{ "Ref": ${JSON.stringify(item.logicalId)} }`;
  }
  return undefined;
}

/** Lists of up to this many short entries stay on one line, as `["a", "b"]` usually is. */
const ONE_LINE_ITEMS = 3;
const ONE_LINE_WIDTH = 80;

/**
 * `[a, b]` on one line when short, else one entry a line: at the old list's item indentation when
 * its items had lines of their own, else a step deeper than the key's line.
 */
function flowList(text: string, items: readonly string[], old: Span, keyStart: number): string {
  const oneLine = `[${items.join(', ')}]`;
  if (items.length <= ONE_LINE_ITEMS && oneLine.length <= ONE_LINE_WIDTH) return oneLine;
  const eol = eolOf(text);
  const keyIndent = indentationAt(text, keyStart);
  const oldItems = text.slice(old.start + 1, old.end - 1);
  const firstItem = old.start + 1 + (oldItems.length - oldItems.trimStart().length);
  const itemIndent = text[old.start] === '[' && oldItems.includes('\n') && startsLine(text, firstItem) ? indentationAt(text, firstItem) : `${keyIndent}${stepOf(text, keyStart)}`;
  const close = text[old.start] === '[' && startsLine(text, old.end - 1) ? indentationAt(text, old.end - 1) : keyIndent;
  return `[${eol}${items.map((item) => `${itemIndent}${item}`).join(`,${eol}`)}${eol}${close}]`;
}

/** The file's indentation step, as the key's line shows it against the line before (two spaces when unclear). */
function stepOf(text: string, offset: number): string {
  const own = indentationAt(text, offset).length;
  const lineStart = lineStartAt(text, offset);
  if (lineStart === 0) return '  ';
  const previous = indentationAt(text, lineStartAt(text, lineStart - 1)).length;
  const step = own - previous;
  return step > 0 && step <= 8 ? ' '.repeat(step) : '  ';
}

/**
 * CloudFormation YAML in block style: a block sequence replaced item for item at its dash column;
 * a scalar (`Resource: "*"`) becomes a flow list when short, else a block sequence under its key.
 */
function yamlBlockList(text: string, items: readonly string[], value: PolicyValue, keySpan: Span): ProposedEdit | undefined {
  const eol = eolOf(text);
  const keyColumn = ' '.repeat(keySpan.start - lineStartAt(text, keySpan.start));
  if (value.kind === 'array') {
    const first = value.items[0];
    if (!first) return undefined;
    const dash = lineStartAt(text, first.span.start);
    if (!/^[ \t]*- /.test(text.slice(dash, first.span.start))) return undefined;
    const indent = indentationAt(text, first.span.start);
    return { span: { start: dash, end: trimmedEnd(text, value.span) }, newText: items.map((item) => `${indent}- ${item}`).join(eol) };
  }
  const oneLine = `[${items.join(', ')}]`;
  if (items.length <= ONE_LINE_ITEMS && oneLine.length <= ONE_LINE_WIDTH) return { span: { start: value.span.start, end: trimmedEnd(text, value.span) }, newText: oneLine };
  const between = text.slice(keySpan.end, value.span.start);
  if (!/^\s*:[ \t]*$/.test(between)) return undefined;
  return { span: { start: keySpan.end, end: trimmedEnd(text, value.span) }, newText: `:${items.map((item) => `${eol}${keyColumn}  - ${item}`).join('')}` };
}

/**
 * Whether a value is written as literal strings only — a string, or a list (`[…]`, a YAML block
 * sequence) of them: a reference, a function (`concat`), an intrinsic (`!If`, read as the list of
 * its branches) is more than its strings, and rewriting it whole would drop what it says.
 */
function literalList(text: string, value: PolicyValue, keyEnd: number): boolean {
  // A YAML tag between the key and the value (`!If [IsProd, …]`, `!If` over lines) makes it an intrinsic, whatever its node reads as.
  if (text.slice(keyEnd, value.span.start).includes('!')) return false;
  if (value.kind === 'string') return !value.computed;
  if (value.kind !== 'array') return false;
  return /^[[-]/.test(text[value.span.start] ?? '') && value.items.every((item) => item.kind === 'string' && !item.computed);
}

function literalHclList(value: TfExpr): boolean {
  if (value.kind === 'string') return !value.template;
  return value.kind === 'tuple' && value.items.every((item) => item.kind === 'string' && !item.template);
}

/** The end of a span with the white space (a YAML node's trailing line break) left out. */
function trimmedEnd(text: string, span: Span): number {
  let end = span.end;
  while (end > span.start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** Whether a value's text holds a comment (outside its strings): rewriting it whole would lose it. */
function hasComment(text: string, span: Span): boolean {
  const code = text.slice(span.start, span.end).replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'/g, '""');
  return /#|\/\/|\/\*/.test(code);
}
