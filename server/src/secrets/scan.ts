import type { LiteralCredential } from '../facts/model';
import type { Span } from '../core/text';
import { DETECTORS, detectorMatches, type SecretDetector } from './detectors';
import { redact } from './redact';

/**
 * Where values live in a parsed file. The scanner finds candidates with regular expressions over
 * the whole text (one pass per detector, far cheaper than visiting every node) and asks the
 * locator, which descends the syntax tree, whether each candidate sits inside a value and in
 * which container. Candidates in comments, keys or punctuation are dropped, and the span reported
 * is the one the tree confirms.
 */
export interface ValueLocator {
  /** The container key of the value at `offset`, or undefined when `offset` is not inside a value. */
  containerAt(offset: number): string | undefined;
}

interface CompiledDetector {
  detector: SecretDetector;
  pattern: RegExp;
}

// `d` gives capture-group indices, so the value's span is exact even when the match starts at its name.
const COMPILED: CompiledDetector[] = DETECTORS.map((detector) => ({
  detector,
  pattern: new RegExp(detector.pattern.source, detector.pattern.flags.includes('d') ? detector.pattern.flags : `${detector.pattern.flags}d`),
}));

/** Whether any detector could match in `text`: their cheap hints, no regular expression run. */
export function mayHoldSecret(text: string): boolean {
  return COMPILED.some(({ detector }) => detector.hint(text));
}

export function scanText(text: string, locator: ValueLocator): LiteralCredential[] {
  const found: LiteralCredential[] = [];
  const seen = new Set<number>();
  for (const { detector, value, start, end } of detectorMatches(text)) {
    if (seen.has(start)) continue;
    const container = locator.containerAt(start);
    if (container === undefined) continue;
    seen.add(start);
    found.push(literal(detector, value, { start, end }, container, text));
  }
  return found.sort((a, b) => a.valueSpan.start - b.valueSpan.start);
}

/**
 * Scans a value that is not written as plain text (a base64 `data` entry of a Kubernetes Secret):
 * a hit is reported on the whole value's span.
 */
export function scanDecodedValue(decoded: string, span: Span, container: string, encoding: string): LiteralCredential[] {
  const found: LiteralCredential[] = [];
  for (const { detector, pattern } of COMPILED) {
    if (!detector.hint(decoded)) continue;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(decoded); match !== null; match = pattern.exec(decoded)) {
      const value = match[detector.group ?? 0];
      const start = match.indices?.[detector.group ?? 0]?.[0] ?? match.index;
      if (value === undefined || (detector.accept && !detector.accept(value, decoded, start))) continue;
      found.push({ ...literal(detector, value, span, container, decoded), encoding });
      return found;
    }
  }
  return found;
}

function literal(detector: SecretDetector, value: string, valueSpan: Span, container: string, text: string): LiteralCredential {
  if (detector.kind === 'private-key') {
    const before = text.slice(Math.max(0, valueSpan.start - 3000), valueSpan.start);
    const after = text.slice(valueSpan.end, valueSpan.end + 3000);
    const isServiceAccount = SERVICE_ACCOUNT.test(before) || SERVICE_ACCOUNT.test(after);
    return {
      origin: 'literal',
      kind: isServiceAccount ? 'gcp-service-account-key' : 'private-key',
      valueSpan,
      label: isServiceAccount ? serviceAccountKeyLabel(before, after) : describePrivateKey(value),
      preview: '',
      container,
    };
  }
  return { origin: 'literal', kind: detector.kind, valueSpan, label: detector.label, preview: redact(value), container };
}

const SERVICE_ACCOUNT = /"type"\s*:\s*"service_account"|iam\.gserviceaccount\.com/;
// The fields of a service-account key file (Google Cloud, "Create and delete service account keys"),
// bounded so that no input makes them slow.
const CLIENT_EMAIL = /"client_email"\s*:\s*"([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253})"/g;
const PRIVATE_KEY_ID = /"private_key_id"\s*:\s*"([0-9a-f]{16,64})"/g;

/**
 * What a reviewer needs to revoke a committed service-account key: the account it belongs to and
 * the key's id, as the Cloud console lists them. Neither grants anything; the id is shortened
 * like any value all the same. The nearest of each around the key (a key file's own fields).
 */
function serviceAccountKeyLabel(before: string, after: string): string {
  const nearest = (pattern: RegExp): string | undefined => {
    const next = firstMatch(pattern, after);
    if (next !== undefined) return next;
    let last: string | undefined;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(before); m !== null; m = pattern.exec(before)) last = m[1];
    return last;
  };
  const email = nearest(CLIENT_EMAIL);
  const keyId = nearest(PRIVATE_KEY_ID);
  return `GCP service-account private key${email ? ` of ${email}` : ''}${keyId ? ` (key id ${redact(keyId)})` : ''}`;
}

function firstMatch(pattern: RegExp, text: string): string | undefined {
  pattern.lastIndex = 0;
  return pattern.exec(text)?.[1];
}

function describePrivateKey(header: string): string {
  const type = /BEGIN (RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) /.exec(header)?.[1];
  return type ? `${type} private key` : 'private key';
}
