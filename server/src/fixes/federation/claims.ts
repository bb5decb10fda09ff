import type { TokenSubject } from '../../facts/model';
import type { CiIssuer } from '../../graph/tokens';
import type { FederatedCloud } from './federation';

/**
 * What a trust written for a CI job checks besides its subject (`graph/tokens.ts`): the audience
 * the job's token carries for each cloud and the issuer's URL; how a subject reads in titles and
 * comments; and whether an IAM wildcard admits a subject.
 */

/** The audience Microsoft Entra expects from every external issuer. */
export const AZURE_AUDIENCE = 'api://AzureADTokenExchange';

/** The issuer URL: `https://token.actions.githubusercontent.com`, `https://gitlab.com`. */
export function issuerUrl(host: string): string {
  return `https://${host}`;
}

/**
 * The audience the job's token carries, which the trust checks. GitHub's AWS login asks for
 * `sts.amazonaws.com`; GitLab jobs name their audience in `id_tokens`, and Keyless writes (and
 * the GitLab rewrite requests) the instance URL, as GitLab's own AWS guide does; Azure expects
 * `api://AzureADTokenExchange` from every issuer. GCP checks the provider's own resource name by
 * default, which needs nothing here.
 */
export function defaultAudience(cloud: FederatedCloud, issuer: CiIssuer, host: string): string | undefined {
  if (cloud === 'azure') return AZURE_AUDIENCE;
  if (cloud === 'gcp') return undefined;
  return issuer === 'github' ? 'sts.amazonaws.com' : issuerUrl(host);
}

/** `environment production`, `branch main`: for titles, comments and names. */
export function describeScope(subject: TokenSubject): string {
  return subject.kind === 'unknown' ? 'any ref' : `${subject.kind} "${subject.name}"`;
}

/**
 * Whether an IAM `StringLike` pattern (`*` any run, `?` one character) matches a value: a
 * narrowed subject must be one the old trust already admitted.
 */
export function likeMatches(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}
