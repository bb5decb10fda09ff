import { createHash } from 'node:crypto';
import type { Finding } from '../core/finding';
import type { Span } from '../core/text';
import { redact, redactText, type RedactContext } from '../secrets/redact';
import type { BlockPath } from './block-path';
import type { ParsedFile } from './parse';

/**
 * A finding's fingerprint: what a baseline (`keyless baseline`, `keyless scan --baseline`) and
 * SARIF's `partialFingerprints` match it by across commits. It is SHA-256 (20 hex digits) over
 *
 * - the rule id,
 * - the block path of the finding's start (block-path.ts: the enclosing keys and blocks, list items
 *   named by their identity key, never by position),
 * - the anchored text: the first line of the finding's span, a trailing comment dropped, runs of
 *   white space made one space (and a `uses:` without its `@ref`),
 * - the occurrence: 1 for the first finding with the same rule, path and text in the file, 2 for
 *   the next, and so on in the order of the file,
 *
 * with the path and the text passed through the redactor first, so the hash is of what any report
 * may print: a credential's value is in it only as its masked form (first 4 and last 2 characters),
 * and a new key whose masked form equals the old one's is the one change it does not see. The
 * file's path is not in it (a baseline and code scanning match the path beside it), nor the line.
 */

export const FINGERPRINT_VERSION = 'v1';

export function fingerprintFindings(findings: Finding[], parsed: ParsedFile, text: string, context: RedactContext): void {
  const occurrences = new Map<string, number>();
  // The values the secret rule reports are masked whatever their shape (a base64-encoded key in a
  // Kubernetes Secret has none the redactor knows), as printed lines are (output/redact.ts).
  const secretSpans = findings.filter((f) => f.rule === SECRET_RULE).flatMap((f) => [f.span, ...f.related.map((r) => r.span)]).sort((a, b) => a.start - b.start);
  for (const finding of findings) {
    const block = redactedBlockPath(safeBlockPath(parsed, finding.span.start), context);
    const anchored = normalized(maskedText(text, anchoredSpan(parsed, text, finding.span), secretSpans, context));
    const key = JSON.stringify([finding.rule, block, anchored]);
    const occurrence = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, occurrence);
    const hash = createHash('sha256').update(`keyless/${FINGERPRINT_VERSION}\0${key}\0${occurrence}`).digest('hex').slice(0, 20);
    finding.fingerprint = { hash, block: displayBlockPath(block), text: anchored };
  }
}

/** A path the tree cannot give (an alias past the budget, a reader's bug) is empty: the text still names the finding. */
function safeBlockPath(parsed: ParsedFile, offset: number): BlockPath {
  try {
    return parsed.blockPathAt(offset);
  } catch {
    return [];
  }
}

function redactedBlockPath(path: BlockPath, context: RedactContext): BlockPath {
  return path.map((segment) => redactText(segment, context));
}

/** `jobs`, `deploy`, `steps`, `[name=x]`, `with` → `jobs.deploy.steps[name=x].with`. */
export function displayBlockPath(path: BlockPath): string {
  let out = '';
  for (const segment of path) out += segment.startsWith('[') || out === '' ? segment : `.${segment}`;
  return out;
}

/** Longer anchored text than this is cut: a fingerprint names a place, not a whole minified line. */
const MAX_ANCHORED_TEXT = 200;

const SECRET_RULE = 'hardcoded-secret';

/** `text` in `span`, each secret span's part shown as its preview (`AKIA…LE`), the rest redacted by shape. */
function maskedText(text: string, span: Span, secretSpans: readonly Span[], context: RedactContext): string {
  let out = '';
  let at = span.start;
  for (const secret of secretSpans) {
    const from = Math.max(secret.start, at);
    const to = Math.min(secret.end, span.end);
    if (from >= to) continue;
    out += redactText(text.slice(at, from), context) + redact(text.slice(from, to));
    at = to;
  }
  return out + redactText(text.slice(at, span.end), context);
}

/**
 * White space collapsed; and a GitHub Actions `uses:` without its ref: a Dependabot bump of
 * `actions/x@v3` to `@v4` (or to a pinned SHA) is the same step, the one edit a workflow gets most.
 */
function normalized(anchored: string): string {
  return anchored
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^((?:- )?uses: ?["']?[^@\s"']+)@[^\s"']+/, '$1')
    .slice(0, MAX_ANCHORED_TEXT);
}

/** The finding's span up to its first line break, or to a comment on that line. */
function anchoredSpan(parsed: ParsedFile, text: string, span: Span): Span {
  let end = Math.min(span.end, span.start + MAX_ANCHORED_TEXT * 4);
  const lineBreak = text.indexOf('\n', span.start);
  if (lineBreak !== -1 && lineBreak < end) end = lineBreak;
  // A comment inside the anchored line is not what the finding is about: adding one keeps the match.
  for (let at = span.start; at < end; at++) {
    const c = text[at];
    if ((c === '#' || (c === '/' && text[at + 1] === '/')) && parsed.isCommentAt(at)) {
      end = at;
      break;
    }
  }
  return { start: span.start, end: Math.max(span.start, end) };
}
