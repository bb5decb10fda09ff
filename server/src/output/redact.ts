import type { Finding } from '../engine/finding';
import { looksRandom } from '../secrets/detectors';
import { scanText } from '../secrets/scan';
import { LineIndex, type Span } from '../syntax/text';

/**
 * Credential values never leave the process. The engine's messages are already redacted; what is
 * left is the source text some formats print. Masking swaps characters one for one with `*`, so
 * columns and underlines still line up with the original line.
 */

const MASK = '*';
/** As the engine's messages: at most the first 4 and last 2 characters, none of a short value. */
const KEEP_START = 4;
const KEEP_END = 2;
const SHORTEST_PARTLY_SHOWN = 12;
const SECRET_RULE = 'hardcoded-secret';

/** `value` with everything but its first 4 and last 2 characters (and its line breaks) masked. */
export function maskValue(value: string): string {
  const showEnds = value.length >= SHORTEST_PARTLY_SHOWN;
  let masked = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const kept = c === '\n' || c === '\r' || (showEnds && (i < KEEP_START || i >= value.length - KEEP_END));
    masked += kept ? c : MASK;
  }
  return masked;
}

/** Anything the detectors recognise, wherever it sits: the last line of defence for free text. */
function lookalikeSpans(text: string): Span[] {
  // Every offset counts as a value here: a comment or a key holding a key id is masked all the same.
  return scanText(text, { containerAt: () => '' }).map((c) => c.valueSpan);
}

/** Runs of base64 characters long enough to be a key or a token. */
const LONG_RUN = /[A-Za-z0-9+/=]{16,}/g;

/**
 * Random-looking runs in a quoted source line. A line is quoted because a rule anchored there, and
 * rules see credentials the detectors cannot name (a secret passed positionally to a login command,
 * a Vault token in `env:`): those are masked by shape. A lowercase hex run right after `@` or `:` is
 * a pinned commit or an image digest, and stays readable.
 */
function randomRunSpans(line: string): Span[] {
  const spans: Span[] = [];
  for (const match of line.matchAll(LONG_RUN)) {
    const value = match[0];
    const start = match.index ?? 0;
    if (!looksRandom(value)) continue;
    if (/^[0-9a-f]+$/.test(value) && /[@:]$/.test(line.slice(0, start))) continue;
    spans.push({ start, end: start + value.length });
  }
  return spans;
}

/** Masks every credential-shaped value in a message, a note or a parser error. */
export function redactText(text: string): string {
  return applyMasks(text, 0, text, lookalikeSpans(text));
}

/**
 * The text of the given 0-based lines of `text`, with credential values masked: the values of
 * `hardcoded-secret` findings (and their related values); the value of any other finding that lies
 * on a line holding such a value (a span that encloses the secret is the block or pair around it,
 * not a value, and keeps its text but for the secret); and anything credential-shaped the rules did
 * not report (a rule turned off, a suppressed finding, a value no detector names).
 */
export function maskedLines(text: string, findings: readonly Finding[], lines: Iterable<number>): Map<number, string> {
  const index = new LineIndex(text);
  const secretSpans = findings.filter((f) => f.rule === SECRET_RULE).flatMap((f) => [f.span, ...f.related.map((r) => r.span)]);
  const secretLines = new Set<number>();
  for (const span of secretSpans) {
    for (let line = index.positionAt(span.start).line; line <= index.positionAt(span.end).line; line++) secretLines.add(line);
  }
  const result = new Map<number, string>();
  for (const line of lines) {
    const start = index.lineStart(line);
    const end = index.lineEnd(line);
    const spans = [...secretSpans];
    if (secretLines.has(line)) {
      const encloses = (outer: Span): boolean => secretSpans.some((s) => outer.start <= s.start && s.end <= outer.end);
      spans.push(...findings.filter((f) => f.span.start >= start && f.span.end <= end && !encloses(f.span)).map((f) => f.span));
    }
    const masked = applyMasks(text, start, text.slice(start, end), spans);
    result.set(line, applyMasks(masked, 0, masked, [...lookalikeSpans(masked), ...randomRunSpans(masked)]));
  }
  return result;
}

/**
 * `segment` (which starts at offset `segmentStart` of `source`) with each span's characters inside
 * it masked; a span's value is masked as a whole, so its kept ends are those of the value.
 */
function applyMasks(source: string, segmentStart: number, segment: string, spans: readonly Span[]): string {
  const segmentEnd = segmentStart + segment.length;
  let chars: string[] | undefined;
  for (const span of spans) {
    const from = Math.max(span.start, segmentStart);
    const to = Math.min(span.end, segmentEnd);
    if (from >= to) continue;
    const masked = maskValue(source.slice(span.start, span.end));
    chars ??= segment.split('');
    for (let offset = from; offset < to; offset++) chars[offset - segmentStart] = masked[offset - span.start]!;
  }
  return chars ? chars.join('') : segment;
}
