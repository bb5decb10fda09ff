import type { Step } from '../../dialects/github-actions/model';
import type { Span } from '../../core/text';
import { deref, getPair, isMap, type DataNode, type MapNode, type Pair } from '../../syntax/tree';
import type { ProposedEdit } from '../fixer';
import { eolOf, indentationAt, lineEndAt, lineStartAt, startsLine } from '../text';
import { deletePair, insertAfterPair, insertIntoMap } from '../yaml-edit';

/**
 * Line edits of workflow steps for the OIDC rewrites, on top of `yaml-edit`: a step's block
 * mapping (`with:`, `env:`) losing entries, gaining some, or a new step before another. Every
 * helper answers undefined where the source is not plain block style (a flow `with: {…}`, an
 * entry merged in from an anchor, two keys on one line): the rewrite is then not offered.
 */

/** A block-style mapping under `key` of `owner` (`with:` of a step), with its pair. */
export function blockMap(text: string, owner: MapNode, key: string): { pair: Pair; map: MapNode } | undefined {
  const pair = owner.pairs.find((p) => p.key === key);
  if (!pair?.value || pair.value.kind !== 'map' || text[pair.value.span.start] === '{') return undefined;
  return { pair, map: pair.value };
}

/** Whether `pair` is written in `map` itself (not merged in through `<<: *anchor`). */
export function ownPair(map: MapNode, pair: Pair): boolean {
  return map.pairs.includes(pair);
}

/** Where a pair's value ends, trailing whitespace excluded. */
function valueEnd(text: string, pair: Pair): number {
  let end = Math.max(pair.span.end, pair.keySpan.end);
  while (end > pair.keySpan.end && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/**
 * Removes pairs of one block mapping. When none of its own pairs is left, the mapping's key goes
 * too (`with:` alone would be null, which GitHub rejects), unless comments stand inside it: those
 * stay, under `key: {}`.
 */
export function removePairs(text: string, owner: Pair, remove: readonly Pair[]): ProposedEdit[] | undefined {
  const map = deref(owner.value);
  if (!isMap(map) || owner.value !== map || text[map.span.start] === '{') return undefined;
  if (remove.some((p) => !ownPair(map, p))) return undefined;
  if (map.pairs.every((p) => remove.includes(p))) {
    // What the block holds besides the pairs removed: comments keep it alive.
    const start = owner.keySpan.end;
    let rest = text.slice(start, valueEnd(text, owner));
    for (const pair of remove) {
      const from = lineStartAt(text, pair.keySpan.start) - start;
      const to = lineEndAt(text, valueEnd(text, pair)) - start;
      rest = rest.slice(0, from) + ' '.repeat(to - from) + rest.slice(to);
    }
    if (rest.replace(/^\s*:/, '').trim() === '') {
      const whole = deletePair(text, owner);
      return whole ? [whole] : undefined;
    }
    const edits = deleteEach(text, remove);
    const colon = text.indexOf(':', owner.keySpan.end);
    return edits && colon !== -1 ? [{ span: { start: colon + 1, end: colon + 1 }, newText: ' {}' }, ...edits] : undefined;
  }
  return deleteEach(text, remove);
}

function deleteEach(text: string, pairs: readonly Pair[]): ProposedEdit[] | undefined {
  const edits: ProposedEdit[] = [];
  for (const pair of pairs) {
    const edit = deletePair(text, pair);
    if (!edit) return undefined;
    edits.push(edit);
  }
  return edits;
}

/**
 * Replaces a block-style pair (key and value, a multi-line value included) by `lines` at its
 * indentation. A comment after the value on its last line goes with it, as it would with the
 * pair deleted: it spoke of what is gone.
 */
export function replacePair(text: string, pair: Pair, lines: readonly string[]): ProposedEdit | undefined {
  if (!startsLine(text, pair.keySpan.start) || lines.length === 0) return undefined;
  const end = lineEndAt(text, valueEnd(text, pair));
  const after = text.slice(valueEnd(text, pair), end).trim();
  if (after !== '' && !after.startsWith('#')) return undefined;
  const indent = indentationAt(text, pair.keySpan.start);
  const eol = eolOf(text);
  return { span: { start: pair.keySpan.start, end }, newText: lines.join(`${eol}${indent}`) };
}

/** Replaces a pair's value (a scalar, written on the key's line) by `newText`. */
export function replaceValue(text: string, pair: Pair, newText: string): ProposedEdit | undefined {
  const value = pair.value;
  if (!value || value.kind !== 'scalar' || text.slice(pair.keySpan.end, value.span.start).includes('\n')) return undefined;
  return { span: value.span, newText };
}

/** Adds lines at the end of a block mapping (after its last pair, at that pair's indentation). */
export function appendToMap(text: string, map: MapNode, lines: readonly string[]): ProposedEdit | undefined {
  const last = map.pairs.at(-1);
  if (!last) return undefined;
  if (startsLine(text, last.keySpan.start)) return insertAfterPair(text, last, lines);
  // A mapping whose only pair shares its line with the sequence's `- `.
  return map.pairs.length === 1 ? insertIntoMap(text, map, lines) : undefined;
}

/**
 * Inserts a new step before `step`, above the comment lines directly over it (they describe
 * `step`). `lines` are the step's mapping lines; the first gets the `- `.
 */
export function insertStepBefore(text: string, step: Step, lines: readonly string[]): ProposedEdit | undefined {
  const dash = text.lastIndexOf('-', step.node.span.start);
  const lineStart = lineStartAt(text, step.node.span.start);
  if (dash < lineStart || text.slice(lineStart, dash).trim() !== '') return undefined;
  const indent = text.slice(lineStart, dash);
  let at = lineStart;
  while (at > 0) {
    const previous = lineStartAt(text, at - 1);
    const line = text.slice(previous, at).replace(/\r?\n$/, '');
    if (!line.startsWith(`${indent}#`)) break;
    at = previous;
  }
  const eol = eolOf(text);
  const body = lines.map((line, i) => (i === 0 ? `${indent}- ${line}` : `${indent}  ${line}`)).join(eol);
  return { span: { start: at, end: at }, newText: `${body}${eol}` };
}

/**
 * Sets `name: value` in a step's `env:`: the value replaced when the name is there, else a line
 * added to the block, else an `env:` block added to the step.
 */
export function setStepEnv(text: string, step: Step, name: string, value: string): ProposedEdit | undefined {
  const envPair = getPair(step.node, 'env');
  if (envPair && !step.node.pairs.includes(envPair)) return undefined;
  if (envPair) {
    const env = blockMap(text, step.node, 'env');
    if (!env) return undefined;
    const existing = env.map.pairs.find((p) => p.key === name);
    if (existing) return replaceValue(text, existing, value);
    return appendToMap(text, env.map, [`${name}: ${value}`]);
  }
  return appendToMap(text, step.node, ['env:', `  ${name}: ${value}`]);
}

/** The pair of `pairs` whose key starts at `start` (a credential's `nameSpan.start`). */
export function pairAt(pairs: readonly Pair[], start: number): Pair | undefined {
  return pairs.find((p) => p.keySpan.start === start);
}

/** The source text of a single-line scalar, as written (quotes included). */
export function sourceOf(text: string, node: DataNode | null): string | undefined {
  if (!node || node.kind !== 'scalar') return undefined;
  const written = text.slice(node.span.start, node.span.end);
  return written.includes('\n') ? undefined : written;
}

/** Whether a span's text mentions the matrix (`${{ matrix.key }}`): one value per matrix entry. */
export function fromMatrix(text: string, span: Span | undefined): boolean {
  return span !== undefined && /\$\{\{(?:(?!\}\})[\s\S])*\bmatrix\./.test(text.slice(span.start, span.end));
}
