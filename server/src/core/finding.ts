import type { Range, Span } from './text';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** A place in a file. Spans are UTF-16 offsets; ranges are 0-based lines and characters. */
export interface Location {
  path: string;
  span: Span;
  range: Range;
}

export interface RelatedLocation extends Location {
  message: string;
}

/** One text replacement. A fix may edit several files (a workflow and its cloud-side Terraform). */
export interface TextEdit {
  path: string;
  span: Span;
  range: Range;
  newText: string;
}

/**
 * A fix is data: edits with a title, and whether it can be applied unattended (`safe`). Unsafe
 * fixes change how something authenticates and need a person to confirm the other side exists.
 */
export interface Fix {
  title: string;
  safe: boolean;
  edits: TextEdit[];
  /** Files the fix creates (their whole text is the edit that inserts at 0 in them). */
  creates?: string[];
  /**
   * What is left for a person once the fix is applied, one sentence each: repository variables
   * the rewrite now reads, the key to revoke, created files to review and apply. `keyless fix`
   * prints them as "Next steps" (`followUps` in JSON); the editor shows them after the fix.
   */
  followUps?: string[];
}

/**
 * What a baseline (and SARIF's `partialFingerprints`) matches a finding by across commits, with no
 * line number in it: engine/fingerprint.ts defines it. No part of it holds a credential value.
 */
export interface Fingerprint {
  /** 20 hex digits of SHA-256 over the rule, the block path, the anchored text (redacted) and the occurrence. */
  hash: string;
  /** The enclosing keys and blocks, for people: `jobs.deploy.steps[name=Configure AWS].with`. Redacted. */
  block: string;
  /** The anchored text as hashed: its first line, comments dropped, white space collapsed. Redacted. */
  text: string;
}

export interface Finding extends Location {
  rule: string;
  severity: Severity;
  message: string;
  related: RelatedLocation[];
  fixes: Fix[];
  /** Set by the engine on every finding it reports (optional for findings built by hand, in tests). */
  fingerprint?: Fingerprint;
}
