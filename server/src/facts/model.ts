import type { Span } from '../syntax/text';

/**
 * Identity facts: what the rules reason about, with no trace of the syntax they came from. A
 * dialect reader turns a workflow, a manifest or a Terraform file into these; a rule over
 * `Authentication` then works the same for GitHub Actions, GitLab CI, Kubernetes and Terraform.
 *
 * Every fact carries the spans it came from, taken from the syntax tree.
 * `PolicyStatement`, `Trust` and `Identity` join this model as the rules that need them arrive.
 */

export type Cloud = 'aws' | 'gcp' | 'azure' | 'vault';
export type PackageRegistry = 'npm' | 'pypi' | 'rubygems' | 'crates' | 'nuget';

/** What kind of secret a value is. */
export type SecretKind =
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'aws-session-token'
  | 'gcp-service-account-key'
  | 'azure-client-secret'
  | 'azure-publish-profile'
  | 'vault-token'
  | 'private-key'
  | 'github-token'
  | 'gitlab-token'
  | 'npm-token'
  | 'pypi-token'
  | 'slack-token'
  | 'registry-token'
  | 'kubernetes-service-account-token';

/**
 * A credential the file shows: written into it (`literal`), handed to something by name
 * (`reference`: `${{ secrets.X }}`, `var.x`, `$X`, a `secretKeyRef`), or minted by a resource the
 * file declares (`minted`: `aws_iam_access_key`, `AWS::IAM::AccessKey`).
 */
export type Credential = LiteralCredential | ReferencedCredential | MintedCredential;

export interface LiteralCredential {
  origin: 'literal';
  kind: SecretKind;
  /** The value as written in the source. */
  valueSpan: Span;
  /** Human label: "AWS access key id". */
  label: string;
  /** At most the first 4 and last 2 characters; never the value. */
  preview: string;
  /**
   * Values under the same container (env map, provider block, heredoc) share a key, so that an
   * access key id and its secret become one finding.
   */
  container: string;
  /** How the value was found when it is not written as plain text, e.g. "base64-encoded". */
  encoding?: string;
}

export interface ReferencedCredential {
  origin: 'reference';
  kind: SecretKind;
  /** The name it travels under: an env var, a step input, a provider argument. */
  name: string;
  /** The span of that name's entry: the env key, the `- name:` line, the argument. */
  nameSpan: Span;
  valueSpan?: Span;
}

export interface MintedCredential {
  origin: 'minted';
  kind: SecretKind;
  /** The resource type as written: `aws_iam_access_key`, `AWS::IAM::AccessKey`, `Secret`. */
  resourceType: string;
  resourceName: string;
  /** The resource's first line. */
  anchor: Span;
  cloud: Cloud | 'kubernetes';
}

/** Who authenticates. */
export type Principal =
  | { kind: 'ci-job'; platform: 'github-actions' | 'gitlab-ci'; job: string; step?: string }
  | { kind: 'workload'; workload: string; container: string }
  | { kind: 'terraform-provider'; provider: string; alias?: string };

/**
 * How a principal obtains credentials for a cloud or a package registry: with long-lived keys
 * (`static`) or by federation (`oidc`, `workload-identity`, `trusted-publishing`).
 */
export interface Authentication {
  principal: Principal;
  target: Cloud | PackageRegistry;
  method: 'static' | 'oidc' | 'workload-identity' | 'trusted-publishing';
  /** What establishes it, in words: `aws-actions/configure-aws-credentials`, `env`, `npm publish`. */
  mechanism: string;
  /** Where a finding about it starts: the step's `uses:`, the env key, the provider block's first line. */
  anchor: Span;
  /** The credentials it uses, first one first. */
  credentials: Credential[];
}

export interface Facts {
  authentications: Authentication[];
  /** Literal and minted credentials; referenced ones live on their Authentication. */
  credentials: Credential[];
}

export function emptyFacts(): Facts {
  return { authentications: [], credentials: [] };
}
