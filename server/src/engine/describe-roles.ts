import type { Span } from '../core/text';
import type { Facts } from '../facts/model';
import { azureBuiltInRole } from '../iam/azure-roles';
import { GCP_ESCALATION_PERMISSIONS, GCP_ROLE_SUMMARIES } from '../iam/gcp-roles';

/**
 * What a GCP or Azure role named at a place grants, in one line, for hovers: on the role of a
 * grant (a GCP role, an Azure built-in role by name or id) and on a custom role's permission that
 * escalates. From the tables of `iam/gcp-roles.ts` (Google's IAM roles reference) and
 * `iam/azure-roles.ts` (Azure's built-in roles); a role they do not list gets no line.
 */
export function describeRolesAt(facts: Facts, offset: number): { span: Span; line: string }[] {
  const hits: { span: Span; line: string }[] = [];
  for (const grant of facts.roleGrants) {
    const span = grant.role.span;
    if (offset < span.start || offset > span.end) continue;
    if (grant.cloud === 'gcp') {
      const role = grant.role.value.trim();
      const summary = grant.role.computed ? undefined : GCP_ROLE_SUMMARIES.get(role);
      if (summary) hits.push({ span, line: `\`${role}\`: ${summary}` });
    } else {
      const role = azureBuiltInRole(grant.roleName ?? grant.role.value);
      if (role && (grant.roleName || !grant.role.computed)) hits.push({ span, line: `\`${role.name}\` (Azure built-in role${grant.roleName ? ', named by its id' : ''}): ${role.grants}` });
    }
  }
  for (const role of facts.customRoles) {
    if (role.cloud !== 'gcp' || offset < role.anchor.start) continue;
    for (const permission of role.permissions[0]?.actions ?? []) {
      if (offset < permission.span.start || offset > permission.span.end || permission.computed) continue;
      const escalation = GCP_ESCALATION_PERMISSIONS.get(permission.value);
      if (escalation) hits.push({ span: permission.span, line: `\`${permission.value}\` lets whoever holds it ${escalation.does}: a privilege-escalation path (Rhino Security Labs).` });
    }
  }
  return hits;
}
