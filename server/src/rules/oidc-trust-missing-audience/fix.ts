import { isStatementSyntax } from '../../dialects/iam-policy/policy-document';
import type { WorkspaceContext } from '../../facts/workspace';
import type { AwsWebIdentityTrust } from '../../facts/model';
import { workspaceGraph } from '../../graph/graph';
import type { Fixer } from '../../fixes/fixer';
import { addCondition } from '../../fixes/iac/statement-edit';
import { claimPrefix } from '../../fixes/iac/claim-prefix';

/**
 * oidc-trust-missing-audience: adds a `StringEquals` check of the token's audience to the trust
 * statement, in the statement's own syntax. The audience is the one the issuer's tokens carry for
 * AWS: `sts.amazonaws.com` for GitHub Actions and EKS, `aws.workload.identity` for Terraform Cloud;
 * for GitLab, the one `aud` the workspace's pipelines request, else `https://gitlab.com` on
 * gitlab.com. When it cannot be known (another issuer, a self-hosted GitLab whose pipelines do not
 * say), nothing is offered. Unsafe: a job that asks for a custom audience is locked out.
 */
export const fixMissingAudience: Fixer<AwsWebIdentityTrust> = ({ about: trust, text, workspace }) => {
  if (!isStatementSyntax(trust.statement.syntax)) return [];
  const audience = audienceOf(trust, workspace);
  if (!audience) return [];
  const key = `${claimPrefix(trust)}:aud`;
  const edits = addCondition(text, trust.statement.syntax, 'StringEquals', key, audience);
  if (!edits) return [];
  return [{ title: `Require the token audience "${audience}"`, safe: false, edits, followUps: [`The trust now requires ${key} to equal "${audience}": a job that asks for another audience can no longer assume it.`] }];
};

function audienceOf(trust: AwsWebIdentityTrust, workspace: WorkspaceContext): string | undefined {
  switch (trust.issuer) {
    case 'github':
    case 'eks':
      return 'sts.amazonaws.com';
    case 'terraform-cloud':
      return 'aws.workload.identity';
    case 'gitlab': {
      const requested = gitlabAudiences(workspace);
      if (requested.size === 1) return [...requested][0];
      if (requested.size === 0 && trust.issuerHost.toLowerCase() === 'gitlab.com') return 'https://gitlab.com';
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The `aud` values the workspace's GitLab jobs (templates too) that sign in to AWS with a web identity request in their own `id_tokens`. */
function gitlabAudiences(workspace: WorkspaceContext): Set<string> {
  const audiences = new Set<string>();
  for (const job of workspaceGraph(workspace).jobs) {
    if (job.platform !== 'gitlab-ci' || !job.authentications.some((a) => a.target === 'aws' && a.method === 'oidc')) continue;
    for (const audience of job.idTokenAudiences) audiences.add(audience);
  }
  return audiences;
}
