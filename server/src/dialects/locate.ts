import { lineBreakWithin } from '../syntax/text';
import type { Span } from '../core/text';
import type { Pair, ScalarNode } from '../syntax/tree';

/** A pair's span on its first line: `KEY: value` for a one-line entry, `key:` for a block. */
export function pairAnchor(pair: Pair, text: string): Span {
  const end = lineBreakWithin(text, pair.keySpan.start, pair.span.end);
  return { start: pair.keySpan.start, end: trimEnd(text, Math.max(end, pair.keySpan.end)) };
}

/**
 * The span of `needle` inside a scalar's source (a command in a `run: |` block, say), found in the
 * scalar's own source text so that indentation and folding cannot shift it; the scalar's first
 * line when the needle is written differently in source than in value (escapes, folding).
 */
export function locateInScalar(text: string, node: ScalarNode, needle: string | RegExp): Span {
  const source = text.slice(node.span.start, node.span.end);
  if (typeof needle === 'string') {
    const at = source.indexOf(needle);
    if (at !== -1) return { start: node.span.start + at, end: node.span.start + at + needle.length };
  } else {
    const match = new RegExp(needle.source, needle.flags.replace('g', '')).exec(source);
    if (match) return { start: node.span.start + match.index, end: node.span.start + match.index + match[0].length };
  }
  return { start: node.span.start, end: trimEnd(text, lineBreakWithin(text, node.span.start, node.span.end)) };
}

/** The first word sequence of a command, as a pattern tolerant of line continuations in between. */
export function commandPattern(words: readonly string[]): RegExp {
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(escaped.join('(?:\\s|\\\\\\r?\\n|`\\r?\\n)+'));
}

function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && (text[e - 1] === '\r' || text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
  return e;
}
