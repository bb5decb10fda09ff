import type { Span } from '../core/text';

/**
 * A `.env` file read line by line: `KEY=value` entries, what a dotenv loader would set. The
 * grammar is the common ground of the loaders that read these files — motdotla/dotenv (npm),
 * python-dotenv and Docker Compose's `env_file` ("Use an environment file", docs.docker.com):
 *
 * - blank lines and lines starting with `#` are ignored; a line may start with `export `;
 * - a key is letters, digits, `_`, `.` and `-`, followed by `=` (or `:`, which dotenv accepts);
 * - a value is single-, double- or back-quoted (the quotes may span lines; `\` escapes inside
 *   double and back quotes), or unquoted up to the end of the line or a `#` after whitespace,
 *   which starts a comment, and without surrounding whitespace.
 *
 * A scan in one pass with no regular expression over a line: any text, however hostile, is read
 * in linear time. Lines that are not entries are skipped, never errors: loaders skip them too.
 */
export interface DotenvEntry {
  key: string;
  keySpan: Span;
  /** The value's text: inside the quotes when quoted (possibly empty). */
  valueSpan: Span;
  /** From the entry's first character (`export` or the key) to the end of its value, closing quote included. */
  span: Span;
  quote: '"' | "'" | '`' | undefined;
}

export function parseDotenv(text: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const n = text.length;
  // A byte-order mark is not part of the first key (every parser takes one, with exact offsets).
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    i = skipBlanks(text, i);
    const start = i;
    if (text.startsWith('export', i) && (text[i + 6] === ' ' || text[i + 6] === '\t')) i = skipBlanks(text, i + 6);
    const keyStart = i;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    const keyEnd = i;
    i = skipBlanks(text, i);
    if (keyEnd === keyStart || (text[i] !== '=' && text[i] !== ':')) {
      i = nextLine(text, i);
      continue;
    }
    i = skipBlanks(text, i + 1);
    const quote = text[i];
    let valueSpan: Span;
    let end: number;
    if (quote === '"' || quote === "'" || quote === '`') {
      // Linear even with an opening quote on every line: an opener follows `=` or a blank, never a
      // backslash, so the search from the previous opener stops at it.
      const close = closingQuote(text, i + 1, quote);
      if (close === -1) {
        // Unterminated: loaders differ; the rest of the line is the most a value can be.
        const eol = lineEnd(text, i + 1);
        valueSpan = { start: i + 1, end: eol };
        end = eol;
      } else {
        valueSpan = { start: i + 1, end: close };
        end = close + 1;
      }
      entries.push({ key: text.slice(keyStart, keyEnd), keySpan: { start: keyStart, end: keyEnd }, valueSpan, span: { start, end }, quote: close === -1 ? undefined : quote });
      i = nextLine(text, end);
      continue;
    }
    const valueStart = i;
    let valueEnd = i;
    while (i < n && text[i] !== '\n' && text[i] !== '\r') {
      if (text[i] === '#' && (text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      i++;
      if (text[i - 1] !== ' ' && text[i - 1] !== '\t') valueEnd = i;
    }
    valueSpan = { start: valueStart, end: valueEnd };
    entries.push({ key: text.slice(keyStart, keyEnd), keySpan: { start: keyStart, end: keyEnd }, valueSpan, span: { start, end: valueEnd }, quote: undefined });
    i = nextLine(text, i);
  }
  return entries;
}

/** The entry whose value holds `offset` (`entries` in text order), by binary search. */
export function entryAt(entries: readonly DotenvEntry[], offset: number, spanOf: (e: DotenvEntry) => Span = (e) => e.valueSpan): DotenvEntry | undefined {
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = spanOf(entries[mid]!);
    if (offset < span.start) high = mid - 1;
    else if (offset >= span.end) low = mid + 1;
    else return entries[mid];
  }
  return undefined;
}

function isKeyChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 /* _ */ || code === 46 /* . */ || code === 45 /* - */
  );
}

function skipBlanks(text: string, i: number): number {
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

function lineEnd(text: string, i: number): number {
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function nextLine(text: string, i: number): number {
  const newline = text.indexOf('\n', i);
  return newline === -1 ? text.length : newline + 1;
}

function closingQuote(text: string, i: number, quote: string): number {
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quote !== "'") i++;
    else if (c === quote) return i;
  }
  return -1;
}
