import type { Span } from '../../core/text';
import { lineBreakWithin } from '../../syntax/text';
import type { TfExpr, TfObjectEntry } from './model';

/**
 * Terraform's native syntax read from the text alone, for a file that tree-sitter parsed without
 * an error: the items of a body (attributes and blocks, with their spans) and the expressions the
 * readers ask for, exactly as `hcl-reader.ts` reads them from the syntax tree. Every node asked of
 * web-tree-sitter crosses into WebAssembly and allocates; reading the Terraform of a 5,000-file
 * scan through the tree cost about 40% of parsing it, and reading the same from the text a small
 * fraction of that.
 *
 * Only the common forms are read here. Anything else (a parenthesised expression, an identifier
 * outside ASCII, a comment inside a block's header, `$${` escapes, nesting past MAX_TEXT_DEPTH, a
 * function call with a trailing comma…) answers undefined, and the caller reads that body or
 * expression from the tree. A differential test holds the two to the same result on every
 * Terraform file the tests know and on mutants of them.
 *
 * Offsets are UTF-16 code units, as the tree's are; the loops only ever move forward, so the time
 * is linear in the text read (a nested body is read again when it is opened).
 */

/** Brackets, strings and interpolations nested deeper than this are left to the tree. */
const MAX_TEXT_DEPTH = 48;

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;
const QUOTED_LABEL = /"([^"\\\n$%]*)"/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export type TextBodyItem =
  | {
      kind: 'attribute';
      name: string;
      /** The attribute: its name to its expression's last character. */
      span: Span;
      nameSpan: Span;
      /** The expression, without the white space and comments around it. */
      value: Span;
    }
  | {
      kind: 'block';
      type: string;
      labels: string[];
      /** The type to the closing brace. */
      span: Span;
      /** Where the block's first line ends (before a carriage return). */
      headerEnd: number;
      /** Between the braces. */
      body: Span;
    };

const LONE_CR = /\r(?!\n)/;

/**
 * Whether this reader may read the text at all: a carriage return alone breaks a line for the
 * grammar, and for nothing here. Asked once per file, before its first body.
 */
export function textReadable(text: string): boolean {
  return !LONE_CR.test(text);
}

/** Why a reading stopped: the tree reads what the text did not. */
class Unread extends Error {}

/** Thrown every time: one object, whose stack trace was taken once. */
const UNREAD = new Unread('left to the syntax tree');

function unread(): never {
  throw UNREAD;
}

/**
 * The attributes and blocks of a body: the file's top level, or what lies between a block's
 * braces. Undefined when the body holds anything this reader does not know.
 */
export function readBodyFromText(text: string, body: Span): TextBodyItem[] | undefined {
  try {
    return readBody(text, body.start, body.end);
  } catch (error) {
    if (error instanceof Unread) return undefined;
    throw error;
  }
}

/**
 * The expression that spans exactly `span` (no white space or comment around it), as the tree
 * reader converts it; undefined when this reader does not know its form.
 */
export function expressionFromText(text: string, span: Span): TfExpr | undefined {
  try {
    return expression(text, span.start, span.end, 0);
  } catch (error) {
    if (error instanceof Unread) return undefined;
    throw error;
  }
}

function readBody(text: string, start: number, end: number): TextBodyItem[] {
  const items: TextBodyItem[] = [];
  let at = start;
  for (;;) {
    at = skipTrivia(text, at, end);
    if (at >= end) return items;
    const name = match(IDENTIFIER, text, at) ?? unread();
    const nameEnd = at + name.length;
    const next = skipBlanks(text, nameEnd, end);
    const c = text.charCodeAt(next);
    if (c === 61 /* = */ && text.charCodeAt(next + 1) !== 61 && text.charCodeAt(next + 1) !== 62) {
      const valueStart = skipBlanks(text, next + 1, end);
      if (valueStart >= end || text.charCodeAt(valueStart) === 10) unread();
      const value = scanElement(text, valueStart, end, STOP_AT_NEWLINE | ONE_EXPRESSION);
      if (value.lastEnd <= valueStart || (value.stop < end && text.charCodeAt(value.stop) !== 10)) unread();
      items.push({ kind: 'attribute', name, span: { start: at, end: value.lastEnd }, nameSpan: { start: at, end: nameEnd }, value: { start: valueStart, end: value.lastEnd } });
      at = value.stop;
      continue;
    }
    // A block: labels on the same line (plain identifiers, quoted labels without escapes), then `{`.
    const labels: string[] = [];
    let k = nameEnd;
    for (;;) {
      k = skipSpaces(text, k, end);
      const d = text.charCodeAt(k);
      if (d === 123 /* { */) break;
      const label = d === 34 ? QUOTED_LABEL : IDENTIFIER;
      label.lastIndex = k;
      const found = label.exec(text);
      if (!found || k + found[0].length > end) unread();
      labels.push(found[1] ?? found[0]);
      k += found[0].length;
    }
    const open = k;
    const inside = scanElement(text, open + 1, end, 0);
    if (inside.stop >= end || text.charCodeAt(inside.stop) !== 125 /* } */) unread();
    const close = inside.stop;
    const newline = text.indexOf('\n', open);
    items.push({ kind: 'block', type: name, labels, span: { start: at, end: close + 1 }, headerEnd: trimCr(text, newline === -1 ? text.length : newline), body: { start: open + 1, end: close } });
    // Nothing but a comment may follow a block on its line.
    const after = skipBlanks(text, close + 1, end);
    if (after < end && text.charCodeAt(after) !== 10 && !startsComment(text, after)) unread();
    at = close + 1;
  }
}

function trimCr(text: string, end: number): number {
  return end > 0 && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

function match(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** Spaces, tabs and carriage returns. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

function skipSpaces(text: string, at: number, end: number): number {
  while (at < end && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
  return at;
}

function startsComment(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c === 35 /* # */ || (c === 47 /* / */ && text.charCodeAt(at + 1) === 47);
}

/** White space on one line, and block comments that stay on it. */
function skipBlanks(text: string, at: number, end: number): number {
  while (at < end) {
    const c = text.charCodeAt(at);
    if (isBlank(c)) at++;
    else if (c === 47 && text.charCodeAt(at + 1) === 42 /* * */) {
      const close = text.indexOf('*/', at + 2);
      if (close === -1 || close + 2 > end || lineBreakWithin(text, at, close) < close) unread();
      at = close + 2;
    } else break;
  }
  return at;
}

/** White space, line breaks and comments of every kind. */
function skipTrivia(text: string, at: number, end: number): number {
  while (at < end) {
    const c = text.charCodeAt(at);
    if (isBlank(c) || c === 10) at++;
    else if (startsComment(text, at)) {
      const newline = text.indexOf('\n', at);
      at = newline === -1 || newline > end ? end : newline;
    } else if (c === 47 && text.charCodeAt(at + 1) === 42) {
      const close = text.indexOf('*/', at + 2);
      if (close === -1 || close + 2 > end) unread();
      at = close + 2;
    } else break;
  }
  return at;
}

/** What scanElement reads as part of a token with no question asked (the rest it looks at). */
const PLAIN = /[^ "<()[\]{},=:#/\u0000-\u001f\u0080-\uffff]*/y;

const STOP_AT_NEWLINE = 1;
const STOP_AT_COMMA = 2;
/** An object key ends at `=` or `:`. */
const STOP_AT_ASSIGN = 4;
/** What is scanned is one expression (an attribute's value, an item, a key, an argument). */
const ONE_EXPRESSION = 8;

interface Scanned {
  /** The end of the last token read: where the element's expression ends. */
  lastEnd: number;
  /** Where the scan stopped: a stop character at depth 0, a closing bracket that closes nothing read here, or `end`. */
  stop: number;
}

/**
 * Reads tokens from `at` up to the first stop at bracket depth 0: a line break, a comma or an
 * assignment, as `stops` asks, or a closing bracket opened before `at`. Strings, heredocs and
 * comments are skipped whole; the brackets in between must balance.
 */
function scanElement(text: string, at: number, end: number, stops: number): Scanned {
  const closers: number[] = [];
  let lastEnd = at;
  // One expression: the grammar ends it where a second operand follows the first with nothing but
  // white space between (`h = a  d = "x"` is two attributes to tree-sitter, on one line), so that
  // is not read here.
  const single = (stops & ONE_EXPRESSION) !== 0;
  let gap = false;
  let operand = false;
  while (at < end) {
    const c = text.charCodeAt(at);
    if (isBlank(c)) {
      at++;
      gap = true;
      continue;
    }
    if (c === 10) {
      if (closers.length === 0 && stops & STOP_AT_NEWLINE) return { lastEnd, stop: at };
      at++;
      gap = true;
      continue;
    }
    if (startsComment(text, at)) {
      const newline = text.indexOf('\n', at);
      at = newline === -1 || newline > end ? end : newline;
      gap = true;
      continue;
    }
    if (c === 47 && text.charCodeAt(at + 1) === 42) {
      const close = text.indexOf('*/', at + 2);
      if (close === -1 || close + 2 > end) unread();
      at = close + 2;
      gap = true;
      continue;
    }
    // Side by side: after white space, or glued (`"a"b`), but for a call (`f(`) and an index (`x[`, `f(x)[`).
    if (single && operand && closers.length === 0 && startsOperand(text, at) && (gap || !(c === 91 || (c === 40 && isNameChar(text.charCodeAt(lastEnd - 1)))))) unread();
    gap = false;
    if (c === 34 /* " */) {
      at = lastEnd = scanQuoted(text, at, end, closers.length).end;
    } else if (c === 60 /* < */ && text.charCodeAt(at + 1) === 60) {
      at = lastEnd = scanHeredoc(text, at, end).end;
    } else if (c === 40 || c === 91 || c === 123 /* ( [ { */) {
      if (closers.length >= MAX_TEXT_DEPTH) unread();
      closers.push(c === 40 ? 41 : c === 91 ? 93 : 125);
      at = lastEnd = at + 1;
    } else if (c === 41 || c === 93 || c === 125 /* ) ] } */) {
      if (closers.length === 0) return { lastEnd, stop: at };
      if (closers.pop() !== c) unread();
      at = lastEnd = at + 1;
    } else if (closers.length === 0 && ((c === 44 /* , */ && stops & STOP_AT_COMMA) || ((c === 61 || c === 58) /* = : */ && stops & STOP_AT_ASSIGN))) {
      return { lastEnd, stop: at };
    } else if (c >= 128 || c < 32) {
      // White space outside ASCII or control characters, or an identifier outside ASCII: whether
      // the grammar's lexer reads them as this one does is not worth guessing.
      unread();
    } else {
      // A run of ordinary characters (names, numbers, operators) at once; a lone `/`, `<`, `,`,
      // `=` or `:` that stops nothing is one character.
      PLAIN.lastIndex = at + 1;
      PLAIN.test(text);
      at = lastEnd = Math.min(end, PLAIN.lastIndex);
    }
    operand = endsOperand(text.charCodeAt(lastEnd - 1));
  }
  if (closers.length > 0) unread();
  return { lastEnd, stop: end };
}

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** A name, a number, a closing quote or bracket: what an operand ends with. */
function endsOperand(c: number): boolean {
  return isNameChar(c) || c === 34 || c === 41 || c === 93 || c === 125;
}

/** A name, a number, a string, a heredoc or an opening bracket: what an operand starts with. */
function startsOperand(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 34 || c === 40 || c === 91 || c === 123 || (c === 60 && text.charCodeAt(at + 1) === 60);
}

interface QuotedString {
  /** Just past the closing quote. */
  end: number;
  /** It holds an interpolation (`${…}`) or a directive (`%{…}`). */
  template: boolean;
}

/** Characters of a quoted string that need no look: all but the quote, escapes, `$`, `%` and line breaks. */
const STRING_TEXT = /[^"\\\n$%]*/y;

/** A quoted string from its opening quote; interpolations may hold strings of their own. */
function scanQuoted(text: string, at: number, end: number, depth: number): QuotedString {
  if (depth >= MAX_TEXT_DEPTH) unread();
  let template = false;
  for (let i = at + 1; i < end; ) {
    STRING_TEXT.lastIndex = i;
    STRING_TEXT.test(text);
    i = STRING_TEXT.lastIndex;
    if (i >= end) break;
    const c = text.charCodeAt(i);
    if (c === 34) return { end: i + 1, template };
    if (c === 10) unread();
    if (c === 92 /* \ */) {
      if (text.charCodeAt(i + 1) === 10) unread();
      i += 2;
    } else if (c === 36 /* $ */ || c === 37 /* % */) {
      const next = text.charCodeAt(i + 1);
      // `$${` and `%%{` are escapes; how the grammar reads runs of them is left to the tree.
      if (next === c) unread();
      if (next === 123) {
        template = true;
        i = scanInterpolation(text, i + 2, end, depth + 1);
      } else i++;
    } else i++;
  }
  return unread();
}

/** The inside of `${…}` or `%{…}`, from just after the brace: returns the index past its `}`. */
function scanInterpolation(text: string, at: number, end: number, depth: number): number {
  let braces = 0;
  for (let i = at; i < end; ) {
    const c = text.charCodeAt(i);
    if (c === 125) {
      if (braces === 0) return i + 1;
      braces--;
      i++;
    } else if (c === 123) {
      if (++braces > MAX_TEXT_DEPTH) unread();
      i++;
    } else if (c === 34) {
      i = scanQuoted(text, i, end, depth + 1).end;
    } else if (c === 10 || c === 35 || c >= 128 || (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) || (c === 60 && text.charCodeAt(i + 1) === 60)) {
      // Line breaks, comments and heredocs inside an interpolation: the tree's business.
      unread();
    } else i++;
  }
  return unread();
}

interface Heredoc {
  /** Just past the closing marker. */
  end: number;
  /** Where the text starts: the line after the opening marker. */
  valueStart: number;
  /** Where the closing marker starts. */
  valueEnd: number;
  template: boolean;
}

const HEREDOC_MARKER = /<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/y;

/** `<<EOF` or `<<-EOF` to the line that holds the marker alone (after indentation). */
function scanHeredoc(text: string, at: number, end: number): Heredoc {
  HEREDOC_MARKER.lastIndex = at;
  const opening = HEREDOC_MARKER.exec(text);
  if (!opening || at + opening[0].length > end) unread();
  const marker = opening[1]!;
  const valueStart = at + opening[0].length;
  let template = false;
  // The next `$` and `%` at or after the line being read: each searched for once, so that the
  // text is read once whatever its lines hold.
  let dollar = -2;
  let percent = -2;
  for (let line = valueStart; line < end; ) {
    const newline = text.indexOf('\n', line);
    const lineEnd = newline === -1 || newline > end ? end : newline;
    const markerAt = skipSpaces(text, line, lineEnd);
    if (text.startsWith(marker, markerAt) && trimCr(text, lineEnd) === markerAt + marker.length) {
      // With nothing but white space inside, the tree holds no text node between the two markers,
      // and the tree reader takes the closing one for the opening: left to it.
      if (/^\s*$/.test(text.slice(valueStart, markerAt))) unread();
      return { end: markerAt + marker.length, valueStart, valueEnd: markerAt, template };
    }
    // The line is text: what it says about interpolations, and whether it stays simple.
    if (dollar !== -1 && dollar < line) dollar = text.indexOf('$', line);
    for (; dollar !== -1 && dollar < lineEnd; dollar = text.indexOf('$', dollar + 1)) template = heredocMark(text, dollar) || template;
    if (percent !== -1 && percent < line) percent = text.indexOf('%', line);
    for (; percent !== -1 && percent < lineEnd; percent = text.indexOf('%', percent + 1)) template = heredocMark(text, percent) || template;
    if (newline === -1) break;
    line = newline + 1;
  }
  return unread();
}

/** A `$` or `%` in a heredoc's text: true when it opens an interpolation or a directive. */
function heredocMark(text: string, at: number): boolean {
  const next = text.charCodeAt(at + 1);
  if (next === text.charCodeAt(at)) unread();
  return next === 123;
}

// ---------------------------------------------------------------------------------------------
// Expressions: the same results as hcl-reader.ts's hclExpression.

function expression(text: string, start: number, end: number, depth: number): TfExpr {
  if (depth > MAX_TEXT_DEPTH || start >= end) unread();
  const span = { start, end };
  const c = text.charCodeAt(start);
  if (c === 34) {
    const quoted = scanQuoted(text, start, end, 0);
    if (quoted.end !== end) return other(text, span);
    const value = text.slice(start + 1, end - 1);
    return { kind: 'string', value, span, template: quoted.template, heredoc: false, ...(value.includes('\\') ? {} : { valueStart: start + 1 }) };
  }
  if (c === 60 && text.charCodeAt(start + 1) === 60) {
    const heredoc = scanHeredoc(text, start, end);
    if (heredoc.end !== end) return other(text, span);
    return { kind: 'string', value: text.slice(heredoc.valueStart, heredoc.valueEnd), span, template: heredoc.template, heredoc: true, valueStart: heredoc.valueStart };
  }
  if (c >= 48 && c <= 57) {
    const number = match(NUMBER, text, start)!;
    if (start + number.length === end) return { kind: 'number', text: number, span };
    return postfixed(text, start + number.length, end) ? unread() : other(text, span);
  }
  if (c === 91 /* [ */) return collection(text, span, depth, 93);
  if (c === 123 /* { */) return collection(text, span, depth, 125);
  // A unary operation: `-1`, `!var.enabled`.
  if (c === 45 || c === 33) return other(text, span);
  const word = match(IDENTIFIER, text, start);
  if (word === undefined) return unread();
  const wordEnd = start + word.length;
  if (word === 'true' || word === 'false' || word === 'null') {
    if (wordEnd === end) return word === 'null' ? { kind: 'null', text: 'null', span } : { kind: 'bool', text: word, span };
    return postfixed(text, wordEnd, end) ? unread() : other(text, span);
  }
  const after = text.charCodeAt(wordEnd);
  if (after === 40 /* ( */) return call(text, span, word, depth);
  // `provider::aws::arn_parse(…)`, and whatever else a colon glued to a name may be.
  if (after === 58) return unread();
  // A traversal: `var.name`, `aws_iam_role.ci.arn`, `local.list[0].id`, `module.m[*].out`, `a.0`.
  let at = wordEnd;
  for (;;) {
    const d = text.charCodeAt(at);
    if (at < end && d === 46 /* . */) {
      const e = text.charCodeAt(at + 1);
      if (e === 42 /* * */) at += 2;
      else {
        const step = match(IDENTIFIER, text, at + 1) ?? match(/[0-9]+/y, text, at + 1);
        if (step === undefined) return unread();
        at += 1 + step.length;
      }
    } else if (at < end && d === 91) {
      const index = scanElement(text, at + 1, end, ONE_EXPRESSION);
      if (index.stop >= end || text.charCodeAt(index.stop) !== 93) unread();
      at = index.stop + 1;
    } else break;
  }
  if (at > end) unread();
  if (at === end) return { kind: 'reference', text: text.slice(start, end), span };
  // Something follows the traversal: an operator or a condition makes it an `other`, but a space
  // before `.`, `[` or `(` would still be the traversal (or a call), which the tree says better.
  return postfixed(text, at, end) ? unread() : other(text, span);
}

/** After `at` (past white space), the expression goes on with `.`, `[` or `(`. */
function postfixed(text: string, at: number, end: number): boolean {
  let i = at;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isBlank(c) || c === 10) i++;
    else if (c === 47 && text.charCodeAt(i + 1) === 42) return true;
    else return c === 46 || c === 91 || c === 40;
  }
  return false;
}

function other(text: string, span: Span): TfExpr {
  return { kind: 'other', text: text.slice(span.start, span.end), span };
}

/** `for` and a space: a `for` expression, not an item whose name starts with "for". */
function isForIntro(text: string, at: number): boolean {
  const c = text.charCodeAt(at + 3);
  return text.startsWith('for', at) && (isBlank(c) || c === 10);
}

/** A tuple (`[…]`, closer 93) or an object (`{…}`, closer 125), or a `for` expression in either. */
function collection(text: string, span: Span, depth: number, closer: 93 | 125): TfExpr {
  const { start, end } = span;
  const first = skipTrivia(text, start + 1, end);
  if (isForIntro(text, first)) return other(text, span);
  const items: TfExpr[] = [];
  const entries: TfObjectEntry[] = [];
  let at = first;
  let close = -1;
  while (at < end) {
    at = skipTrivia(text, at, end);
    if (text.charCodeAt(at) === closer) {
      close = at;
      break;
    }
    if (closer === 93) {
      const item = scanElement(text, at, end, STOP_AT_COMMA | ONE_EXPRESSION);
      if (item.lastEnd <= at || item.stop >= end) unread();
      items.push(expression(text, at, item.lastEnd, depth + 1));
      at = item.stop;
      if (text.charCodeAt(at) === 44) at++;
      else if (text.charCodeAt(at) !== 93) unread();
    } else {
      const key = scanElement(text, at, end, STOP_AT_ASSIGN | STOP_AT_NEWLINE | STOP_AT_COMMA | ONE_EXPRESSION);
      const assign = text.charCodeAt(key.stop);
      if (key.lastEnd <= at || key.stop >= end || !(assign === 61 || assign === 58) || text.charCodeAt(key.stop + 1) === 61 || text.charCodeAt(key.stop + 1) === 62) unread();
      if (text.charCodeAt(at) === 40) unread();
      const keyExpr = expression(text, at, key.lastEnd, depth + 1);
      const valueStart = skipBlanks(text, key.stop + 1, end);
      const value = scanElement(text, valueStart, end, STOP_AT_NEWLINE | STOP_AT_COMMA | ONE_EXPRESSION);
      if (value.lastEnd <= valueStart || value.stop >= end) unread();
      entries.push({
        key: keyExpr.kind === 'string' ? keyExpr.value : keyExpr.kind === 'reference' || keyExpr.kind === 'other' ? keyExpr.text : '',
        keySpan: { start: at, end: key.lastEnd },
        value: expression(text, valueStart, value.lastEnd, depth + 1),
      });
      at = value.stop;
      const sep = text.charCodeAt(at);
      if (sep === 44 || sep === 10) at++;
      else if (sep !== 125) unread();
    }
  }
  if (close === -1) unread();
  // `[…][0]`, `{…}.key`, `[…] == x`: the collection is part of something larger.
  if (close + 1 !== end) return other(text, span);
  return closer === 93 ? { kind: 'tuple', items, span } : { kind: 'object', entries, span };
}

/** `name(arg, …)`, the last argument perhaps expanded with `...`. */
function call(text: string, span: Span, name: string, depth: number): TfExpr {
  const { start, end } = span;
  const args: TfExpr[] = [];
  let at = skipTrivia(text, start + name.length + 1, end);
  let close = -1;
  if (text.charCodeAt(at) === 41) close = at;
  while (close === -1 && at < end) {
    const arg = scanElement(text, at, end, STOP_AT_COMMA | ONE_EXPRESSION);
    if (arg.lastEnd <= at || arg.stop >= end) unread();
    let argEnd = arg.lastEnd;
    const stop = text.charCodeAt(arg.stop);
    if (text.startsWith('...', argEnd - 3) && argEnd - 3 > at) {
      // Expansion: only on the last argument, and the expression ends before it.
      if (stop !== 41) unread();
      argEnd -= 3;
      while (argEnd > at && isBlank(text.charCodeAt(argEnd - 1))) argEnd--;
    }
    args.push(expression(text, at, argEnd, depth + 1));
    if (stop === 41) close = arg.stop;
    else if (stop !== 44) unread();
    else {
      at = skipTrivia(text, arg.stop + 1, end);
      // A trailing comma: whether the grammar takes it is left to the tree.
      if (text.charCodeAt(at) === 41) unread();
    }
  }
  if (close === -1) unread();
  if (close + 1 !== end) return other(text, span);
  return { kind: 'call', name, args, span };
}
