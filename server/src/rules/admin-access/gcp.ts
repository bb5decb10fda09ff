import type { Severity } from '../../core/finding';
import type { Facts, GrantScope, RoleGrant } from '../../facts/model';
import { GCP_ADMIN_ROLES } from '../../iam/gcp-roles';
import type { RuleFinding } from '../rule';
import { grantName, isBroadScope, lower, membersText, narrowedNote, narrowingCondition, scopeText } from '../role-grants';

/** What a Google Cloud admin-access finding is about: the grant of a basic role. */
export type GcpAdminAccess = RoleGrant;

/** Where a hierarchy grant reaches, for the message. */
const WITHIN: Partial<Record<GrantScope['kind'], string>> = {
  project: 'in the project',
  folder: 'in the folder and every project under it',
  organization: 'in the organization and everything under it',
  unknown: 'where it is applied',
};

/**
 * `roles/owner` and `roles/editor` granted on a project, folder or organization (checkov
 * CKV_GCP_115/116/117, trivy AVD-GCP-0007), or in an IAM policy document the file does not apply
 * (a policy that binds a basic role is meant for a project). On one resource (a bucket, a service
 * account) the grant stops at that resource: `roles/owner` there is a warning, since it can still
 * hand out access to it; `roles/editor` there is full control of one resource, which is what its
 * deployer needs, and is not reported. `roles/viewer` is a basic role but not admin. A role from
 * a variable cannot be judged where it is written.
 */
export function gcpAdminAccess(facts: Facts): RuleFinding<GcpAdminAccess>[] {
  const findings: RuleFinding<GcpAdminAccess>[] = [];
  for (const grant of facts.roleGrants) {
    if (grant.cloud !== 'gcp' || grant.role.computed) continue;
    const role = grant.role.value.trim();
    const grants = GCP_ADMIN_ROLES.get(role);
    if (!grants) continue;
    const broad = isBroadScope(grant.scope) || grant.scope.kind === 'unknown';
    if (!broad && role !== 'roles/owner') continue;
    let severity: Severity = broad ? 'error' : 'warning';
    const condition = narrowingCondition(grant);
    if (condition) severity = lower(severity);
    const where = grant.scope.kind === 'unknown' ? 'wherever this policy is applied (no google_*_iam_policy of this file applies it)' : `on ${scopeText(grant.scope)}`;
    const what = broad ? grants.replace('{in}', WITHIN[grant.scope.kind] ?? 'in its scope') : 'every permission on it, including granting access to it to anyone';
    const instead = broad
      ? 'Grant the predefined roles of the services it uses instead, or a custom role with the permissions it needs.'
      : "Grant the predefined role of the resource's service that does what the member needs instead.";
    findings.push({
      span: grant.role.span,
      ...(severity !== 'error' ? { severity } : {}),
      message: `${grantName(grant)} grants ${role} ${where} to ${membersText(grant.members)}: ${what}.${narrowedNote(condition, severity)} ${instead}`,
      about: grant,
    });
  }
  return findings;
}

