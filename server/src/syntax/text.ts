import type { Position, Range, Span } from '../core/text';

/**
 * Lines and characters from UTF-16 offsets (the types are in `core/text.ts`): derived only at the
 * edges, through a LineIndex, so that the two can never disagree.
 */
export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    let character = clamped - this.lineStarts[low]!;
    // An offset between the \r and the \n of a CRLF (parsers put errors there) is inside the line
    // break, where LSP has no position: it maps to the end of the line.
    if (character > 0 && this.text.charCodeAt(clamped) === 10 && this.text.charCodeAt(clamped - 1) === 13) character--;
    return { line: low, character };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line]!;
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))]!;
  }

  /** Offset just past the last character of the line, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! : this.text.length;
    let end = next;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** The span from `start` to the end of its line: how "the first line of a block" anchors are drawn. */
export function restOfLine(index: LineIndex, start: number): Span {
  const line = index.positionAt(start).line;
  return { start, end: Math.max(start, index.lineEnd(line)) };
}

/**
 * The offset of the first `\n` at or after `start` and before `limit`, else `limit`. Bounded by
 * the node it is asked for: on a 1 MB line holding 20,000 entries, an unbounded search per entry
 * read 10 billion characters.
 */
export function lineBreakWithin(text: string, start: number, limit: number): number {
  const end = Math.min(limit, text.length);
  if (end <= start) return end;
  const at = text.slice(start, end).indexOf('\n');
  return at === -1 ? end : start + at;
}
