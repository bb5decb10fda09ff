import type { CustomRole, Facts, GrantScope, RoleGrant, RolePermissions, ValueAt } from '../../facts/model';
import { azureBuiltInRoleById } from '../../iam/azure-roles';
import { valueAt } from './iam';
import { literalString, type TerraformFile, type TfBlock, type TfExpr } from './model';

/**
 * Google Cloud and Azure roles in Terraform: who is granted which role where (GCP
 * `google_*_iam_member|binding|policy` and the `binding {}` blocks of `data "google_iam_policy"`,
 * Azure `azurerm_role_assignment`), and the custom roles a file defines
 * (`google_project_iam_custom_role`, `google_organization_iam_custom_role`,
 * `azurerm_role_definition`). What the roles mean is `iam/`'s.
 */
export function terraformCloudRoleFacts(file: TerraformFile): Pick<Facts, 'roleGrants' | 'customRoles'> {
  const roleGrants: RoleGrant[] = [];
  const customRoles: CustomRole[] = [];
  // `data "google_iam_policy" "x"` is granted where a `google_*_iam_policy` applies its policy_data.
  const policyConsumers = new Map<string, GrantScope[]>();
  const roleDefinitionData = new Map<string, TfBlock>();
  for (const block of file.blocks) {
    const [type = '', name = ''] = block.labels;
    if (block.type === 'data' && type === 'azurerm_role_definition') roleDefinitionData.set(name, block);
    if (block.type !== 'resource' || !GCP_IAM_RESOURCE.test(type)) continue;
    const policy = GCP_IAM_RESOURCE.exec(type)![2] === 'policy' ? block.attribute('policy_data')?.value : undefined;
    const source = policy && /^data\.google_iam_policy\.([A-Za-z0-9_-]+)\.policy_data$/.exec(referenceText(policy) ?? '')?.[1];
    if (source) policyConsumers.set(source, [...(policyConsumers.get(source) ?? []), gcpScope(block, type)]);
  }

  for (const block of file.blocks) {
    const [type = '', name = ''] = block.labels;
    if (block.type === 'data' && type === 'google_iam_policy') {
      const scope = widest(policyConsumers.get(name) ?? []);
      for (const binding of block.blocks('binding')) {
        const grant = gcpGrant(binding, type, name, scope, binding.headerSpan);
        if (grant) roleGrants.push(grant);
      }
      continue;
    }
    if (block.type !== 'resource') continue;
    const iam = GCP_IAM_RESOURCE.exec(type);
    if (iam) {
      const scope = gcpScope(block, type);
      if (iam[2] !== 'policy') {
        const grant = gcpGrant(block, type, name, scope, block.headerSpan);
        if (grant) roleGrants.push(grant);
      } else roleGrants.push(...inlinePolicyGrants(block, type, name, scope));
    } else if (type === 'google_project_iam_custom_role' || type === 'google_organization_iam_custom_role') {
      const project = type === 'google_project_iam_custom_role';
      const where = block.attribute(project ? 'project' : 'org_id')?.value;
      const roleId = literalString(block.attribute('role_id')?.value);
      customRoles.push({
        cloud: 'gcp',
        resourceType: type,
        name,
        anchor: block.headerSpan,
        ...(roleId ? { roleName: roleId } : {}),
        scope: { kind: project ? 'project' : 'organization', ...(where ? { value: valueAt(where) } : {}) },
        permissions: [{ actions: values(block.attribute('permissions')?.value), notActions: [], dataActions: [], notDataActions: [] }],
        assignableScopes: [],
      });
    } else if (AZURE_ROLE_ASSIGNMENTS.has(type)) {
      roleGrants.push(azureGrant(block, type, name, roleDefinitionData));
    } else if (type === 'azurerm_role_definition') {
      customRoles.push(azureRoleDefinition(block, name));
    }
  }
  return { roleGrants, customRoles };
}

/** `google_<resource>_iam_member`, `_binding`, `_policy`: group 1 is what they grant on. */
const GCP_IAM_RESOURCE = /^google_([a-z0-9_]+?)_iam_(member|binding|policy)$/;

/** The attribute that names the granted-on resource of each hierarchy level. */
const GCP_HIERARCHY: Readonly<Record<string, { kind: GrantScope['kind']; attribute: string }>> = {
  project: { kind: 'project', attribute: 'project' },
  folder: { kind: 'folder', attribute: 'folder' },
  organization: { kind: 'organization', attribute: 'org_id' },
  service_account: { kind: 'service-account', attribute: 'service_account_id' },
};

/** Arguments of a resource-level IAM block that are not the resource's name. */
const GCP_GRANT_ARGUMENTS = new Set(['role', 'member', 'members', 'policy_data', 'project', 'location', 'region', 'zone', 'condition']);

function gcpScope(block: TfBlock, type: string): GrantScope {
  const target = GCP_IAM_RESOURCE.exec(type)?.[1] ?? '';
  const level = GCP_HIERARCHY[target];
  if (level) {
    const value = block.attribute(level.attribute)?.value;
    return { kind: level.kind, ...(value ? { value: valueAt(value) } : {}) };
  }
  // A bucket, a topic, a secret…: its name is the first argument that is not part of the grant.
  const named = block.attributes().find((a) => !GCP_GRANT_ARGUMENTS.has(a.name));
  return { kind: 'resource', resourceType: `google_${target}`, ...(named ? { value: valueAt(named.value) } : {}) };
}

/** Wider first: a policy applied at several levels is judged where it reaches furthest. */
const SCOPE_BREADTH: readonly GrantScope['kind'][] = ['organization', 'management-group', 'folder', 'subscription', 'project', 'resource-group', 'service-account', 'resource'];

function widest(scopes: readonly GrantScope[]): GrantScope {
  if (scopes.length === 0) return { kind: 'unknown' };
  return [...scopes].sort((a, b) => SCOPE_BREADTH.indexOf(a.kind) - SCOPE_BREADTH.indexOf(b.kind))[0]!;
}

/** A `role` with `member`/`members` and an optional `condition {}`: an IAM member or binding resource, or a policy's `binding {}`. */
function gcpGrant(block: TfBlock, resourceType: string, name: string, scope: GrantScope, anchor: RoleGrant['anchor']): RoleGrant | undefined {
  const role = block.attribute('role')?.value;
  if (!role) return undefined;
  const members = block.attribute('members')?.value ?? block.attribute('member')?.value;
  const condition = block.blocks('condition')[0];
  const expression = condition?.attribute('expression')?.value;
  const title = literalString(condition?.attribute('title')?.value);
  const custom = customRoleReference(role, /(?<![\w.])google_(?:project|organization)_iam_custom_role\.([A-Za-z0-9_-]+)\.(?:id|name)\b/);
  return {
    cloud: 'gcp',
    resourceType,
    name,
    anchor,
    scope,
    role: valueAt(role),
    ...(custom ? { customRole: custom } : {}),
    members: values(members),
    ...(condition ? { condition: { ...(expression ? { expression: valueAt(expression) } : {}), ...(title ? { title } : {}) } } : {}),
  };
}

/** `policy_data = jsonencode({ bindings = [{ role = …, members = […] }] })`, written in place. */
function inlinePolicyGrants(block: TfBlock, resourceType: string, name: string, scope: GrantScope): RoleGrant[] {
  const data = block.attribute('policy_data')?.value;
  const document = data?.kind === 'call' && data.name === 'jsonencode' ? data.args[0] : undefined;
  if (document?.kind !== 'object') return [];
  const bindings = document.entries.find((e) => e.key === 'bindings')?.value;
  if (bindings?.kind !== 'tuple') return [];
  const grants: RoleGrant[] = [];
  for (const binding of bindings.items) {
    if (binding.kind !== 'object') continue;
    const role = binding.entries.find((e) => e.key === 'role')?.value;
    if (!role) continue;
    grants.push({ cloud: 'gcp', resourceType, name, anchor: block.headerSpan, scope, role: valueAt(role), members: values(binding.entries.find((e) => e.key === 'members')?.value) });
  }
  return grants;
}

// ---------------------------------------------------------------------------------------------
// Azure

/** Standing role assignments. PIM *eligible* assignments are not: they grant nothing until activated, for a time, with approval. */
const AZURE_ROLE_ASSIGNMENTS = new Set(['azurerm_role_assignment', 'azurerm_pim_active_role_assignment']);

function azureGrant(block: TfBlock, resourceType: string, name: string, roleDefinitionData: ReadonlyMap<string, TfBlock>): RoleGrant {
  const byName = block.attribute('role_definition_name')?.value;
  const byId = block.attribute('role_definition_id')?.value;
  const role = byName ?? byId;
  const scope = block.attribute('scope')?.value;
  const principal = block.attribute('principal_id')?.value;
  const condition = block.attribute('condition')?.value;
  let roleName: string | undefined;
  let custom: string | undefined;
  if (!byName && byId) {
    const literal = byId.kind === 'string' ? byId.value : undefined;
    roleName = literal !== undefined ? azureBuiltInRoleById(literal)?.name : undefined;
    // `data.azurerm_role_definition.owner.id`, where the data source names a built-in role.
    const data = /^data\.azurerm_role_definition\.([A-Za-z0-9_-]+)\.(?:id|role_definition_id)$/.exec(referenceText(byId) ?? '')?.[1];
    const source = data ? roleDefinitionData.get(data) : undefined;
    if (source) {
      const idOfSource = literalString(source.attribute('role_definition_id')?.value);
      roleName = literalString(source.attribute('name')?.value) ?? (idOfSource ? azureBuiltInRoleById(idOfSource)?.name : undefined);
    }
    custom = customRoleReference(byId, /(?<![\w.])azurerm_role_definition\.([A-Za-z0-9_-]+)\.(?:id|role_definition_id|role_definition_resource_id)\b/);
  }
  return {
    cloud: 'azure',
    resourceType,
    name,
    anchor: block.headerSpan,
    scope: scope ? azureScope(scope) : { kind: 'unknown' },
    role: role ? valueAt(role) : { value: '', span: block.headerSpan, computed: true },
    ...(roleName ? { roleName } : {}),
    ...(custom ? { customRole: custom } : {}),
    members: principal ? [valueAt(principal)] : [],
    ...(condition ? { condition: { expression: valueAt(condition) } } : {}),
  };
}

function azureRoleDefinition(block: TfBlock, name: string): CustomRole {
  const scopeExpr = block.attribute('scope')?.value;
  const scope: GrantScope = scopeExpr ? azureScope(scopeExpr) : { kind: 'unknown' };
  const assignable = block.attribute('assignable_scopes')?.value;
  const listed = assignable?.kind === 'tuple' ? assignable.items.map(azureScope) : assignable ? [azureScope(assignable)] : [];
  const roleName = literalString(block.attribute('name')?.value);
  const permissions: RolePermissions[] = block.blocks('permissions').map((p) => ({
    actions: values(p.attribute('actions')?.value),
    notActions: values(p.attribute('not_actions')?.value),
    dataActions: values(p.attribute('data_actions')?.value),
    notDataActions: values(p.attribute('not_data_actions')?.value),
  }));
  return {
    cloud: 'azure',
    resourceType: 'azurerm_role_definition',
    name,
    anchor: block.headerSpan,
    ...(roleName ? { roleName } : {}),
    scope,
    permissions,
    // azurerm adds the definition's own scope when none is listed.
    assignableScopes: listed.length > 0 ? listed : [scope],
  };
}

/**
 * The scope an ARM id names, written literally (`/subscriptions/…/resourceGroups/…`), as a
 * template (`"/subscriptions/${var.subscription_id}"`, `"${data.azurerm_subscription.primary.id}/resourceGroups/x"`)
 * or as a reference to what it is the id of (`azurerm_resource_group.app.id`).
 */
export function azureScope(expr: TfExpr): GrantScope {
  const value = valueAt(expr);
  if (expr.kind === 'reference') return { ...referenceScope(expr.text), value };
  if (expr.kind !== 'string') return { kind: 'unknown', value };
  let path = expr.value.trim();
  let base: GrantScope['kind'] | undefined;
  // A leading interpolation is the id of something; the rest of the path goes below it.
  const leading = /^\$\{([^{}]*)\}/.exec(path);
  if (leading) {
    const scope = referenceScope(leading[1]!.trim());
    if (scope.kind === 'unknown') return { kind: 'unknown', value };
    base = scope.kind;
    path = path.slice(leading[0].length);
    if (path === '') return { ...scope, value };
  }
  return { ...armPathScope(path.replace(/\$\{[^{}]*\}/g, 'X'), base), value };
}

/** What kind of ARM id a Terraform reference is the id of. */
function referenceScope(reference: string): Omit<GrantScope, 'value'> {
  const match = /^(data\.)?(azurerm_[a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.id$/.exec(reference);
  if (!match) return { kind: 'unknown' };
  const type = match[2]!;
  if (type === 'azurerm_subscription') return match[1] ? { kind: 'subscription' } : { kind: 'unknown' }; // the resource's id is its alias's
  if (type === 'azurerm_management_group') return { kind: 'management-group' };
  if (type === 'azurerm_resource_group') return { kind: 'resource-group' };
  if (type === 'azurerm_client_config' || type === 'azurerm_role_definition') return { kind: 'unknown' };
  return { kind: 'resource', resourceType: type };
}

/**
 * `/` (the tenant root group), `/providers/Microsoft.Management/managementGroups/G`,
 * `/subscriptions/S`, `…/resourceGroups/R`, and anything with `providers/NS/TYPE/NAME` below
 * those, a resource. `base` is what a leading interpolation already named.
 */
function armPathScope(path: string, base: GrantScope['kind'] | undefined): Omit<GrantScope, 'value'> {
  const parts = path.split('/').filter((p) => p !== '');
  const resource = (from: number): Omit<GrantScope, 'value'> => {
    const provider = parts[from]?.toLowerCase() === 'providers' ? parts.slice(from + 1, from + 3).join('/') : '';
    return provider.includes('/') ? { kind: 'resource', resourceType: provider } : { kind: 'unknown' };
  };
  let kind = base;
  let i = 0;
  if (kind === undefined) {
    if (parts.length === 0) return path.trim() === '/' ? { kind: 'management-group' } : { kind: 'unknown' };
    const first = parts[0]!.toLowerCase();
    if (first === 'subscriptions' && parts.length >= 2) {
      kind = 'subscription';
      i = 2;
    } else if (first === 'providers' && parts[1]?.toLowerCase() === 'microsoft.management' && parts[2]?.toLowerCase() === 'managementgroups' && parts.length >= 4) {
      return parts.length === 4 ? { kind: 'management-group' } : { kind: 'unknown' };
    } else return { kind: 'unknown' };
  }
  if (i >= parts.length) return { kind };
  if (kind === 'subscription' && parts[i]!.toLowerCase() === 'resourcegroups' && parts.length >= i + 2) {
    return i + 2 === parts.length ? { kind: 'resource-group' } : resource(i + 2);
  }
  if (kind === 'subscription' || kind === 'resource-group') return resource(i);
  return { kind: 'unknown' };
}

// ---------------------------------------------------------------------------------------------

/** The items of a list as written, or the one value (a variable: computed) when it is not a list. */
function values(expr: TfExpr | undefined): ValueAt[] {
  if (!expr) return [];
  return expr.kind === 'tuple' ? expr.items.map(valueAt) : [valueAt(expr)];
}

/** The traversal a value is: `data.x.y.z`, or `"${data.x.y.z}"` alone in a string. */
function referenceText(expr: TfExpr): string | undefined {
  if (expr.kind === 'reference') return expr.text;
  if (expr.kind === 'string' && expr.template) return /^\$\{\s*([^{}]*?)\s*\}$/.exec(expr.value)?.[1];
  return undefined;
}

/** The Terraform name of the custom role of this file a role value refers to. */
function customRoleReference(expr: TfExpr, pattern: RegExp): string | undefined {
  const text = expr.kind === 'reference' || expr.kind === 'other' ? expr.text : expr.kind === 'string' ? expr.value : '';
  return pattern.exec(text)?.[1];
}
