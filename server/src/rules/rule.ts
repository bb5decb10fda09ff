import type { Dialect } from '../core/dialect';
import type { Severity } from '../core/finding';
import type { Authentication, Facts } from '../facts/model';
import type { Fixer } from '../fixes/fixer';
import type { AwsCatalog } from '../iam/catalog';
import type { AccessEvidence } from '../iam/evidence';
import type { Span } from '../core/text';

/**
 * A rule is a pure function from one file's facts to findings, and the fixers of those findings.
 * Its check sees no syntax, no LSP types and no file system; its findings carry spans taken from
 * the facts, which took them from the tree. Each rule is a folder, `rules/<id>/`: `index.ts`
 * exports the rule, beside the fixers only it uses; its page is `docs/rules/<id>.md`.
 *
 * `About` is what its findings are about (an Authentication, a Trust, …): the check puts it in
 * each finding and the rule's fixers receive it with that type. The catalog (`index.ts`) holds
 * rules of every subject type, where plain `Rule` erases it (TypeScript has no existential
 * types); declared as `Rule<Its subject>`, each rule's check and fixers are held to agree.
 */
export interface Rule<About = any> {
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
  check(context: RuleContext): RuleFinding<About>[];
  /**
   * The fixers of its findings, in the order their fixes are offered (the first safe one is the
   * preferred quick fix). A rule without fixers still gets "Suppress <rule> on this line", and so
   * does a finding in a file of no dialect: fixers rewrite a dialect's syntax.
   */
  fixers?: readonly Fixer<About>[];
}

export interface RuleContext {
  path: string;
  /** Null for a file of no dialect (rules with `everyFile`). */
  dialect: Dialect | null;
  facts: Facts;
  /**
   * The AWS action catalog (`iam/catalog/`): actions, access levels, resource types, wildcard
   * expansion, ARN matching. Its data is read by the adapters and handed to the engine.
   */
  catalog: AwsCatalog;
  /** What identities were seen to use, when an adapter read it (`access/`); no rule reads it yet. */
  evidence?: readonly AccessEvidence[];
}

export interface RuleFinding<About = unknown> {
  span: Span;
  message: string;
  related?: { span: Span; message: string }[];
  /** When this finding is graver or milder than the rule's default (a configured severity still wins). */
  severity?: Severity;
  /**
   * The fact the finding is about (an Authentication, a Trust, a Credential, …): the rule's fixers
   * receive it to know what to rewrite. The engine passes it on and never reads it.
   */
  about: About;
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
