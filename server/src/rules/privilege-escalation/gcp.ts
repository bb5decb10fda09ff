import type { Severity } from '../../core/finding';
import type { CustomRole, Facts, RoleGrant, ValueAt } from '../../facts/model';
import { GCP_ESCALATION_COMBINATIONS, GCP_ESCALATION_PERMISSIONS, GCP_ESCALATION_ROLES } from '../../iam/gcp-roles';
import type { RuleFinding } from '../rule';
import { grantName, isBroadScope, lower, membersText, narrowedNote, narrowingCondition, scopeText } from '../role-grants';

/** What a Google Cloud privilege-escalation finding is about: a grant, or a custom role that escalates wherever it is granted. */
export type GcpPrivilegeEscalation = RoleGrant | CustomRole;

/**
 * Grants and custom roles that let a principal raise its own privileges (Rhino Security Labs'
 * GCP methods, `iam/gcp-roles.ts`):
 *
 * - a custom role holding a permission that acts on the project, folder or organization (set its
 *   IAM policy, update its custom roles, deploy as a privileged service agent), or one of the
 *   `iam.serviceAccounts.actAs` combinations: reported on the role, at the first such permission,
 *   wherever it is granted;
 * - a predefined role that holds such a permission, or one that acts on service accounts
 *   (`roles/iam.serviceAccountUser`, `roles/iam.serviceAccountTokenCreator`: checkov CKV_GCP_41,
 *   CKV_GCP_49), granted on a project, folder or organization — there it covers every service
 *   account under it, including more privileged ones and ones created later. Granted on one
 *   service account, it is the ordinary way to impersonate that one account, and is not reported;
 * - a custom role of the same file holding service-account permissions, granted on a project,
 *   folder or organization: reported on the grant.
 *
 * An IAM condition on resource names, or one that limits which roles may be granted, lowers the
 * finding to a warning.
 */
export function gcpPrivilegeEscalation(facts: Facts): RuleFinding<GcpPrivilegeEscalation>[] {
  const findings: RuleFinding<GcpPrivilegeEscalation>[] = [];
  const reportedRoles = new Set<string>();
  for (const role of facts.customRoles) {
    if (role.cloud !== 'gcp') continue;
    const finding = escalatingRole(role);
    if (!finding) continue;
    findings.push(finding);
    reportedRoles.add(role.name);
  }
  for (const grant of facts.roleGrants) {
    if (grant.cloud !== 'gcp' || !(isBroadScope(grant.scope) || grant.scope.kind === 'unknown')) continue;
    const predefined = grant.role.computed ? undefined : GCP_ESCALATION_ROLES.get(grant.role.value.trim());
    if (!predefined && grant.customRole === undefined) continue;
    const where = grant.scope.kind === 'unknown' ? 'wherever this policy is applied' : `on ${scopeText(grant.scope)}`;
    let severity: Severity = 'error';
    const condition = narrowingCondition(grant);
    if (condition) severity = lower(severity);
    if (predefined) {
      const instead =
        predefined.instead ??
        (predefined.reach === 'serviceAccount'
          ? 'Grant it on the one service account it must use (google_service_account_iam_member) instead.'
          : 'Keep it for the administrators who manage access, or add a condition that limits the roles it may grant (iam.googleapis.com/modifiedGrantsByRole).');
      findings.push({
        span: grant.role.span,
        ...(severity !== 'error' ? { severity } : {}),
        message: `${grantName(grant)} grants ${grant.role.value.trim()} ${where} to ${membersText(grant.members)}. Its ${predefined.permission} lets the member ${predefined.does}, and so take on privileges it was not granted.${narrowedNote(condition, severity)} ${instead}`,
        about: grant,
      });
      continue;
    }
    const custom = grant.customRole !== undefined && !reportedRoles.has(grant.customRole) ? facts.customRoles.find((r) => r.cloud === 'gcp' && r.name === grant.customRole) : undefined;
    const held = custom ? escalationPermissions(custom).filter((p) => GCP_ESCALATION_PERMISSIONS.get(p.value)?.reach === 'serviceAccount') : [];
    if (held.length === 0) continue;
    findings.push({
      span: grant.role.span,
      ...(severity !== 'error' ? { severity } : {}),
      message: `${grantName(grant)} grants custom role "${custom!.roleName ?? custom!.name}" ${where} to ${membersText(grant.members)}. Its ${held.map((p) => p.value).join(', ')} there lets the member ${GCP_ESCALATION_PERMISSIONS.get(held[0]!.value)!.does} — every service account under it — and so take on privileges it was not granted.${narrowedNote(condition, severity)} Grant the role on the one service account it must use instead.`,
      related: held.map((p) => ({ span: p.span, message: `${p.value} is granted by this custom role.` })),
      about: grant,
    });
  }
  return findings;
}

/** The permissions of a custom role that are in the escalation table, as written. */
function escalationPermissions(role: CustomRole): ValueAt[] {
  return (role.permissions[0]?.actions ?? []).filter((p) => !p.computed && GCP_ESCALATION_PERMISSIONS.has(p.value));
}

/** A custom role that escalates wherever it is granted: a hierarchy permission, or a complete actAs combination. */
function escalatingRole(role: CustomRole): RuleFinding<GcpPrivilegeEscalation> | undefined {
  const written = new Map<string, ValueAt>();
  for (const p of role.permissions[0]?.actions ?? []) if (!p.computed && !written.has(p.value)) written.set(p.value, p);
  const reasons: { at: ValueAt; does: string; named: string; advice: string }[] = [];
  for (const p of written.values()) {
    const escalation = GCP_ESCALATION_PERMISSIONS.get(p.value);
    if (escalation?.reach === 'hierarchy') reasons.push({ at: p, does: escalation.does, named: p.value, advice: 'Remove it unless the role is meant for administrators of access.' });
  }
  for (const combination of GCP_ESCALATION_COMBINATIONS) {
    if (!combination.permissions.every((p) => written.has(p))) continue;
    // Rhino's sets are long; the first permission and actAs say what the set is.
    reasons.push({ at: written.get(combination.permissions[0]!)!, does: combination.does, named: `${combination.permissions[0]} with iam.serviceAccounts.actAs`, advice: 'Take iam.serviceAccounts.actAs out of the role and grant roles/iam.serviceAccountUser on the one service account the workload runs as.' });
  }
  if (reasons.length === 0) return undefined;
  reasons.sort((a, b) => a.at.span.start - b.at.span.start);
  const first = reasons[0]!;
  const others = reasons.slice(1).filter((r) => r.at !== first.at);
  const also = others.length > 0 ? ` It also holds ${others.map((r) => r.named).join('; ')}.` : '';
  return {
    span: first.at.span,
    message: `${role.resourceType} "${role.roleName ?? role.name}" holds ${first.named}: whoever is granted it can ${first.does}, and so raise its own privileges.${also} ${first.advice}`,
    ...(others.length > 0 ? { related: others.map((r) => ({ span: r.at.span, message: `${r.named}: ${r.does}.` })) } : {}),
    about: role,
  };
}
