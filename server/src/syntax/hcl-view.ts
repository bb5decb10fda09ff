import type { ParseError } from './parse-error';
import type { Span } from '../core/text';
import { MAX_FLOW_COLLECTION_CHARS } from './yaml-lenient';

/**
 * What tree-sitter is given to parse instead of an HCL file's own text: the same length, every
 * offset in place, with the spans that make the Terraform grammar slow rewritten as comments,
 * which its lexer reads at about 50 ns a character.
 *
 * - **Runs of white space** (MIN_WHITE_SPACE_RUN or more) outside strings. The grammar's external
 *   scanner skips all the white space ahead, finds no token of its own and gives up; tree-sitter
 *   then skips one character and calls it again, so a run costs the square of its length: 20,000
 *   spaces inside brackets took 4.7 s, 100,000 never finished. The run becomes ` /* … *\/ ` (a
 *   line break first when the run holds one, since a line break ends an attribute): the same
 *   tree, in linear time.
 * - **Collections over MAX_COLLECTION_CHARS** (`[…]`, `{…}` in an expression, `(…)`), then the
 *   largest while the file's collections hold more than MAX_COLLECTION_TOTAL_CHARS: the grammar
 *   reads a dense list at about 0.5 µs a character, and twice that where it recovers from an error
 *   (a broken 1 MB list: 0.95 s). Their inside becomes one comment, as YAML's huge flow collections
 *   become one scalar (yaml-lenient.ts). No policy or credential setting is that large (an IAM
 *   policy is at most 10,240 characters).
 * - **String literals and heredocs** over MAX_LITERAL_CHARS, then the largest while the file's
 *   literals hold more than MAX_LITERAL_TOTAL_CHARS: the scanner reads template text at about
 *   1 µs a character (a 1 MB string: 0.9 s; a 1 MB heredoc: 1.7 s). The literal becomes `""`
 *   followed by a comment.
 *
 * Rewritten collections and literals are `opaque`: the secret scan still reads their text (the
 * locator treats it as text, not as the comment it is in the tree), and each is reported as not
 * analyzed. The scan below is a small lexer of HCL's native syntax (comments, quoted templates with
 * their interpolations, heredocs, brackets, and whether a `{` opens a block body or an object);
 * it only has to find these spans, and when the text breaks its expectations (a string that never
 * closes, a heredoc with no end) it stops rewriting from there on.
 */

export const MIN_WHITE_SPACE_RUN = 16;
const LONG_WHITE_SPACE_RUN = new RegExp(`[ \\t\\r\\n]{${MIN_WHITE_SPACE_RUN}}`);
export const MAX_COLLECTION_CHARS = MAX_FLOW_COLLECTION_CHARS;
export const MAX_LITERAL_CHARS = 64 * 1024;
export const MAX_LITERAL_TOTAL_CHARS = 128 * 1024;
export const MAX_COLLECTION_TOTAL_CHARS = 256 * 1024;
/**
 * Smaller collections and literals are not collected: they are never rewritten for the totals
 * (each costs little, and they are the values rules read).
 */
const MIN_BUDGET_CHARS = 1024;

/** A rewritten collection's inside, or a rewritten literal (quotes or heredoc markers included). */
export interface OpaqueSpan extends Span {
  literal: boolean;
}

export interface HclParseView {
  /** The text tree-sitter parses: `text` itself when nothing needed rewriting. */
  text: string;
  /** Rewritten collections and literals, in order, not overlapping: their text is not in the tree. */
  opaque: OpaqueSpan[];
  /** One note for each kind of opaque span (non-failure errors: the file was still analyzed). */
  notes: ParseError[];
}

type Frame =
  /** The file's top level or a block's body: `{` opens a block body, a line's `=` starts an attribute's value. */
  | { kind: 'body'; start: number }
  /** An attribute's value: ends at a line break outside brackets (or at the body's `}`). */
  | { kind: 'value'; start: number }
  /** `[`, `(`, or `{` inside an expression (an object, or a template interpolation `${`/`%{`). */
  | { kind: 'bracket'; start: number; closer: ']' | ')' | '}'; interpolation: boolean }
  | { kind: 'string'; start: number };

interface Literal {
  span: Span;
  kind: 'string' | 'heredoc';
  /** Never closed: made opaque up to where the scan stopped. */
  unclosed?: true;
}

const CLOSER: Record<string, ']' | ')' | '}'> = { '[': ']', '(': ')', '{': '}' };
const COLLECTION_NAMES: Record<string, string> = { '[': 'a list', '(': 'an expression in parentheses', '{': 'an object' };

export function hclParseView(text: string): HclParseView {
  // The keystroke path: a file too small to hold anything over the limits, with no long run of
  // white space anywhere, is its own view — one native regex test instead of the scan.
  if (text.length <= Math.min(MAX_COLLECTION_CHARS, MAX_LITERAL_CHARS) && !LONG_WHITE_SPACE_RUN.test(text)) return { text, opaque: [], notes: [] };
  const runs: Span[] = [];
  const collections: { span: Span; opener: string; unclosed?: true }[] = [];
  const literals: Literal[] = [];
  const stopped = scan(text, runs, collections, literals);
  unclosed(text, stopped, collections, literals);

  const opaque: { span: OpaqueSpan; replacement: (slice: string) => string }[] = [];
  const notes: ParseError[] = [];
  const noted = new Set<string>();
  const note = (what: string, at: number, message: string) => {
    if (noted.has(what)) return;
    noted.add(what);
    notes.push({ message, span: { start: at, end: at } });
  };

  // Collections first: what lies inside a rewritten one goes with it.
  const outerCollections = outermost(collections);
  const chosenCollections = overBudget(outerCollections, MAX_COLLECTION_CHARS, MAX_COLLECTION_TOTAL_CHARS);
  for (const { span, opener, unclosed } of chosenCollections) {
    // One never closed is closed where its opaque part ends, as an unclosed string is: the grammar's
    // recovery from a collection with nothing but a comment in it swallows the blocks after it.
    const replacement = unclosed ? (slice: string) => `${asComment(slice.slice(0, -1))}${CLOSER[opener]}` : asComment;
    opaque.push({ span: { start: span.start + 1, end: span.end - 1, literal: false }, replacement });
    const what = COLLECTION_NAMES[opener]!;
    if (unclosed) note(`${what} unclosed`, span.start, `${what} that is never closed (${Math.round(length(span) / 1024)} KB) is not analyzed (the secret scan still reads it)`);
    else note(what, span.start, `${what} of ${Math.round(length(span) / 1024)} KB is not analyzed (over ${MAX_COLLECTION_CHARS / 1024} KB, or over ${MAX_COLLECTION_TOTAL_CHARS / 1024} KB in all, are not; the secret scan still reads it)`);
  }
  const inChosen = (span: Span) => chosenCollections.some((c) => span.start >= c.span.start && span.end <= c.span.end);
  // A string inside another's interpolation goes with the outer one.
  for (const literal of overBudget(outermost(literals.filter((l) => !inChosen(l.span))), MAX_LITERAL_CHARS, MAX_LITERAL_TOTAL_CHARS)) {
    opaque.push({ span: { ...literal.span, literal: true }, replacement: asEmptyStringAndComment });
    const what = literal.kind === 'heredoc' ? 'a heredoc' : 'a string';
    if (literal.unclosed) note(`${what} unclosed`, literal.span.start, `${what} that is never closed (${Math.round(length(literal.span) / 1024)} KB) is not analyzed (the secret scan still reads it)`);
    else note(what, literal.span.start, `${what} of ${Math.round(length(literal.span) / 1024)} KB is not analyzed (over ${MAX_LITERAL_CHARS / 1024} KB, or over ${MAX_LITERAL_TOTAL_CHARS / 1024} KB in all, are not; the secret scan still reads it)`);
  }
  opaque.sort((a, b) => a.span.start - b.span.start);
  const opaqueSpans = opaque.map((o) => o.span);
  // Runs are never partly inside a literal or a collection: one character tells.
  const rewrites = [...opaque, ...runs.filter((r) => !opaqueSpanAt(opaqueSpans, r.start)).map((span) => ({ span, replacement: whiteSpaceAsComment }))].sort((a, b) => a.span.start - b.span.start);
  if (rewrites.length === 0) return { text, opaque: [], notes: [] };

  const parts: string[] = [];
  let copied = 0;
  for (const { span, replacement } of rewrites) {
    // A white-space run inside a rewritten literal (none are collected there) cannot overlap; be safe.
    if (span.start < copied) continue;
    parts.push(text.slice(copied, span.start), replacement(text.slice(span.start, span.end)));
    copied = span.end;
  }
  parts.push(text.slice(copied));
  return { text: parts.join(''), opaque: opaqueSpans, notes };
}

/** Whether `offset` lies in one of `opaque` (sorted, not overlapping). */
export function opaqueSpanAt<T extends Span>(opaque: readonly T[], offset: number): T | undefined {
  let low = 0;
  let high = opaque.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = opaque[mid]!;
    if (offset < span.start) high = mid - 1;
    else if (offset >= span.end) low = mid + 1;
    else return span;
  }
  return undefined;
}

const length = (span: Span) => span.end - span.start;

/** Everything but line breaks, in runs (a replacement a character at a time costs 170 ms a megabyte). */
const BLANKABLE = /[^\r\n]+/g;

/** `/*` + the slice's line breaks (lines stay where they were) + `*\/`. Slices are at least 64 KB. */
function asComment(slice: string): string {
  return `/*${slice.slice(2, -2).replace(BLANKABLE, (m) => ' '.repeat(m.length))}*/`;
}

function asEmptyStringAndComment(slice: string): string {
  return `""/*${slice.slice(4, -2).replace(BLANKABLE, (m) => ' '.repeat(m.length))}*/`;
}

/** A run of MIN_WHITE_SPACE_RUN or more white-space characters: a line break first if it holds one. */
function whiteSpaceAsComment(run: string): string {
  return `${run.includes('\n') ? '\n' : ' '}/*${run.slice(3, -3)}*/ `;
}

function outermost<T extends { span: Span }>(items: readonly T[]): T[] {
  const sorted = [...items].sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  const result: T[] = [];
  for (const item of sorted) {
    const last = result.at(-1);
    if (last && item.span.start >= last.span.start && item.span.end <= last.span.end) continue;
    result.push(item);
  }
  return result;
}

/**
 * The items over `max`, then the largest others while the rest hold more than `total` (items are
 * outermost: none inside another).
 */
function overBudget<T extends { span: Span }>(items: readonly T[], max: number, total: number): T[] {
  const chosen = items.filter((i) => length(i.span) > max);
  let left = items.reduce((sum, i) => sum + (length(i.span) > max ? 0 : length(i.span)), 0);
  if (left <= total) return chosen;
  for (const item of items.filter((i) => length(i.span) <= max).sort((a, b) => length(b.span) - length(a.span))) {
    if (left <= total) break;
    chosen.push(item);
    left -= length(item.span);
  }
  return chosen;
}

/**
 * Where the scan stopped with a collection or a string still open (a truncated file, a missing
 * bracket), one over the limits is made opaque and closed there — its note is then the error that
 * reports the break — since the grammar's error recovery costs twice its parse: a collection up to the next line
 * that ends or starts a top-level block (or the end), a string up to where the scan stopped.
 */
function unclosed(text: string, stopped: { open: Frame[]; at: number }, collections: { span: Span; opener: string; unclosed?: true }[], literals: Literal[]): void {
  const bracket = stopped.open.find((f): f is Extract<Frame, { kind: 'bracket' }> => f.kind === 'bracket' && !f.interpolation);
  if (bracket && stopped.at - bracket.start > MAX_COLLECTION_CHARS) {
    TOP_LEVEL_BLOCK.lastIndex = bracket.start;
    const next = TOP_LEVEL_BLOCK.exec(text);
    // The line break before that line stays outside, for the grammar to recover at as it would.
    let end = next ? next.index : text.length;
    while (end > bracket.start + 1 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    // The span ends one past the last character made opaque, as a closed one ends past its closer.
    if (end - bracket.start > MAX_COLLECTION_CHARS) collections.push({ span: { start: bracket.start, end: end + 1 }, opener: text[bracket.start]!, unclosed: true });
    return;
  }
  const string = stopped.open.at(-1);
  if (string?.kind === 'string' && stopped.at - string.start > MAX_LITERAL_CHARS) literals.push({ span: { start: string.start, end: stopped.at }, kind: 'string', unclosed: true });
}

/** A line that ends a top-level block (`}`) or starts one (`type "label" name {`). */
const TOP_LEVEL_BLOCK = /^(?:\}|[A-Za-z_][\w-]*(?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*[ \t]*\{)/gm;

const isWhiteSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const isIdentifierStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);

/**
 * One pass over the text, collecting white-space runs outside literals, closed collections over
 * MAX_COLLECTION_CHARS, and closed literals with their spans.
 */
function scan(text: string, runs: Span[], collections: { span: Span; opener: string }[], literals: Literal[]): { open: Frame[]; at: number } {
  // The base frame is never popped, so the stack is never empty.
  const stack: Frame[] = [{ kind: 'body', start: 0 }];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const top = stack[stack.length - 1]!;

    if (top.kind === 'string') {
      STRING_SPECIAL.lastIndex = i;
      if (!STRING_SPECIAL.exec(text)) return { open: stack, at: n }; // Never closed: nothing further is rewritten.
      i = STRING_SPECIAL.lastIndex - 1;
      const c = text[i]!;
      if (c === '\\') i += 2;
      else if (c === '\n') return { open: stack, at: i }; // A quoted string cannot span lines: the text is broken here.
      else if (c === '"') {
        stack.pop();
        if (i + 1 - top.start >= MIN_BUDGET_CHARS) literals.push({ span: { start: top.start, end: i + 1 }, kind: 'string' });
        i++;
      } else if (text[i + 1] === c && text[i + 2] === '{') i += 3; // $${ and %%{ are escapes
      else if (text[i + 1] === '{') {
        stack.push({ kind: 'bracket', start: i + 1, closer: '}', interpolation: true });
        i += 2;
      } else i++;
      continue;
    }

    SYNTAX_SPECIAL.lastIndex = i;
    if (!SYNTAX_SPECIAL.exec(text)) return { open: stack, at: n };
    i = SYNTAX_SPECIAL.lastIndex - 1;
    const c = text[i]!;
    if (isWhiteSpace(text.charCodeAt(i))) {
      let j = i;
      let lineBreak = false;
      while (j < n && isWhiteSpace(text.charCodeAt(j))) {
        if (text.charCodeAt(j) === 10) lineBreak = true;
        j++;
      }
      if (j - i >= MIN_WHITE_SPACE_RUN) runs.push({ start: i, end: j });
      if (lineBreak && top.kind === 'value') stack.pop();
      i = j;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      if (end === -1) return { open: stack, at: n };
      i = end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return { open: stack, at: n };
      i = end + 2;
      continue;
    }
    if (c === '"') {
      stack.push({ kind: 'string', start: i });
      i++;
      continue;
    }
    if (c === '<' && text[i + 1] === '<' && top.kind !== 'body') {
      const heredoc = heredocAt(text, i);
      if (heredoc === 'unterminated') return { open: stack, at: i };
      if (heredoc) {
        if (heredoc - i >= MIN_BUDGET_CHARS) literals.push({ span: { start: i, end: heredoc }, kind: 'heredoc' });
        i = heredoc;
        continue;
      }
    }
    if (top.kind === 'body') {
      if (c === '=' && text[i + 1] !== '=') stack.push({ kind: 'value', start: i });
      else if (c === '{') stack.push({ kind: 'body', start: i });
      else if (c === '}' && stack.length > 1) stack.pop();
      i++;
      continue;
    }
    if (c === '[' || c === '(' || c === '{') {
      stack.push({ kind: 'bracket', start: i, closer: CLOSER[c]!, interpolation: false });
      i++;
      continue;
    }
    if (c === ']' || c === ')' || c === '}') {
      if (top.kind === 'value') {
        // `block { x = 1 }`: the body's `}` ends the value too.
        stack.pop();
        continue;
      }
      if (top.kind === 'bracket' && top.closer === c) {
        stack.pop();
        if (!top.interpolation && i + 1 - top.start >= MIN_BUDGET_CHARS) collections.push({ span: { start: top.start, end: i + 1 }, opener: text[top.start]! });
      }
      // A closer that matches nothing open: broken text; tree-sitter will say so.
      i++;
      continue;
    }
    i++;
  }
  return { open: stack, at: n };
}

/** In a quoted string: what ends it, escapes, or starts an interpolation or a directive. */
const STRING_SPECIAL = /["\\$%\n]/g;
/** Outside strings: every character the scan acts on. */
const SYNTAX_SPECIAL = /[ \t\r\n#/"<={}[\]()]/g;

/**
 * At `<<`: the offset just past a heredoc's closing marker; 'unterminated' when the marker never
 * comes; undefined when this is not a heredoc's start (`<<` then an identifier, to the line's end).
 */
function heredocAt(text: string, at: number): number | 'unterminated' | undefined {
  let i = at + 2;
  if (text[i] === '-') i++;
  if (!isIdentifierStart(text[i])) return undefined;
  const idStart = i;
  while (i < text.length && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
  const id = text.slice(idStart, i);
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\r') i++;
  if (text[i] !== '\n') return undefined;
  let lineStart = i + 1;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    if (line.trim() === id) return lineStart + line.indexOf(id) + id.length;
    lineStart = lineEnd + 1;
  }
  return 'unterminated';
}
