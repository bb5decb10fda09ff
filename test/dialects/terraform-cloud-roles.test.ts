import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import type { Facts, GrantScope } from '../../server/src/facts/model';
import { createEngine } from '../../server/src/workspace/grammar';

/**
 * The GCP and Azure role reader (`dialects/terraform/cloud-roles.ts`): who is granted which role
 * where, and the custom roles a file defines, with the spans findings start on.
 */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function read(text: string, path = 'main.tf'): Facts {
  const facts = engine.facts({ path, text })?.facts;
  assert.ok(facts, 'the file is Terraform');
  return facts;
}

/** The text a span covers. */
const at = (text: string, span: { start: number; end: number }): string => text.slice(span.start, span.end);

const kind = (scope: GrantScope): string => `${scope.kind}${scope.resourceType ? ` ${scope.resourceType}` : ''}`;

describe('GCP grants', () => {
  test('members, bindings and policies, with their scope, role, members and condition', () => {
    const text = `resource "google_project_iam_member" "a" {
  project = "acme"
  role    = "roles/owner"
  member  = "user:jane@example.com"
}
resource "google_folder_iam_binding" "b" {
  folder  = "folders/1"
  role    = "roles/editor"
  members = ["group:a@example.com", var.member]
  condition {
    title      = "staging"
    expression = "resource.name.startsWith('x')"
  }
}
resource "google_organization_iam_member" "c" {
  org_id = "1"
  role   = "roles/viewer"
  member = "domain:example.com"
}
resource "google_service_account_iam_member" "d" {
  service_account_id = google_service_account.x.name
  role               = "roles/iam.serviceAccountUser"
  member             = "user:jane@example.com"
}
resource "google_storage_bucket_iam_binding" "e" {
  bucket  = "site"
  role    = "roles/storage.objectViewer"
  members = ["allUsers"]
}
resource "google_project_iam_member" "f" {
  role   = "roles/logging.logWriter"
  member = "serviceAccount:x@y.iam.gserviceaccount.com"
}
`;
    const grants = read(text).roleGrants;
    assert.deepEqual(grants.map((g) => [g.name, kind(g.scope), at(text, g.role.span)]), [
      ['a', 'project', '"roles/owner"'],
      ['b', 'folder', '"roles/editor"'],
      ['c', 'organization', '"roles/viewer"'],
      ['d', 'service-account', '"roles/iam.serviceAccountUser"'],
      ['e', 'resource google_storage_bucket', '"roles/storage.objectViewer"'],
      ['f', 'project', '"roles/logging.logWriter"'],
    ]);
    assert.deepEqual(grants[1]!.members.map((m) => [m.value, m.computed ?? false]), [['group:a@example.com', false], ['var.member', true]]);
    assert.equal(grants[1]!.condition?.title, 'staging');
    assert.equal(grants[1]!.condition?.expression?.value, "resource.name.startsWith('x')");
    assert.equal(grants[4]!.scope.value?.value, 'site');
    assert.equal(grants[5]!.scope.value, undefined, "the provider's default project");
    assert.equal(grants[3]!.scope.value?.computed, true);
  });

  test('a google_iam_policy document takes the widest scope of the policies that apply it, else none', () => {
    const text = `data "google_iam_policy" "p" {
  binding {
    role    = "roles/editor"
    members = ["user:a@example.com"]
  }
  binding {
    role    = "roles/viewer"
    members = ["user:b@example.com"]
  }
}
resource "google_storage_bucket_iam_policy" "bucket" {
  bucket      = "b"
  policy_data = data.google_iam_policy.p.policy_data
}
resource "google_project_iam_policy" "project" {
  project     = "acme"
  policy_data = data.google_iam_policy.p.policy_data
}
data "google_iam_policy" "loose" {
  binding {
    role    = "roles/owner"
    members = ["user:c@example.com"]
  }
}
`;
    const grants = read(text).roleGrants;
    assert.deepEqual(grants.map((g) => [g.resourceType, g.name, g.role.value, kind(g.scope), g.scope.value?.value]), [
      ['google_iam_policy', 'p', 'roles/editor', 'project', 'acme'],
      ['google_iam_policy', 'p', 'roles/viewer', 'project', 'acme'],
      ['google_iam_policy', 'loose', 'roles/owner', 'unknown', undefined],
    ]);
    // The binding's own first line anchors the grant.
    assert.equal(at(text, grants[0]!.anchor), 'binding {');
  });

  test('a policy written in place with jsonencode', () => {
    const text = `resource "google_project_iam_policy" "p" {
  project = "acme"
  policy_data = jsonencode({
    bindings = [{ role = "roles/owner", members = ["user:a@example.com"] }]
  })
}
`;
    const [grant] = read(text).roleGrants;
    assert.equal(grant?.role.value, 'roles/owner');
    assert.equal(kind(grant!.scope), 'project');
    assert.deepEqual(grant!.members.map((m) => m.value), ['user:a@example.com']);
  });

  test('custom roles and the grants that refer to them', () => {
    const text = `resource "google_project_iam_custom_role" "deployer" {
  role_id     = "deployer"
  title       = "Deployer"
  permissions = ["run.services.update", "iam.serviceAccounts.actAs"]
}
resource "google_organization_iam_custom_role" "auditor" {
  org_id      = "1"
  role_id     = "auditor"
  title       = "Auditor"
  permissions = ["resourcemanager.projects.getIamPolicy"]
}
resource "google_project_iam_member" "ci" {
  project = "acme"
  role    = google_project_iam_custom_role.deployer.id
  member  = "serviceAccount:ci@acme.iam.gserviceaccount.com"
}
resource "google_project_iam_member" "templated" {
  project = "acme"
  role    = "\${google_organization_iam_custom_role.auditor.name}"
  member  = "serviceAccount:ci@acme.iam.gserviceaccount.com"
}
`;
    const facts = read(text);
    assert.deepEqual(facts.customRoles.map((r) => [r.name, r.roleName, kind(r.scope), r.permissions[0]!.actions.map((a) => a.value)]), [
      ['deployer', 'deployer', 'project', ['run.services.update', 'iam.serviceAccounts.actAs']],
      ['auditor', 'auditor', 'organization', ['resourcemanager.projects.getIamPolicy']],
    ]);
    assert.equal(at(text, facts.customRoles[0]!.permissions[0]!.actions[1]!.span), '"iam.serviceAccounts.actAs"');
    assert.deepEqual(facts.roleGrants.map((g) => [g.customRole, g.role.computed]), [['deployer', true], ['auditor', true]]);
  });

  test('.tf.json reads the same', () => {
    const text = JSON.stringify({ resource: { google_project_iam_member: { a: { project: 'acme', role: 'roles/owner', member: 'user:a@example.com' } } } }, null, 2);
    const [grant] = read(text, 'main.tf.json').roleGrants;
    assert.equal(grant?.role.value, 'roles/owner');
    assert.equal(at(text, grant!.role.span), '"roles/owner"');
    assert.equal(kind(grant!.scope), 'project');
  });

  test('IAM resources that grant nothing are not grants', () => {
    const text = `resource "google_project_iam_audit_config" "a" {
  project = "acme"
  service = "allServices"
}
resource "google_project_iam_member_remove" "b" {
  project = "acme"
  role    = "roles/editor"
  member  = "serviceAccount:123-compute@developer.gserviceaccount.com"
}
`;
    assert.deepEqual(read(text).roleGrants, []);
  });
});

describe('Azure role assignments and definitions', () => {
  const scopeOf = (scope: string): string => {
    const text = `resource "azurerm_role_assignment" "a" {
  scope                = ${scope}
  role_definition_name = "Reader"
  principal_id         = "p"
}
`;
    const [grant] = read(text).roleGrants;
    return kind(grant!.scope);
  };

  test('scopes from ARM ids, templates and references', () => {
    const cases: [string, string][] = [
      ['"/"', 'management-group'],
      ['"/providers/Microsoft.Management/managementGroups/platform"', 'management-group'],
      ['"/subscriptions/00000000-0000-0000-0000-000000000000"', 'subscription'],
      ['"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app"', 'resource-group'],
      ['"/subscriptions/0/resourceGroups/app/providers/Microsoft.KeyVault/vaults/kv"', 'resource Microsoft.KeyVault/vaults'],
      ['"/subscriptions/${var.subscription_id}"', 'subscription'],
      ['"/subscriptions/${var.subscription_id}/resourceGroups/${var.rg}"', 'resource-group'],
      ['"${data.azurerm_subscription.primary.id}/resourceGroups/app"', 'resource-group'],
      ['"${azurerm_resource_group.app.id}/providers/Microsoft.Storage/storageAccounts/sa"', 'resource Microsoft.Storage/storageAccounts'],
      ['data.azurerm_subscription.primary.id', 'subscription'],
      ['data.azurerm_management_group.root.id', 'management-group'],
      ['azurerm_management_group.platform.id', 'management-group'],
      ['azurerm_resource_group.app.id', 'resource-group'],
      ['data.azurerm_resource_group.app.id', 'resource-group'],
      ['azurerm_key_vault.kv.id', 'resource azurerm_key_vault'],
      ['azurerm_storage_account.sa[0].id', 'resource azurerm_storage_account'],
      ['var.scope', 'unknown'],
      ['local.scope', 'unknown'],
      ['module.rg.id', 'unknown'],
      ['"${var.scope}"', 'unknown'],
      ['azurerm_subscription.alias.id', 'unknown'],
      ['"not-an-id"', 'unknown'],
    ];
    for (const [scope, expected] of cases) assert.equal(scopeOf(scope), expected, scope);
  });

  test('roles by name, by built-in id, through a data source, and custom roles of the file', () => {
    const text = `data "azurerm_role_definition" "owner" {
  name = "Owner"
}
data "azurerm_role_definition" "uaa" {
  role_definition_id = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
}
resource "azurerm_role_assignment" "by_name" {
  scope                = "/"
  role_definition_name = "Contributor"
  principal_id         = azuread_service_principal.ci.object_id
}
resource "azurerm_role_assignment" "by_id" {
  scope              = "/"
  role_definition_id = "/subscriptions/0/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C"
  principal_id       = "p"
}
resource "azurerm_role_assignment" "by_data" {
  scope              = "/"
  role_definition_id = data.azurerm_role_definition.owner.id
  principal_id       = "p"
}
resource "azurerm_role_assignment" "by_data_id" {
  scope              = "/"
  role_definition_id = data.azurerm_role_definition.uaa.role_definition_id
  principal_id       = "p"
}
resource "azurerm_role_assignment" "custom" {
  scope              = "/"
  role_definition_id = azurerm_role_definition.deployer.role_definition_resource_id
  principal_id       = "p"
  condition          = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})))"
  condition_version  = "2.0"
}
resource "azurerm_pim_active_role_assignment" "pim" {
  scope              = "/"
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
  principal_id       = "p"
}
`;
    const grants = read(text).roleGrants;
    assert.deepEqual(grants.map((g) => [g.name, g.roleName ?? g.role.value, g.customRole]), [
      ['by_name', 'Contributor', undefined],
      ['by_id', 'Contributor', undefined],
      ['by_data', 'Owner', undefined],
      ['by_data_id', 'User Access Administrator', undefined],
      ['custom', 'azurerm_role_definition.deployer.role_definition_resource_id', 'deployer'],
      ['pim', 'Owner', undefined],
    ]);
    assert.equal(grants[0]!.members[0]!.value, 'azuread_service_principal.ci.object_id');
    assert.match(grants[4]!.condition?.expression?.value ?? '', /roleAssignments/);
  });

  test('role definitions: permission blocks, and the definition scope when no assignable scope is listed', () => {
    const text = `resource "azurerm_role_definition" "a" {
  name  = "a"
  scope = data.azurerm_subscription.primary.id
  permissions {
    actions          = ["*"]
    not_actions      = ["Microsoft.Authorization/*/Write"]
    data_actions     = ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]
    not_data_actions = []
  }
}
resource "azurerm_role_definition" "b" {
  name              = "b"
  scope             = "/subscriptions/0/resourceGroups/app"
  assignable_scopes = ["/subscriptions/0/resourceGroups/app", "/"]
  permissions {
    actions = ["Microsoft.Web/sites/read"]
  }
}
`;
    const [a, b] = read(text).customRoles;
    assert.equal(a?.roleName, 'a');
    assert.deepEqual(a!.permissions.map((p) => [p.actions.map((x) => x.value), p.notActions.map((x) => x.value), p.dataActions.length, p.notDataActions.length]), [[['*'], ['Microsoft.Authorization/*/Write'], 1, 0]]);
    assert.deepEqual(a!.assignableScopes.map(kind), ['subscription']);
    assert.deepEqual(b!.assignableScopes.map(kind), ['resource-group', 'management-group']);
    assert.equal(kind(b!.scope), 'resource-group');
  });

  test('PIM eligible assignments grant nothing until activated', () => {
    const text = `resource "azurerm_pim_eligible_role_assignment" "a" {
  scope              = "/"
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
  principal_id       = "p"
}
`;
    assert.deepEqual(read(text).roleGrants, []);
  });

  test('a half-typed block reads without throwing', () => {
    const text = `resource "azurerm_role_assignment" "a" {
  scope = 
  role_definition_name = "Owner"
resource "google_project_iam_binding" "b" {
  members = "user:x"
`;
    const facts = read(text);
    assert.ok(Array.isArray(facts.roleGrants));
  });
});
