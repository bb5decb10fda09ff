/**
 * What Azure built-in roles and role-definition actions mean, for the over-privilege rules and
 * hovers: a small reviewed table. Source: Microsoft Learn, "Azure built-in roles"
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), which gives each
 * role's name, id (the GUID every subscription shares) and description.
 */

export interface AzureBuiltInRole {
  name: string;
  /** The role definition's GUID, where a row needs it (the roles a rule judges). */
  id?: string;
  /** What it grants, in one line. */
  grants: string;
}

const BUILT_IN_ROLES: readonly AzureBuiltInRole[] = [
  { name: 'Owner', id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', grants: 'Full access to manage all resources, including assigning roles in Azure RBAC (actions `*`).' },
  { name: 'Contributor', id: 'b24988ac-6180-42a0-ab88-20f7382dd24c', grants: 'Full access to manage all resources (actions `*`), but not assigning roles in Azure RBAC, managing Blueprints assignments or sharing image galleries.' },
  { name: 'Reader', id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', grants: 'View all resources; no changes.' },
  { name: 'User Access Administrator', id: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', grants: 'Manage user access to Azure resources: assign any role, Owner included.' },
  { name: 'Role Based Access Control Administrator', id: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168', grants: 'Manage access to Azure resources by assigning roles in Azure RBAC (conditions can limit which roles and principals).' },
  { name: 'Managed Identity Operator', grants: 'Read and assign user-assigned managed identities (attach them to resources).' },
  { name: 'Managed Identity Contributor', grants: 'Create, read, update and delete user-assigned managed identities.' },
  { name: 'Key Vault Administrator', grants: 'All data-plane operations on a key vault and its keys, secrets and certificates.' },
  { name: 'Key Vault Secrets User', grants: 'Read secret contents.' },
  { name: 'Key Vault Secrets Officer', grants: 'Any action on the secrets of a key vault, except managing permissions.' },
  { name: 'Storage Account Contributor', grants: 'Manage storage accounts, including their access keys (so their data).' },
  { name: 'Storage Blob Data Owner', grants: 'Full access to blob containers and data, including POSIX access control.' },
  { name: 'Storage Blob Data Contributor', grants: 'Read, write and delete blob containers and data.' },
  { name: 'Storage Blob Data Reader', grants: 'Read and list blob containers and data.' },
  { name: 'AcrPush', grants: 'Push and pull container images.' },
  { name: 'AcrPull', grants: 'Pull container images.' },
  { name: 'Website Contributor', grants: 'Manage websites (App Service apps), not the plans they run on.' },
  { name: 'Azure Kubernetes Service Cluster Admin Role', grants: 'List the cluster admin credential of AKS clusters.' },
  { name: 'Azure Kubernetes Service Cluster User Role', grants: 'List the cluster user credential of AKS clusters.' },
  { name: 'Virtual Machine Contributor', grants: 'Manage virtual machines, not access to them nor the network and storage they connect to.' },
  { name: 'Network Contributor', grants: 'Manage networks, not access to them.' },
  { name: 'Monitoring Reader', grants: 'Read all monitoring data.' },
  { name: 'Monitoring Metrics Publisher', grants: 'Publish metrics to Azure resources.' },
];

const BY_NAME = new Map(BUILT_IN_ROLES.map((role) => [role.name.toLowerCase(), role]));
const BY_ID = new Map(BUILT_IN_ROLES.filter((role) => role.id).map((role) => [role.id!, role]));

/** A built-in role by name; Azure matches role names without regard to case. */
export function azureBuiltInRole(name: string): AzureBuiltInRole | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/** The built-in role a role-definition id names (`/providers/Microsoft.Authorization/roleDefinitions/<guid>`, with any scope before it, or the GUID alone). */
export function azureBuiltInRoleById(id: string): AzureBuiltInRole | undefined {
  const guid = /(?:^|\/)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(id.trim())?.[1];
  return guid ? BY_ID.get(guid.toLowerCase()) : undefined;
}

/**
 * The built-in roles that administer everything in their scope (RULES.md, `admin-access`): Owner
 * and Contributor change every resource, User Access Administrator grants any role (Owner to
 * itself included). `delegates`: it can hand out access (write role assignments).
 */
export const AZURE_ADMIN_ROLES: ReadonlyMap<string, { delegates: boolean }> = new Map([
  ['owner', { delegates: true }],
  ['contributor', { delegates: false }],
  ['user access administrator', { delegates: true }],
]);

/**
 * Actions that let a role's holder raise its own privileges: write a role assignment (give itself
 * Owner), change a role definition it holds, or elevate to User Access Administrator of the whole
 * tenant. From the `Microsoft.Authorization` operations of Microsoft's "Azure resource provider
 * operations" reference; Contributor's `notActions` (`Microsoft.Authorization/*\/Write`,
 * `…/elevateAccess/Action`) exclude them for that reason.
 */
export const AZURE_ROLE_ASSIGNMENT_WRITE = 'Microsoft.Authorization/roleAssignments/write';

export const AZURE_ESCALATION_ACTIONS: readonly { action: string; does: string }[] = [
  { action: AZURE_ROLE_ASSIGNMENT_WRITE, does: 'assign any role, Owner to itself included' },
  { action: 'Microsoft.Authorization/roleDefinitions/write', does: 'add actions to the custom roles it holds' },
  { action: 'Microsoft.Authorization/elevateAccess/Action', does: 'make itself User Access Administrator of the whole tenant' },
];

/**
 * Whether an Azure action pattern (`Microsoft.Authorization/*`, `*\/write`) covers an action.
 * Azure matches operations without regard to case, with `*` for any run of characters. Matched
 * without a regular expression: a pattern comes from the file, and one with many stars would make
 * a backtracking regex take exponential time; this takes at most pattern × action steps.
 */
export function azureActionCovers(pattern: string, action: string): boolean {
  const p = pattern.trim().toLowerCase();
  const a = action.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < a.length) {
    if (i < p.length && p[i] === '*') {
      star = i++;
      resume = j;
    } else if (i < p.length && p[i] === a[j]) {
      i++;
      j++;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}
