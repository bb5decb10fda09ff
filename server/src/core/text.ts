/**
 * Positions in source text. Everything in the engine addresses text by UTF-16 offsets (what JS
 * strings, `yaml`, `jsonc-parser` and web-tree-sitter all use); lines and characters are derived
 * from offsets only at the edges, through a LineIndex (`syntax/text.ts`), so that they can never
 * disagree.
 */

/** A half-open span of UTF-16 offsets: [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Whether `offset` lies within `span`, its ends included (a cursor just after a value still hovers it). */
export function spanCovers(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}
