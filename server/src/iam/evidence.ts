/**
 * Evidence of use: what an identity was seen to call, read from outside the repository (IAM
 * last-accessed data, CloudTrail, Access Analyzer). `access/` reads it; the engine accepts it
 * (`AnalyzeOptions.evidence`) and hands it to rules unchanged. Plain data with its source and
 * age, so that analysis stays pure: no SDK type crosses into it, and a finding built on it can
 * say where it came from and how old it is.
 */

/**
 * Where evidence was read: IAM last-accessed data (`GenerateServiceLastAccessedDetails`, per
 * service and for some services per action), CloudTrail events, or a policy IAM Access Analyzer
 * generated from CloudTrail.
 */
export type EvidenceSource = 'aws-last-accessed' | 'cloudtrail' | 'access-analyzer';

export interface AccessEvidence {
  /** The identity it is about: the ARN of an IAM role or user (`arn:aws:iam::123456789012:role/deploy`). */
  identity: string;
  /** The service it used, by IAM prefix (`s3`): every source says this much. */
  service: string;
  /** The action it used (`s3:PutObject`), when the source tracks actions and not only services. */
  action?: string;
  /**
   * When it last used it (ISO 8601). Absent: the source saw no use within the period it tracks
   * (last-accessed data reports services never used, which is what makes a grant unused).
   */
  lastUsed?: string;
  source: EvidenceSource;
  /** When the source was read (ISO 8601). */
  retrievedAt: string;
}
