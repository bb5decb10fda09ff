import type { Span } from '../core/text';

/** Line arithmetic on source text, for fixers that insert or delete whole lines. */

/** The line break the file uses (CRLF if it has any). */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The start of the line holding `offset`. */
export function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The end of the line holding `offset`, before its line break. */
export function lineEndAt(text: string, offset: number): number {
  let end = text.indexOf('\n', offset);
  if (end === -1) end = text.length;
  if (end > 0 && text[end - 1] === '\r') end--;
  return end;
}

/** The offset after the line break of the line holding `offset` (the text's end on the last line). */
export function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** The spaces and tabs that start the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Whether only whitespace stands between the line start and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  return text.slice(lineStartAt(text, offset), offset).trim() === '';
}

/**
 * `span` grown to whole lines, line break included: what to delete so that the lines vanish
 * without leaving a blank one. On the last line of a file without a final newline, the line
 * break before it goes instead.
 */
export function wholeLines(text: string, span: Span): Span {
  const start = lineStartAt(text, span.start);
  const end = nextLineStart(text, Math.max(span.start, span.end - 1));
  if (end === text.length && !text.endsWith('\n') && start > 0) {
    const before = text[start - 2] === '\r' ? start - 2 : start - 1;
    return { start: before, end };
  }
  return { start, end };
}

/** The text with edits applied (non-overlapping; any order). */
export function applyEdits(text: string, edits: readonly { span: Span; newText: string }[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end)) {
    result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
  }
  return result;
}

/** A literal for a regular expression. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
