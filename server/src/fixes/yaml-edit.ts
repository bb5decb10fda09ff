import type { Span } from '../core/text';
import type { DataNode, MapNode, Pair } from '../syntax/tree';
import type { ProposedEdit } from './fixer';
import { eolOf, indentationAt, lineEndAt, lineStartAt, startsLine, wholeLines } from './text';

/**
 * Edits of block-style YAML that keep everything else byte for byte: whole lines removed or added
 * at the indentation their neighbours use. Each helper returns undefined where the source's shape
 * (flow style, several pairs on one line, a pair that shares its line with a `- `) would need a
 * reformat; fixers then offer nothing rather than something wrong.
 */

/** Deletes a block-style pair with its value's lines (comments inside it go with it). */
export function deletePair(text: string, pair: Pair): ProposedEdit | undefined {
  if (!startsLine(text, pair.keySpan.start)) return undefined;
  const end = lastLineEnd(text, pair);
  const next = text.slice(end).match(/^[^\n]*/)![0];
  // Something after the value on its last line other than a comment (flow style): no line edit.
  if (next.trim() !== '' && !next.trim().startsWith('#')) return undefined;
  return { span: wholeLines(text, { start: pair.keySpan.start, end }), newText: '' };
}

/** Where a pair's value ends, trailing blank lines excluded. */
function lastLineEnd(text: string, pair: Pair): number {
  let end = Math.max(pair.span.end, pair.keySpan.end);
  while (end > pair.keySpan.end && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** Inserts lines right after `pair` (and its value), at `pair`'s indentation. */
export function insertAfterPair(text: string, pair: Pair, lines: readonly string[]): ProposedEdit | undefined {
  if (!startsLine(text, pair.keySpan.start)) return undefined;
  return insertAfter(text, pair, lines, indentationAt(text, pair.keySpan.start));
}

/**
 * Inserts lines into a block mapping, as its first keys. For a mapping that starts a sequence item
 * (`- key: …`) the `- ` owns the first line: the lines follow the first pair, at its key's column.
 */
export function insertIntoMap(text: string, map: MapNode, lines: readonly string[]): ProposedEdit | undefined {
  const first = map.pairs[0];
  if (!first) return undefined;
  if (!startsLine(text, first.keySpan.start)) {
    return insertAfter(text, first, lines, ' '.repeat(first.keySpan.start - lineStartAt(text, first.keySpan.start)));
  }
  const indent = indentationAt(text, first.keySpan.start);
  const at = lineStartAt(text, first.keySpan.start);
  const eol = eolOf(text);
  return { span: { start: at, end: at }, newText: lines.map((line) => `${indent}${line}${eol}`).join('') };
}

function insertAfter(text: string, pair: Pair, lines: readonly string[], indent: string): ProposedEdit {
  const at = lineEndAt(text, lastLineEnd(text, pair));
  const eol = eolOf(text);
  return { span: { start: at, end: at }, newText: lines.map((line) => `${eol}${indent}${line}`).join('') };
}

/** Inserts a new sequence item (its lines, the first starting with `- `) before `item`. */
export function insertItemBefore(text: string, item: DataNode, itemLines: readonly string[]): ProposedEdit | undefined {
  const dash = text.lastIndexOf('-', item.span.start);
  const lineStart = lineStartAt(text, item.span.start);
  if (dash < lineStart || text.slice(lineStart, dash).trim() !== '') return undefined;
  const indent = text.slice(lineStart, dash);
  const eol = eolOf(text);
  const body = itemLines.map((line, i) => (i === 0 ? `${indent}${line}` : `${indent}  ${line}`)).join(eol);
  return { span: { start: lineStart, end: lineStart }, newText: `${body}${eol}` };
}

/** Replaces a scalar's text (quotes included) with `newText`. */
export function replaceNode(node: { span: Span }, newText: string): ProposedEdit {
  return { span: node.span, newText };
}

const PLAIN_SAFE = /^[A-Za-z0-9_./@$][A-Za-z0-9_./@${}()\s:,-]*$/;
const NOT_PLAIN = /^(?:true|false|yes|no|on|off|null|~|[-+]?\d[\d_.]*(?:e[-+]?\d+)?|\.inf|\.nan)$/i;

/** A string as a YAML scalar: plain where that reads back as the same string, else single-quoted. */
export function yamlString(value: string): string {
  if (value !== '' && PLAIN_SAFE.test(value) && !NOT_PLAIN.test(value) && !/:\s|\s#|:$/.test(value) && value.trim() === value) return value;
  return `'${value.replace(/'/g, "''")}'`;
}
