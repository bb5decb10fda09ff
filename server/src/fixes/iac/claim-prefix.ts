import { isSubjectKey } from '../../iam/trust';
import type { AwsWebIdentityTrust } from '../../facts/model';

/**
 * The claims' prefix as the trust writes it (`token.actions.githubusercontent.com/acme` for an
 * enterprise issuer), else the issuer host: a condition a fix adds (`<prefix>:aud`, `<prefix>:sub`)
 * names the claim the way the trust's own conditions do.
 */
export function claimPrefix(trust: AwsWebIdentityTrust): string {
  const subject = trust.statement.conditions.find((c) => isSubjectKey(c.key, trust.issuerHost));
  return subject ? subject.key.slice(0, -':sub'.length) : trust.issuerHost;
}
