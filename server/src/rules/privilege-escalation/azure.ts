import type { Severity } from '../../core/finding';
import type { CustomRole, Facts, RoleGrant } from '../../facts/model';
import { AZURE_ESCALATION_ACTIONS, azureActionCovers, azureBuiltInRole } from '../../iam/azure-roles';
import type { RuleFinding } from '../rule';
import { grantName, isBroadScope, lower, membersText, narrowedNote, narrowingCondition, scopeText } from '../role-grants';

/** What an Azure privilege-escalation finding is about: a role assignment, or a role definition. */
export type AzurePrivilegeEscalation = RoleGrant | CustomRole;

/** The built-in role that exists to assign roles, short of User Access Administrator (which is admin-access). */
const RBAC_ADMINISTRATOR = 'role based access control administrator';

/**
 * Azure grants that let the holder raise its own privileges:
 *
 * - a custom role (`azurerm_role_definition`) whose actions cover writing role assignments or
 *   role definitions, or elevating access (`Microsoft.Authorization/*`,
 *   `Microsoft.Authorization/roleAssignments/write`…), less what its not_actions take out. A block
 *   that allows `*` is admin-access's, not reported again here. Error where it can be assigned at
 *   a subscription or management group, or at a scope the file does not show; warning below;
 * - Role Based Access Control Administrator assigned without a condition on the roles it may
 *   assign: it can assign Owner to itself. Error at subscription or management-group scope,
 *   warning at a resource group or resource; a condition lowers it one step; a scope from a
 *   variable is not judged (as for admin-access).
 */
export function azurePrivilegeEscalation(facts: Facts): RuleFinding<AzurePrivilegeEscalation>[] {
  const findings: RuleFinding<AzurePrivilegeEscalation>[] = [];
  for (const role of facts.customRoles) {
    if (role.cloud !== 'azure') continue;
    const scopes = role.assignableScopes.filter((s) => s.kind !== 'unknown');
    const widest = scopes.find(isBroadScope) ?? scopes[0];
    const severity: Severity = !widest || isBroadScope(widest) ? 'error' : 'warning';
    for (const permissions of role.permissions) {
      if (permissions.actions.some((a) => !a.computed && a.value.trim() === '*')) continue;
      const hit = AZURE_ESCALATION_ACTIONS.map((escalation) => ({
        escalation,
        at: permissions.actions.find((a) => !a.computed && azureActionCovers(a.value, escalation.action)),
      })).find((h) => h.at && !permissions.notActions.some((n) => !n.computed && azureActionCovers(n.value, h.escalation.action)));
      if (!hit?.at) continue;
      findings.push({
        span: hit.at.span,
        ...(severity !== 'error' ? { severity } : {}),
        message: `azurerm_role_definition "${role.name}" allows ${hit.at.value.trim()}${widest ? `, assignable at ${scopeText(widest)}` : ''}: whoever holds it can ${hit.escalation.does}. Leave role assignments to administrators; if the identity must assign roles, assign it Role Based Access Control Administrator with a condition that limits the roles it may assign.`,
        about: role,
      });
      break;
    }
  }
  for (const grant of facts.roleGrants) {
    if (grant.cloud !== 'azure' || grant.scope.kind === 'unknown') continue;
    const written = grant.roleName ?? (grant.role.computed ? undefined : grant.role.value);
    if (written?.trim().toLowerCase() !== RBAC_ADMINISTRATOR) continue;
    let severity: Severity = isBroadScope(grant.scope) ? 'error' : 'warning';
    const condition = narrowingCondition(grant);
    if (condition) severity = lower(severity);
    findings.push({
      span: grant.role.span,
      ...(severity !== 'error' ? { severity } : {}),
      message: `${grantName(grant)} assigns ${azureBuiltInRole(written)!.name} at ${scopeText(grant.scope)} to ${membersText(grant.members)}: it can assign any role there, Owner to itself included.${narrowedNote(condition, severity)}${condition ? '' : ' Add a condition that limits the roles and principals it may assign (Microsoft\'s "delegate role assignment management with conditions").'}`,
      about: grant,
    });
  }
  return findings;
}
