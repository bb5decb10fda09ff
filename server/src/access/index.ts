import type { AccessEvidence, EvidenceSource } from '../iam/evidence';

/**
 * `access/` — live access data: what identities were seen to use, read from the cloud.
 *
 * What goes here: providers that answer "what did this identity use, and when?" with
 * `AccessEvidence` (`iam/evidence.ts`), which adapters hand to the engine
 * (`AnalyzeOptions.evidence`) for rules to read:
 * - AWS IAM last-accessed data (`GenerateServiceLastAccessedDetails`, then
 *   `GetServiceLastAccessedDetails`), per service and, where IAM tracks them, per action;
 * - CloudTrail: log files a user points at, or `LookupEvents`;
 * - IAM Access Analyzer policy generation (`StartPolicyGeneration`, `GetGeneratedPolicy`).
 * Nothing here yet: this is the slot, and its rules.
 *
 * The rules of this folder:
 * - It is the only code that imports a cloud SDK (`@aws-sdk/*`), and it loads one lazily (a
 *   dynamic `import()` when live data is asked for), so that scans and the editor never load it
 *   otherwise. The architecture test forbids cloud SDKs everywhere else.
 * - Consent first: no cloud call until the user asked for live data, for this workspace, naming
 *   the profile or credentials to use; never on open, on a keystroke or in `keyless scan` by
 *   default. The consent is remembered per workspace and can be withdrawn.
 * - Workspace Trust: in an untrusted workspace, no cloud call at all (its settings could name a
 *   profile, a region or an endpoint).
 * - Read-only: only calls that read or generate a report (`Get*`, `List*`, `Lookup*`,
 *   `Generate*LastAccessedDetails`, `StartPolicyGeneration`); never one that changes an account.
 * - Documented permissions: every call a provider makes is listed with the IAM action it needs
 *   (in `docs/`, when the first provider lands), so that a user can grant a read-only role exactly
 *   that, and nothing a provider calls is missing from the list.
 * - Evidence is plain data carrying its source and `retrievedAt`: cached outside the repository
 *   with its timestamp, never written into the workspace, never holding a credential.
 * - Analysis never waits for it: the engine takes evidence already read and does no I/O; a rule
 *   that has none says what it would need instead of guessing.
 */

/** One source of evidence: what the rules above bind every implementation to. */
export interface AccessProvider {
  readonly source: EvidenceSource;
  /**
   * What these identities (role or user ARNs) were seen to use. Rejects, without prompting, when
   * consent, Workspace Trust or credentials are missing.
   */
  evidenceFor(identities: readonly string[], signal?: AbortSignal): Promise<AccessEvidence[]>;
}
