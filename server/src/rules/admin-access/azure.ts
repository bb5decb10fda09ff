import type { Severity } from '../../core/finding';
import type { CustomRole, Facts, RoleGrant, RolePermissions } from '../../facts/model';
import { AZURE_ADMIN_ROLES, AZURE_ROLE_ASSIGNMENT_WRITE, azureActionCovers, azureBuiltInRole } from '../../iam/azure-roles';
import type { RuleFinding } from '../rule';
import { grantName, isBroadScope, lower, membersText, narrowedNote, narrowingCondition, scopeText } from '../role-grants';

/** What an Azure admin-access finding is about: a role assignment, or a role definition that allows every action. */
export type AzureAdminAccess = RoleGrant | CustomRole;

/**
 * Owner, Contributor and User Access Administrator assigned at subscription or management-group
 * scope (RULES.md), by name, by built-in role id, or through a `data "azurerm_role_definition"`.
 * At a resource group or one resource, Owner and User Access Administrator are warnings — they can
 * still hand out access there — and Contributor is not reported: it is the scoping Microsoft
 * recommends for a deployment identity. A scope from a variable or module input is decided by the
 * caller and is not reported, as trust conditions from variables are not. A role-assignment
 * condition that limits which roles the holder may assign lowers an error to a warning.
 *
 * A custom role (`azurerm_role_definition`) whose actions include `*` is the same grant written
 * out (checkov CKV_AZURE_39, trivy's limit-role-actions): judged like Owner, or like Contributor
 * when its not_actions take out writing role assignments, at the widest scope it can be assigned.
 */
export function azureAdminAccess(facts: Facts): RuleFinding<AzureAdminAccess>[] {
  const findings: RuleFinding<AzureAdminAccess>[] = [];
  for (const grant of facts.roleGrants) {
    if (grant.cloud !== 'azure' || grant.scope.kind === 'unknown') continue;
    const written = grant.roleName ?? (grant.role.computed ? undefined : grant.role.value);
    const admin = written ? AZURE_ADMIN_ROLES.get(written.trim().toLowerCase()) : undefined;
    if (!written || !admin) continue;
    const broad = isBroadScope(grant.scope);
    if (!broad && !admin.delegates) continue;
    let severity: Severity = broad ? 'error' : 'warning';
    const condition = admin.delegates ? narrowingCondition(grant) : undefined;
    if (condition) severity = lower(severity);
    const role = azureBuiltInRole(written);
    const name = role?.name ?? written.trim();
    const named = grant.roleName && grant.roleName !== grant.role.value ? `${name} (by its role definition id)` : name;
    const instead = broad
      ? 'Assign a narrower role (the built-in role of the service it manages, or a custom role) at the resource group or resource it works on.'
      : admin.delegates
        ? 'Assign Contributor, or the built-in role of the service it manages, unless it must grant access to others.'
        : '';
    findings.push({
      span: grant.role.span,
      ...(severity !== 'error' ? { severity } : {}),
      message: `${grantName(grant)} assigns ${named} at ${scopeText(grant.scope)} to ${membersText(grant.members)}. ${name} there means ${lowerFirst(role?.grants ?? 'full access to manage all resources.')}${narrowedNote(condition, severity)} ${instead}`.trimEnd(),
      about: grant,
    });
  }
  for (const role of facts.customRoles) {
    if (role.cloud !== 'azure') continue;
    const finding = wildcardRole(role);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** The first `permissions {}` block that allows `*`, judged at the widest scope the role can be assigned. */
function wildcardRole(role: CustomRole): RuleFinding<AzureAdminAccess> | undefined {
  for (const permissions of role.permissions) {
    const star = permissions.actions.find((a) => !a.computed && a.value.trim() === '*');
    if (!star) continue;
    const scopes = role.assignableScopes.filter((s) => s.kind !== 'unknown');
    const widest = scopes.find(isBroadScope) ?? scopes[0];
    if (!widest) return undefined;
    const broad = isBroadScope(widest);
    const delegates = !excludesDelegation(permissions);
    if (!broad && !delegates) return undefined;
    const severity: Severity = broad ? 'error' : 'warning';
    const like = delegates ? 'whoever holds it can do anything an Owner can, assigning roles (Owner to itself) included' : 'whoever holds it can change every resource, as a Contributor can';
    return {
      span: star.span,
      ...(severity !== 'error' ? { severity } : {}),
      message: `azurerm_role_definition "${role.name}" allows every action (\`*\`)${delegates ? '' : ' but writing role assignments'} and can be assigned at ${scopeText(widest)}: ${like}. List the actions it needs instead.`,
      ...(widest.value ? { related: [{ span: widest.value.span, message: `Assignable at ${scopeText(widest)}.` }] } : {}),
      about: role,
    };
  }
  return undefined;
}

/** not_actions that take out writing role assignments (Contributor's `Microsoft.Authorization/*\/Write`). */
function excludesDelegation(permissions: RolePermissions): boolean {
  return permissions.notActions.some((n) => !n.computed && azureActionCovers(n.value, AZURE_ROLE_ASSIGNMENT_WRITE));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
