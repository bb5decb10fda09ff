import { parseYaml } from '../../syntax/yaml';
import { deref, isMap, isScalar, isSeq, type DataNode, type MapNode, type Pair, type ScalarNode, type SeqNode } from '../../syntax/tree';
import type { ProposedEdit } from '../fixer';
import { eolOf, indentationAt, lineEndAt, lineStartAt, nextLineStart, startsLine, wholeLines } from '../text';
import { deletePair, insertAfterPair } from '../yaml-edit';

/**
 * Line edits of a GitLab pipeline for the OIDC rewrites, on top of `yaml-edit`: whole keys, entries
 * and sequence items added or replaced at the indentation their neighbours use, in the file's line
 * breaks. Every helper returns undefined where the source's shape (flow style, an alias, a tag, a
 * scalar spread over lines) would need a reformat, and the rewrite then declines.
 */

/**
 * Edits of one file collected from several places of a rewrite. Insertions at one offset are
 * joined in the order they were added (two separate edits at one position would be applied in an
 * order editors do not agree on); an insertion where a replacement starts goes before it; any
 * other overlap makes the whole set unusable.
 */
export class EditSet {
  private readonly edits: ProposedEdit[] = [];
  private broken = false;

  add(edit: ProposedEdit | undefined): boolean {
    if (!edit) {
      this.broken = true;
      return false;
    }
    for (let i = 0; i < this.edits.length; i++) {
      const other = this.edits[i]!;
      if (other.span.start === edit.span.start && (other.span.start === other.span.end || edit.span.start === edit.span.end)) {
        const insertion = other.span.start === other.span.end ? other : edit;
        const rest = insertion === other ? edit : other;
        this.edits[i] = { span: rest.span, newText: insertion.newText + rest.newText };
        return true;
      }
      if (edit.span.start < other.span.end && other.span.start < edit.span.end) {
        this.broken = true;
        return false;
      }
    }
    this.edits.push(edit);
    return true;
  }

  result(): ProposedEdit[] | undefined {
    return this.broken ? undefined : [...this.edits].sort((a, b) => a.span.start - b.span.start);
  }
}

/**
 * A string as a YAML scalar: plain where it reads back as the same string both as a mapping value
 * and as a sequence item, else double-quoted (YAML's double-quoted style accepts JSON's escapes).
 */
export function yamlScalar(value: string): string {
  if (value !== '' && value.trim() === value && !/[\r\n\t]/.test(value) && readsBack(`k: ${value}`, value) && readsBack(`- ${value}`, value)) return value;
  return JSON.stringify(value);
}

function readsBack(source: string, value: string): boolean {
  const parsed = parseYaml(`${source}\n`);
  if (parsed.errors.length > 0 || parsed.documents.length !== 1) return false;
  const root = deref(parsed.documents[0]!.root);
  const node = isMap(root) ? root.pairs[0]?.value : isSeq(root) ? root.items[0] : undefined;
  return isScalar(node ?? null) && !node!.tag && (node as ScalarNode).value === value && (node as ScalarNode).style === 'plain';
}

/** The column of a node's first character. */
function column(text: string, offset: number): number {
  return offset - lineStartAt(text, offset);
}

/**
 * The file's indentation step: how far a job's keys sit right of the job's name (2 when the file
 * gives no hint).
 */
export function indentStep(text: string, jobs: readonly { nameSpan: { start: number }; node: MapNode }[]): string {
  for (const job of jobs) {
    const first = job.node.pairs[0];
    if (!first || !startsLine(text, first.keySpan.start)) continue;
    const step = column(text, first.keySpan.start) - column(text, job.nameSpan.start);
    if (step > 0 && step <= 8) return ' '.repeat(step);
  }
  return '  ';
}

/** Whether the file writes a key's sequence items at the key's own column (`script:\n- x`). */
export function zeroIndentedSequences(text: string, maps: readonly MapNode[]): boolean {
  for (const map of maps) {
    for (const pair of map.pairs) {
      const value = pair.value;
      if (value?.kind !== 'seq' || value.items.length === 0 || !startsLine(text, pair.keySpan.start)) continue;
      const dash = dashOf(text, value.items[0]!);
      if (dash !== undefined) return column(text, dash) === column(text, pair.keySpan.start);
    }
  }
  return false;
}

/** The `-` that starts a block sequence item, when it starts its line. */
function dashOf(text: string, item: DataNode): number | undefined {
  const lineStart = lineStartAt(text, item.span.start);
  const dash = text.indexOf('-', lineStart);
  if (dash === -1 || dash >= item.span.start || text.slice(lineStart, dash).trim() !== '') return undefined;
  return dash;
}

/** Replaces a block-style pair (with its value's lines) by lines at its indentation. */
export function replacePairWithLines(text: string, pair: Pair, lines: readonly string[]): ProposedEdit | undefined {
  const removal = deletePair(text, pair);
  if (!removal) return undefined;
  if (lines.length === 0) return removal;
  const eol = eolOf(text);
  const indent = indentationAt(text, pair.keySpan.start);
  const rendered = lines.map((line) => `${indent}${line}`);
  // On the last line of a file without a final newline, the removal starts at the line break before.
  const atLineStart = removal.span.start === lineStartAt(text, pair.keySpan.start);
  return { span: removal.span, newText: atLineStart ? rendered.map((l) => `${l}${eol}`).join('') : rendered.map((l) => `${eol}${l}`).join('') };
}

/**
 * Adds entries to a block mapping, after its last pair: as whole lines starting on the line after
 * the pair's value, so that an edit replacing the pair's own lines does not overlap it.
 */
export function appendToMap(text: string, map: MapNode, lines: readonly string[]): ProposedEdit | undefined {
  const last = map.pairs[map.pairs.length - 1];
  if (!last || map.tag || text[map.span.start] === '{' || !startsLine(text, last.keySpan.start)) return undefined;
  let end = Math.max(last.span.end, last.keySpan.end);
  while (end > last.keySpan.end && /\s/.test(text[end - 1]!)) end--;
  const after = text.slice(end, lineEndAt(text, end)).trim();
  if (after !== '' && !after.startsWith('#')) return undefined;
  const at = nextLineStart(text, end);
  if (at === text.length && !text.endsWith('\n')) return insertAfterPair(text, last, lines);
  const indent = indentationAt(text, last.keySpan.start);
  const eol = eolOf(text);
  return { span: { start: at, end: at }, newText: lines.map((line) => `${indent}${line}${eol}`).join('') };
}

/**
 * Adds a new key (its lines, the first being `key:`) to a job's block mapping: before the first of
 * `before`'s keys the map has, else after its last pair.
 */
export function addKey(text: string, map: MapNode, lines: readonly string[], before: readonly string[]): ProposedEdit | undefined {
  if (map.pairs.length === 0 || map.tag || text[map.span.start] === '{') return undefined;
  const anchor = map.pairs.find((p) => before.includes(p.key) && startsLine(text, p.keySpan.start));
  if (anchor) {
    const at = lineStartAt(text, anchor.keySpan.start);
    const indent = indentationAt(text, anchor.keySpan.start);
    const eol = eolOf(text);
    return { span: { start: at, end: at }, newText: lines.map((line) => `${indent}${line}${eol}`).join('') };
  }
  return appendToMap(text, map, lines);
}

/** A block sequence whose items can be added to line by line: not flow, not an alias, not tagged. */
export function blockSequence(text: string, node: DataNode | null): SeqNode | undefined {
  if (node?.kind !== 'seq' || node.tag || node.items.length === 0) return undefined;
  return dashOf(text, node.items[0]!) === undefined ? undefined : node;
}

/** Inserts items before a block sequence's first item. */
export function prependItems(text: string, seq: SeqNode, items: readonly string[]): ProposedEdit | undefined {
  const first = seq.items[0];
  const dash = first && dashOf(text, first);
  if (dash === undefined) return undefined;
  const lineStart = lineStartAt(text, dash);
  const indent = text.slice(lineStart, dash);
  const eol = eolOf(text);
  return { span: { start: lineStart, end: lineStart }, newText: items.map((item) => `${indent}- ${yamlScalar(item)}${eol}`).join('') };
}

/**
 * The span of a one-line sequence item `- <scalar>` (plus a trailing comment), from its line start
 * to its line end; undefined for items spread over lines, tagged or anchored, or sharing the line.
 */
function itemLine(text: string, item: ScalarNode): { start: number; end: number; indent: string } | undefined {
  const dash = dashOf(text, item);
  if (dash === undefined || item.tag || item.style === 'block') return undefined;
  if (text.slice(dash + 1, item.span.start).trim() !== '') return undefined;
  const source = text.slice(item.span.start, item.span.end);
  if (/[\r\n]/.test(source)) return undefined;
  const end = lineEndAt(text, item.span.end);
  const after = text.slice(item.span.end, end).trim();
  if (after !== '' && !after.startsWith('#')) return undefined;
  const start = lineStartAt(text, dash);
  return { start, end, indent: text.slice(start, dash) };
}

/** Replaces a one-line sequence item by one or more items. */
export function replaceItem(text: string, item: ScalarNode, items: readonly string[]): ProposedEdit | undefined {
  const line = itemLine(text, item);
  if (!line || items.length === 0) return undefined;
  const eol = eolOf(text);
  return { span: { start: line.start, end: line.end }, newText: items.map((i) => `${line.indent}- ${yamlScalar(i)}`).join(eol) };
}

/** Deletes a one-line sequence item with its line. */
export function deleteItem(text: string, item: ScalarNode): ProposedEdit | undefined {
  const line = itemLine(text, item);
  return line ? { span: wholeLines(text, { start: line.start, end: line.end }), newText: '' } : undefined;
}
