import type { Span } from './text';

/** A syntax error a parser recovered from. Parsers return these; they never throw. */
export interface ParseError {
  message: string;
  span: Span;
}
