import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';

/** Hovers on GCP and Azure role names: what the role grants, in one line. */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const at = (text: string, line: number, character: number): string[] | undefined => engine.hover({ path: 'main.tf', text }, { line, character })?.descriptions;

test('a GCP basic role and a predefined role', () => {
  const text = `resource "google_project_iam_member" "a" {
  project = "acme"
  role    = "roles/editor"
  member  = "user:a@example.com"
}
resource "google_project_iam_member" "b" {
  project = "acme"
  role    = "roles/logging.logWriter"
  member  = "user:a@example.com"
}
resource "google_project_iam_member" "c" {
  project = "acme"
  role    = "roles/somethingRare"
  member  = "user:a@example.com"
}
`;
  assert.deepEqual(at(text, 2, 16), ['`roles/editor`: Basic role: everything Viewer grants, plus creating, changing and deleting almost every resource, across every service in its scope.']);
  assert.deepEqual(at(text, 7, 16), ['`roles/logging.logWriter`: Write log entries.']);
  const rare = engine.hover({ path: 'main.tf', text }, { line: 12, character: 16 });
  assert.deepEqual(rare?.descriptions ?? [], [], 'a role the table does not list gets no line');
});

test('an Azure built-in role by name and by id', () => {
  const text = `resource "azurerm_role_assignment" "a" {
  scope                = azurerm_resource_group.app.id
  role_definition_name = "Reader"
  principal_id         = "p"
}
resource "azurerm_role_assignment" "b" {
  scope              = azurerm_resource_group.app.id
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
  principal_id       = "p"
}
`;
  assert.deepEqual(at(text, 2, 28), ['`Reader` (Azure built-in role): View all resources; no changes.']);
  const byId = at(text, 7, 40);
  assert.equal(byId?.[0], '`User Access Administrator` (Azure built-in role, named by its id): Manage user access to Azure resources: assign any role, Owner included.');
});

test('an escalating permission of a custom role', () => {
  const text = `resource "google_project_iam_custom_role" "r" {
  role_id     = "r"
  title       = "R"
  permissions = ["iam.serviceAccounts.getAccessToken"]
}
`;
  assert.deepEqual(at(text, 3, 22), ['`iam.serviceAccounts.getAccessToken` lets whoever holds it mint access tokens for service accounts: a privilege-escalation path (Rhino Security Labs).']);
});
