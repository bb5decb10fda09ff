import type { WorkspaceContext } from '../../facts/workspace';
import type { TokenSubject } from '../../facts/model';
import type { CiIssuer } from '../../graph/tokens';
import type { JobUsage } from '../../iam/least-privilege';
import type { ProposedEdit } from '../fixer';

/**
 * The contract between the CI-side rewrites (GitHub Actions, GitLab CI) and the cloud side.
 *
 * A rewrite that moves a job from stored keys to OIDC federation asks `planFederation` how the
 * job should name its cloud identity, and what must exist in the cloud for that to work. The plan
 * either reuses an identity the workspace already defines (a role whose trust is scoped to this
 * repository and this job's environment or branch; never one whose trust is unscoped), or writes
 * one — the OIDC provider (reused when present) and a role trusted only by this repository and
 * subject, with permissions inferred from what the job runs — in the IaC dialect the workspace
 * uses (Terraform, else CloudFormation), in a new file beside the existing IaC. When it can do
 * neither (no git remote to name the repository), the rewrite falls back to repository variables
 * (`${{ vars.AWS_ROLE_ARN }}`) and says so in its title.
 */

export type FederatedCloud = 'aws' | 'gcp' | 'azure';

export interface FederationRequest {
  cloud: FederatedCloud;
  issuer: CiIssuer;
  /** Which of the repository's tokens the trust admits (`unknown`: the plan refuses to write a trust). */
  subject: TokenSubject;
  /** The job, for names and messages: `deploy` in `.github/workflows/deploy.yml`. */
  job: { name: string; file: string };
  /** What the job runs, for least privilege. */
  usage: JobUsage;
  /** The AWS region the job uses (`aws-region`, `AWS_DEFAULT_REGION`), when written literally. */
  region?: string;
}

export interface FederationPlan {
  /** How the CI side names the identity. */
  identity:
    | { cloud: 'aws'; roleArn: string; roleName: string }
    | { cloud: 'gcp'; workloadIdentityProvider: string; serviceAccount: string }
    | { cloud: 'azure'; clientId: string; tenantId: string; subscriptionId: string };
  /** True when an identity of the workspace is reused (nothing to write). */
  reused: boolean;
  /** Files to create and edits to existing IaC files, to apply together with the CI rewrite. */
  creates: { path: string; text: string }[];
  edits: ProposedEdit[];
  /**
   * Said in the fix title and written as comments in the generated IaC: what needs a person
   * (`terraform apply` needs permissions Keyless does not infer; the account id is a variable).
   */
  notes: string[];
}

/**
 * Plans the cloud side for one job. Undefined when no honest plan exists: the subject is unknown,
 * or the repository is not known and there is no identity to reuse.
 */
export type PlanFederation = (request: FederationRequest, workspace: WorkspaceContext) => FederationPlan | undefined;
