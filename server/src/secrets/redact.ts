import type { Span } from '../core/text';
import { detectorMatches, looksRandom } from './detectors';

/**
 * The one redactor: every string Keyless quotes from a file (finding and related messages, parser
 * errors, notes, fix titles and follow-ups, hover text, log lines, printed source lines, diff lines)
 * goes through it before it leaves the engine or an adapter. Two forms, one set of rules:
 *
 * - `redactText` for prose: each credential-shaped value becomes its preview, at most the first 4
 *   and the last 2 characters around `…` (`"AKIA…LE"`), the format the rule pages document;
 * - `maskText` for source lines: characters are swapped one for one with `*`, so that columns and
 *   underlines still line up with the original line.
 *
 * What is masked, wherever it stands (a value, a key, a comment, a resource name, a YAML anchor, a
 * parser's quote of the source):
 * - whatever a detector recognises (tokens, keys after their names), every offset counting as a value;
 * - an AWS access key id even glued to other letters (`accessAKIA…`, `UserAKIA…`): the detector
 *   wants a word boundary, but a name built around a key id still carries it;
 * - beside an access key id (in the same string, or in the file it was quoted from), every run of
 *   40 or more base64 characters shaped like an AWS secret access key, whole: the secret needs its
 *   name to be recognised, and a secret glued into a name or planted next to its id has none.
 */

export const MASK = '*';
/** The rule pages' format: at most the first 4 and the last 2 characters, none of a short value. */
const KEEP_START = 4;
const KEEP_END = 2;
const SHORTEST_PARTLY_SHOWN = 12;

/** What the redactor knows about the file a string was quoted from. */
export interface RedactContext {
  /** The file holds an AWS access key id: a secret-shaped run anywhere in a string from it is masked. */
  keyIdInFile: boolean;
}

export const NO_CONTEXT: RedactContext = { keyIdInFile: false };

/**
 * AWS access key ids (IAM's documented prefixes), with no word boundary on either side, and the
 * rest of the run of capitals and digits they start: an id glued to the front of another
 * (`AKIA…AKIA…`) would otherwise be consumed by the first match and never found itself.
 */
const KEY_ID_ANYWHERE = /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16,}/g;
/** A run of the characters an AWS secret access key is made of, at least as long as one. */
const SECRET_RUN = /[A-Za-z0-9/+]{40,}/g;

function mayHoldKeyId(text: string): boolean {
  return text.includes('AKIA') || text.includes('ASIA') || text.includes('ABIA') || text.includes('ACCA');
}

/** Whether `text` holds an AWS access key id anywhere (glued to letters included). */
export function holdsKeyId(text: string): boolean {
  // Not the global KEY_ID_ANYWHERE: `test` would leave its lastIndex behind for the next `matchAll`.
  return mayHoldKeyId(text) && /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}/.test(text);
}

/** The context of strings quoted from `fileText`: computed once per file. */
export function redactContextOf(fileText: string): RedactContext {
  return { keyIdInFile: holdsKeyId(fileText) };
}

/**
 * A run that may be a secret access key: letters with digits, `/`, `+` or both cases. Looser than
 * the detector (which wants a name before the value, and lowercase with uppercase or `/`/`+` with
 * a digit or `/`/`+`): beside a key id there is no name to go by, and one secret in four thousand
 * has no digit, `/` or `+`. A commit SHA (lowercase hex) and a word in one case stay readable.
 */
function secretShaped(run: string): boolean {
  if (/^[0-9a-f]+$/.test(run)) return false;
  return /[A-Za-z]/.test(run) && (/[0-9/+]/.test(run) || (/[a-z]/.test(run) && /[A-Z]/.test(run)));
}

export function credentialSpans(text: string, context: RedactContext = NO_CONTEXT): Span[] {
  const spans: Span[] = [];
  for (const { start, end } of detectorMatches(text)) spans.push({ start, end });
  let keyIds = false;
  if (mayHoldKeyId(text)) {
    for (const match of text.matchAll(KEY_ID_ANYWHERE)) {
      keyIds = true;
      spans.push({ start: match.index, end: match.index + match[0].length });
    }
  }
  if (keyIds || context.keyIdInFile) {
    for (const match of text.matchAll(SECRET_RUN)) {
      if (secretShaped(match[0])) spans.push({ start: match.index, end: match.index + match[0].length });
    }
  }
  return spans;
}

/** Runs of base64 characters long enough to be a key or a token. */
const LONG_RUN = /[A-Za-z0-9+/=]{16,}/g;

/**
 * Random-looking runs, for quoted source lines only. A line is quoted because a rule anchored
 * there, and rules see credentials the detectors cannot name (a secret passed positionally to a
 * login command, a Vault token in `env:`): those are masked by shape. A lowercase hex run right
 * after `@` or `:` is a pinned commit or an image digest, and stays readable. Prose is not
 * searched this way: its long runs are names (roles, repositories) a reader needs.
 */
export function randomRunSpans(line: string): Span[] {
  const spans: Span[] = [];
  for (const match of line.matchAll(LONG_RUN)) {
    const value = match[0];
    const start = match.index;
    if (!looksRandom(value)) continue;
    if (/^[0-9a-f]+$/.test(value) && /[@:]$/.test(line.slice(0, start))) continue;
    spans.push({ start, end: start + value.length });
  }
  return spans;
}

/** At most the first 4 and the last 2 characters, and nothing for values too short to spare them. */
export function redact(value: string): string {
  if (value.length < SHORTEST_PARTLY_SHOWN) return '…';
  return `${value.slice(0, KEEP_START)}…${value.slice(-KEEP_END)}`;
}

/** `value` with everything but its first 4 and last 2 characters (and its line breaks) masked. */
export function maskValue(value: string): string {
  const masked = maskedPositions(value.length, [{ start: 0, end: value.length }], value);
  let out = '';
  for (let i = 0; i < value.length; i++) out += masked[i] ? MASK : value[i]!;
  return out;
}

/**
 * Which characters of a text of `length` the spans hide: the middle of each span (all of a short
 * one), never a line break. A character one span keeps and another hides stays hidden: spans may
 * overlap (a key id inside a longer run), and no span may show what another masks.
 */
function maskedPositions(length: number, spans: readonly Span[], text: string): Uint8Array {
  const masked = new Uint8Array(length);
  for (const span of spans) {
    const start = Math.max(0, span.start);
    const end = Math.min(length, span.end);
    if (start >= end) continue;
    const showEnds = span.end - span.start >= SHORTEST_PARTLY_SHOWN;
    const from = showEnds ? Math.max(start, span.start + KEEP_START) : start;
    const to = showEnds ? Math.min(end, span.end - KEEP_END) : end;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) masked[i] = 1;
    }
  }
  return masked;
}

/** `text` with the spans masked one character for one (see maskedPositions). */
export function maskText(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  const masked = maskedPositions(text.length, spans, text);
  let out = '';
  let runStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !masked[i]) continue;
    out += text.slice(runStart, i);
    if (i < text.length) out += MASK;
    runStart = i + 1;
  }
  return out;
}

/**
 * Prose fit to leave the process: every credential-shaped value in `text` replaced by its preview.
 * Overlapping values (an id inside a longer run) are previewed as one, so no part of either shows
 * beyond the ends of the whole.
 */
export function redactText(text: string, context: RedactContext = NO_CONTEXT): string {
  const spans = credentialSpans(text, context).sort((a, b) => a.start - b.start);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (let i = 0; i < spans.length; ) {
    const start = spans[i]!.start;
    let end = spans[i]!.end;
    for (i++; i < spans.length && spans[i]!.start < end; i++) end = Math.max(end, spans[i]!.end);
    out += text.slice(at, start) + redact(text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
}

/** A source line masked for printing: the given spans (line-relative) and anything credential-shaped. */
export function maskLine(line: string, spans: readonly Span[], context: RedactContext = NO_CONTEXT): string {
  // One pass over the line as written: the shapes are looked for in the original characters, and
  // no span can show what another hides.
  return maskText(line, [...spans, ...credentialSpans(line, context), ...randomRunSpans(line)]);
}
