import type { Dialect } from '../dialects/detect';
import type { Severity } from '../engine/finding';
import type { Authentication, Facts } from '../facts/model';
import type { AccessEvidence } from '../iam/evidence';
import type { Span } from '../syntax/text';

/**
 * A rule is a pure function from one file's facts to findings. It sees no syntax, no LSP types and
 * no file system; its findings carry spans taken from the facts, which took them from the tree.
 */
export interface Rule {
  id: string;
  /** Default severity; `.keyless.yaml` and editor settings may override it. */
  severity: Severity;
  /** One line, for rule lists, SARIF `shortDescription` and hovers. */
  title: string;
  /** The dialects the rule can fire in. */
  dialects: readonly Dialect[];
  /**
   * Also runs on files of no dialect (a Helm values.yaml, a compose file, a `.env`, a key file),
   * whose facts hold only what the secret scan found.
   */
  everyFile?: boolean;
  check(context: RuleContext): RuleFinding[];
}

export interface RuleContext {
  path: string;
  /** Null for a file of no dialect (rules with `everyFile`). */
  dialect: Dialect | null;
  facts: Facts;
  /** What identities were seen to use, when an adapter read it (`access/`); no rule reads it yet. */
  evidence?: readonly AccessEvidence[];
}

/**
 * The fact a finding is about (an Authentication, a Trust, a Credential, …): fixers receive it to
 * know what to rewrite. Rules set it; the engine passes it on and never reads it.
 */
export type FindingSubject = object;

export interface RuleFinding {
  span: Span;
  message: string;
  related?: { span: Span; message: string }[];
  /** When this finding is graver or milder than the rule's default (a configured severity still wins). */
  severity?: Severity;
  about?: FindingSubject;
}

/** The other credentials of one authentication, as related locations of its finding. */
export function otherCredentials(auth: Authentication, describe: (name: string) => string): { span: Span; message: string }[] {
  const related: { span: Span; message: string }[] = [];
  for (const credential of auth.credentials) {
    if (credential.origin !== 'reference' || credential.nameSpan.start === auth.anchor.start) continue;
    related.push({ span: credential.nameSpan, message: describe(credential.name) });
  }
  return related;
}
