import type { Span } from './text';

/** A syntax error a parser recovered from. Parsers return these; they never throw. */
export interface ParseError {
  message: string;
  span: Span;
  /**
   * The file could not be read into a tree at all (a parser failed or ran out of time), or a
   * reader had to stop: what depends on the tree is missing, and only the secret scan, which reads
   * the text, stands. Set by the parsers' and the engine's failure paths, never for a syntax error.
   */
  failure?: true;
}
