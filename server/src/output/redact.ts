import type { Finding } from '../core/finding';
import { maskLine, redactContextOf, type RedactContext } from '../secrets/redact';
import { LineIndex } from '../syntax/text';
import type { Span } from '../core/text';

/**
 * Printed source lines (the text report's excerpts, the SARIF fingerprint's input, the lines of
 * `keyless fix --dry-run`'s diff), masked by the one redactor (secrets/redact.ts). Messages, notes
 * and parser errors come redacted from the engine; what is left here is knowing, from the findings,
 * which spans of a line are values to hide beyond what their shape tells.
 */

const SECRET_RULE = 'hardcoded-secret';

/**
 * The text of the given 0-based lines of `text`, with credential values masked: the values of
 * `hardcoded-secret` findings (and their related values); the value of any other finding that lies
 * on a line holding such a value (a span that encloses the secret is the block or pair around it,
 * not a value, and keeps its text but for the secret); and anything credential-shaped the rules did
 * not report (a rule turned off, a suppressed finding, a value no detector names, a key id glued to
 * a name, a secret-shaped run in a file that holds a key id).
 *
 * `context` defaults to what `text` itself holds; a diff passes what either side holds.
 */
export function maskedLines(text: string, findings: readonly Finding[], lines: Iterable<number>, context: RedactContext = redactContextOf(text)): Map<number, string> {
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
    const spans: Span[] = [...secretSpans];
    if (secretLines.has(line)) {
      const encloses = (outer: Span): boolean => secretSpans.some((s) => outer.start <= s.start && s.end <= outer.end);
      spans.push(...findings.filter((f) => f.span.start >= start && f.span.end <= end && !encloses(f.span)).map((f) => f.span));
    }
    result.set(line, maskLine(text.slice(start, end), lineRelative(spans, start, end), context));
  }
  return result;
}

/**
 * The part of each span inside [start, end), shifted to the line, masked as its whole value would
 * be: a value spanning lines keeps its first 4 characters on its first line only, its last 2 on
 * its last line only.
 */
function lineRelative(spans: readonly Span[], start: number, end: number): Span[] {
  const relative: Span[] = [];
  for (const span of spans) {
    if (span.end <= start || span.start >= end) continue;
    relative.push({ start: span.start - start, end: span.end - start });
  }
  return relative;
}
