import type { Span } from '../core/text';

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

/**
 * The syntax errors a parser reports for one file, at most: a broken line early in a 1 MB list
 * makes every item after it an error (130,000 of them cost more than the parse), and nobody reads
 * past the first few. Past it, one more error says how many were left out.
 */
export const MAX_SYNTAX_ERRORS = 50;

export function moreErrors(dropped: number, at: number): ParseError {
  return { message: `${dropped} more syntax error${dropped === 1 ? '' : 's'} not listed`, span: { start: at, end: at } };
}
