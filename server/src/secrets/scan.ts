import type { LiteralCredential } from '../facts/model';
import type { Span } from '../syntax/text';
import { DETECTORS, type SecretDetector } from './detectors';
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

export function scanText(text: string, locator: ValueLocator): LiteralCredential[] {
  const found: LiteralCredential[] = [];
  const seen = new Set<number>();
  for (const { detector, pattern } of COMPILED) {
    if (!detector.hint(text)) continue;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const group = detector.group ?? 0;
      const indices = match.indices?.[group];
      const value = match[group];
      if (!indices || value === undefined) continue;
      const [start, end] = indices;
      if (seen.has(start)) continue;
      if (detector.accept && !detector.accept(value, text, start)) continue;
      const container = locator.containerAt(start);
      if (container === undefined) continue;
      seen.add(start);
      found.push(literal(detector, value, { start, end }, container, text));
    }
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
    const isServiceAccount = /"type"\s*:\s*"service_account"|iam\.gserviceaccount\.com/.test(
      text.slice(Math.max(0, valueSpan.start - 3000), valueSpan.end + 3000),
    );
    return {
      origin: 'literal',
      kind: isServiceAccount ? 'gcp-service-account-key' : 'private-key',
      valueSpan,
      label: isServiceAccount ? 'GCP service-account private key' : describePrivateKey(value),
      preview: '',
      container,
    };
  }
  return { origin: 'literal', kind: detector.kind, valueSpan, label: detector.label, preview: redact(value), container };
}

function describePrivateKey(header: string): string {
  const type = /BEGIN (RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) /.exec(header)?.[1];
  return type ? `${type} private key` : 'private key';
}
