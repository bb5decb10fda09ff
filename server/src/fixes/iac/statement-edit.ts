import type { PolicyObject, StatementSyntax } from '../../dialects/iam-policy/policy-document';
import type { PolicyEntry, PolicyValue } from '../../dialects/iam-policy/policy-value';
import type { TfBlock } from '../../dialects/terraform/model';
import type { Span } from '../../core/text';
import { hclString } from '../federation/render';
import type { ProposedEdit } from '../fixer';
import { appendToBlock } from '../hcl-edit';
import { eolOf, indentationAt, lineEndAt, lineStartAt, startsLine, wholeLines } from '../text';
import { yamlString } from '../yaml-edit';

/**
 * Edits of one IAM policy statement in the syntax it is written in: an HCL object in
 * `jsonencode(...)`, JSON (heredoc, template, policy file), CloudFormation YAML (block or flow
 * style), or a `statement {}` block of `aws_iam_policy_document`. Each helper returns undefined
 * where the statement's shape would need a reformat (a condition built by a function, a block on
 * one line); the fixers then offer nothing.
 */

type DataForm = 'jsonencode' | 'json' | 'yaml';

/** A `Condition` entry of a statement: its operator object and the entry under it. */
export interface ConditionEntry {
  operator: PolicyEntry;
  entry: PolicyEntry;
}

export function conditionObject(statement: PolicyObject): PolicyEntry | undefined {
  return statement.entries.find((e) => e.key === 'Condition');
}

/** Every `operator → key` entry of the statement's Condition. */
export function conditionEntries(statement: PolicyObject): ConditionEntry[] | undefined {
  const condition = conditionObject(statement);
  if (!condition) return [];
  if (condition.value.kind !== 'object') return undefined;
  const found: ConditionEntry[] = [];
  for (const operator of condition.value.entries) {
    if (operator.value.kind !== 'object') return undefined;
    for (const entry of operator.value.entries) found.push({ operator, entry });
  }
  return found;
}

/**
 * Adds `operator: { key: value }` to a statement's conditions: into the operator's object when the
 * statement has one, else as a new operator in `Condition`, else as a new `Condition`.
 */
export function addCondition(text: string, syntax: StatementSyntax, operator: string, key: string, value: string): ProposedEdit[] | undefined {
  if (syntax.form === 'policy-document') return addConditionBlock(text, syntax.block, operator, key, [value]);
  const form = syntax.form;
  const statement = syntax.statement;
  const condition = conditionObject(statement);
  if (!condition) {
    // IAM writes Condition last (Sid, Effect, Principal, Action, Resource, Condition): after the last entry.
    const edit = appendEntry(text, form, statement, 'Condition', { [operator]: { [key]: value } }) ?? insertEntry(text, form, statement, 'Condition', { [operator]: { [key]: value } });
    return edit && [edit];
  }
  if (condition.value.kind !== 'object') return undefined;
  const existing = condition.value.entries.find((e) => e.key === operator);
  if (existing) {
    if (existing.value.kind !== 'object') return undefined;
    const edit = insertEntry(text, form, existing.value, key, value);
    return edit && [edit];
  }
  const edit = insertEntry(text, form, condition.value, operator, { [key]: value });
  return edit && [edit];
}

/** A nested value to write: a string, or an object of them. */
export type Written = string | { [key: string]: Written };

/**
 * Inserts `key: value` as the first entry of an object (JSON: first member with a trailing comma,
 * so that no other comma moves; YAML block maps: a line before the first key, or after the last
 * when the first shares its line with a `- `).
 */
export function insertEntry(text: string, form: DataForm, object: PolicyValue, key: string, value: Written, comment?: string): ProposedEdit | undefined {
  if (object.kind !== 'object') return undefined;
  const flow = text[object.span.start] === '{';
  if (form === 'yaml' && !flow) return insertYamlBlockEntry(text, object as PolicyObject, key, value, comment);
  const style: FlowStyle = form === 'jsonencode' ? 'hcl' : 'json';
  const first = object.entries[0];
  // A nested object is written over lines when its siblings' are (`StringEquals = {` … `}`).
  const written = first && typeof value !== 'string' && opensOnItsLine(text, first.value) ? multilineValue(style, value, indentationAt(text, first.keySpan.start), nestedStep(text, object as PolicyObject), eolOf(text)) : flowValue(style, value);
  return insertMember(text, style, object as PolicyObject, flowKey(style, key), written, comment);
}

/**
 * Appends `key: value` after an object's last entry, in the object's style: on a line of its own
 * (nested objects over lines too) when the entries have lines of their own, else on the same line
 * after a comma. Trailing comments stay on the lines they annotate. Undefined where the object's
 * shape would need a reformat (a trailing comma on one line, text after a JSON entry).
 */
export function appendEntry(text: string, form: DataForm, object: PolicyValue, key: string, value: Written): ProposedEdit | undefined {
  if (object.kind !== 'object') return undefined;
  const entries = (object as PolicyObject).entries;
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) return undefined;
  const eol = eolOf(text);
  const lastEnd = trimmedEnd(text, { start: last.keySpan.start, end: Math.max(last.value.span.end, last.keySpan.end) });
  const flow = text[object.span.start] === '{';
  if (form === 'yaml' && !flow) {
    const column = ' '.repeat(first.keySpan.start - lineStartAt(text, first.keySpan.start));
    const end = lineEndAt(text, lastEnd);
    return { span: { start: end, end }, newText: yamlEntryLines(key, value, yamlStep(text, object as PolicyObject)).map((line) => `${eol}${column}${line}`).join('') };
  }
  const style: FlowStyle = form === 'jsonencode' ? 'hcl' : 'json';
  const assign = style === 'hcl' ? ' = ' : ': ';
  const afterLast = text.slice(lastEnd, lineEndAt(text, lastEnd));
  const trailingComma = /^\s*,/.test(afterLast);
  const close = object.span.end - 1;
  const overLines = entries.every((e) => startsLine(text, e.keySpan.start)) && startsLine(text, close);
  if (!overLines) {
    if (trailingComma) return undefined;
    return { span: { start: lastEnd, end: lastEnd }, newText: `, ${flowKey(style, key)}${assign}${flowValue(style, value)}` };
  }
  const indent = indentationAt(text, last.keySpan.start);
  const rendered = `${indent}${flowKey(style, key)}${assign}${multilineValue(style, value, indent, nestedStep(text, object as PolicyObject), eol)}`;
  if (style === 'json') {
    if (afterLast.trim() !== '') return undefined;
    return { span: { start: lastEnd, end: lastEnd }, newText: `,${eol}${rendered}` };
  }
  // HCL: entries end at their line break (or a comma, kept as the object's style); comments stay on their line.
  const end = lineEndAt(text, lastEnd);
  return { span: { start: end, end }, newText: `${eol}${rendered}${trailingComma ? ',' : ''}` };
}

/** Whether a value is an object whose entries start on lines of their own. */
function opensOnItsLine(text: string, value: PolicyValue): boolean {
  return value.kind === 'object' && value.entries[0] !== undefined && text[value.span.start] === '{' && startsLine(text, value.entries[0].keySpan.start);
}

/** A value written over lines: nested objects one entry a line, each a `step` deeper than `indent`. */
function multilineValue(style: FlowStyle, value: Written, indent: string, step: string, eol: string): string {
  if (typeof value === 'string') return style === 'json' ? JSON.stringify(value) : hclString(value);
  const inner = `${indent}${step}`;
  const assign = style === 'hcl' ? ' = ' : ': ';
  const lines = Object.entries(value).map(([k, v]) => `${inner}${flowKey(style, k)}${assign}${multilineValue(style, v, inner, step, eol)}`);
  return `{${eol}${lines.join(style === 'json' ? `,${eol}` : eol)}${eol}${indent}}`;
}

/** How much deeper an object's nested entries are indented: as its nested objects show, else as it is from its own line, else two spaces. */
function nestedStep(text: string, object: PolicyObject): string {
  for (const entry of object.entries) {
    if (opensOnItsLine(text, entry.value) && startsLine(text, entry.keySpan.start)) {
      const child = indentationAt(text, (entry.value as PolicyObject).entries[0]!.keySpan.start).length;
      const parent = indentationAt(text, entry.keySpan.start).length;
      if (child > parent) return ' '.repeat(child - parent);
    }
  }
  const first = object.entries[0];
  if (first && startsLine(text, first.keySpan.start)) {
    const own = indentationAt(text, first.keySpan.start).length - indentationAt(text, object.span.start).length;
    if (own > 0 && own <= 8) return ' '.repeat(own);
  }
  return '  ';
}

/** The `#` or `//` comment that ends an entry's last line, if any: it moves with the entry. */
export function trailingComment(text: string, entry: PolicyEntry): string | undefined {
  const end = trimmedEnd(text, { start: entry.keySpan.start, end: Math.max(entry.value.span.end, entry.keySpan.end) });
  const rest = text.slice(end, lineEndAt(text, end)).replace(/^\s*,?/, '').trim();
  return /^(?:#|\/\/)/.test(rest) ? rest : undefined;
}

/**
 * Inserts a member (key and value already written in the object's flow syntax) as the first of
 * a `{ … }` object: on its own line before the first member when members have lines of their own,
 * else right after the brace; always followed by a comma in JSON, so that no other comma moves.
 */
export function insertMember(text: string, style: FlowStyle, object: PolicyObject, key: string, value: string, comment?: string): ProposedEdit | undefined {
  const rendered = `${key}${style === 'hcl' ? ' = ' : ': '}${value}`;
  const first = object.entries[0];
  if (!first) {
    const inside = text.slice(object.span.start + 1, object.span.end - 1);
    if (inside.trim() !== '') return undefined;
    return { span: object.span, newText: `{ ${rendered} }` };
  }
  const open = object.span.start + 1;
  const multiline = text.slice(open, first.keySpan.start).includes('\n') && startsLine(text, first.keySpan.start);
  if (multiline) {
    const at = lineStartAt(text, first.keySpan.start);
    const indent = indentationAt(text, first.keySpan.start);
    const separator = style === 'json' || /,\s*(?:(?:#|\/\/).*)?$/.test(text.slice(first.keySpan.start, lineEndAt(text, first.keySpan.start))) ? ',' : '';
    const aligned = style === 'hcl' ? alignKey(text, first, key) : key;
    const line = `${aligned}${style === 'hcl' ? ' = ' : ': '}${value}`;
    return { span: { start: at, end: at }, newText: `${indent}${line}${separator}${comment ? ` ${comment}` : ''}${eolOf(text)}` };
  }
  const space = text[open] === ' ' ? ' ' : '';
  return { span: { start: open, end: open }, newText: `${space}${rendered},${space === '' ? ' ' : ''}` };
}

export type FlowStyle = 'hcl' | 'json';

function flowKey(style: FlowStyle, key: string): string {
  if (style === 'json') return JSON.stringify(key);
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : hclString(key);
}

function flowValue(style: FlowStyle, value: Written): string {
  if (typeof value === 'string') return style === 'json' ? JSON.stringify(value) : hclString(value);
  const entries = Object.entries(value).map(([k, v]) => `${flowKey(style, k)}${style === 'hcl' ? ' = ' : ': '}${flowValue(style, v)}`);
  return `{ ${entries.join(', ')} }`;
}

/** The key padded so that its `=` lines up with the next entry's, as `terraform fmt` aligns them. */
function alignKey(text: string, next: PolicyEntry, key: string): string {
  const lineStart = lineStartAt(text, next.keySpan.start);
  const equals = text.indexOf('=', next.keySpan.end);
  if (equals === -1 || equals > lineEndAt(text, next.keySpan.start)) return key;
  const width = equals - lineStart - (next.keySpan.start - lineStart);
  return key.length < width - 1 ? key.padEnd(width - 1) : key;
}

function insertYamlBlockEntry(text: string, object: PolicyObject, key: string, value: Written, comment?: string): ProposedEdit | undefined {
  const first = object.entries[0];
  if (!first) return undefined;
  const eol = eolOf(text);
  const step = yamlStep(text, object);
  const lines = yamlEntryLines(key, value, step);
  if (comment && lines.length > 0) lines[lines.length - 1] += ` ${comment}`;
  if (startsLine(text, first.keySpan.start)) {
    const indent = indentationAt(text, first.keySpan.start);
    const at = lineStartAt(text, first.keySpan.start);
    return { span: { start: at, end: at }, newText: lines.map((line) => `${indent}${line}${eol}`).join('') };
  }
  // `- Effect: Allow`: the dash owns the first line; the new key goes after the last entry.
  const column = ' '.repeat(first.keySpan.start - lineStartAt(text, first.keySpan.start));
  const last = object.entries[object.entries.length - 1]!;
  const end = lineEndAt(text, trimmedEnd(text, { start: last.keySpan.start, end: Math.max(last.value.span.end, last.keySpan.end) }));
  return { span: { start: end, end }, newText: lines.map((line) => `${eol}${column}${line}`).join('') };
}

function yamlEntryLines(key: string, value: Written, step: string): string[] {
  if (typeof value === 'string') return [`${yamlString(key)}: ${yamlString(value)}`];
  return [`${yamlString(key)}:`, ...Object.entries(value).flatMap(([k, v]) => yamlEntryLines(k, v, step).map((line) => `${step}${line}`))];
}

/** How far the map's nested maps are indented from their keys (two spaces when it has none). */
function yamlStep(text: string, object: PolicyObject): string {
  for (const entry of object.entries) {
    if (entry.value.kind === 'object' && entry.value.entries[0] && startsLine(text, entry.value.entries[0].keySpan.start)) {
      const child = entry.value.entries[0].keySpan.start - lineStartAt(text, entry.value.entries[0].keySpan.start);
      const parent = entry.keySpan.start - lineStartAt(text, entry.keySpan.start);
      if (child > parent) return ' '.repeat(child - parent);
    }
  }
  return '  ';
}

/** The end of a span with trailing whitespace left out. */
function trimmedEnd(text: string, span: Span): number {
  let end = span.end;
  while (end > span.start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** Replaces an entry's value with a string, in the form's syntax. */
export function replaceValue(form: DataForm, entry: PolicyEntry, value: string, text: string): ProposedEdit {
  const style = form === 'yaml' ? (text[entry.value.span.start] === '[' || text[entry.value.span.start] === '"' ? 'json' : 'yaml') : form === 'jsonencode' ? 'hcl' : 'json';
  const written = style === 'yaml' ? yamlString(value) : style === 'hcl' ? hclString(value) : JSON.stringify(value);
  return { span: entry.value.span, newText: written };
}

/** Renames an entry's key, keeping its quotes. */
export function renameKey(text: string, entry: PolicyEntry, key: string): ProposedEdit {
  const written = text.slice(entry.keySpan.start, entry.keySpan.end);
  const quote = /^["']/.test(written) ? written[0]! : '';
  return { span: entry.keySpan, newText: `${quote}${key}${quote}` };
}

/**
 * Deletes an entry of an object that keeps at least one other: its lines when it has them to
 * itself, else the entry with the comma that separates it from a neighbour.
 */
export function deleteEntry(text: string, form: DataForm, object: PolicyObject, entry: PolicyEntry): ProposedEdit | undefined {
  const index = object.entries.indexOf(entry);
  if (index === -1 || object.entries.length < 2) return undefined;
  const end = trimmedEnd(text, { start: entry.keySpan.start, end: Math.max(entry.value.span.end, entry.keySpan.end) });
  const flow = text[object.span.start] === '{';
  if (form === 'yaml' && !flow) {
    if (!startsLine(text, entry.keySpan.start)) return undefined;
    return { span: wholeLines(text, { start: entry.keySpan.start, end }), newText: '' };
  }
  const after = /^\s*,/.exec(text.slice(end));
  const restOfLine = (from: number): string => text.slice(from, lineEndAt(text, from)).trim();
  if (after) {
    const commaEnd = end + after[0].length;
    if (startsLine(text, entry.keySpan.start) && restOfLine(commaEnd) === '') return { span: wholeLines(text, { start: entry.keySpan.start, end: commaEnd }), newText: '' };
    const spaces = /^[ \t]*/.exec(text.slice(commaEnd))![0].length;
    return { span: { start: entry.keySpan.start, end: commaEnd + spaces }, newText: '' };
  }
  // The last entry, or (HCL) one separated by a newline alone.
  if (form === 'jsonencode' && startsLine(text, entry.keySpan.start) && restOfLine(end) === '') return { span: wholeLines(text, { start: entry.keySpan.start, end }), newText: '' };
  const before = /,\s*$/.exec(text.slice(0, entry.keySpan.start));
  if (!before) return undefined;
  return { span: { start: entry.keySpan.start - before[0].length, end }, newText: '' };
}

// ---------------------------------------------------------------------------------------------
// aws_iam_policy_document

/** Whether a block is written in HCL (not `.tf.json`, where HCL lines would not parse). */
export function isHclBlock(text: string, block: TfBlock): boolean {
  return /[A-Za-z_]/.test(text[block.span.start] ?? '');
}

export function addConditionBlock(text: string, statement: TfBlock, test: string, variable: string, values: readonly string[]): ProposedEdit[] | undefined {
  if (!isHclBlock(text, statement)) return undefined;
  const edit = appendToBlock(text, statement, [
    'condition {',
    `  test     = ${hclString(test)}`,
    `  variable = ${hclString(variable)}`,
    `  values   = [${values.map(hclString).join(', ')}]`,
    '}',
  ]);
  return edit && [edit];
}
