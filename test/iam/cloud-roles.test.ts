import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AZURE_ADMIN_ROLES, AZURE_ESCALATION_ACTIONS, azureActionCovers, azureBuiltInRole, azureBuiltInRoleById } from '../../server/src/iam/azure-roles';
import { GCP_ADMIN_ROLES, GCP_ESCALATION_COMBINATIONS, GCP_ESCALATION_PERMISSIONS, GCP_ESCALATION_ROLES, GCP_ROLE_SUMMARIES } from '../../server/src/iam/gcp-roles';

/** The GCP and Azure role tables are data: their shape is held here, so a typo fails in review. */

/** `service.resource.verb`, as GCP writes permissions. */
const PERMISSION = /^[a-z]+\.[a-zA-Z]+\.[a-zA-Z]+$/;
const ROLE = /^roles\/[a-z]+(?:\.[a-zA-Z]+)*$/;

describe('GCP roles', () => {
  test('role names and permissions are written as GCP writes them', () => {
    for (const role of [...GCP_ADMIN_ROLES.keys(), ...GCP_ESCALATION_ROLES.keys(), ...GCP_ROLE_SUMMARIES.keys()]) assert.match(role, ROLE);
    for (const permission of [...GCP_ESCALATION_PERMISSIONS.keys(), ...GCP_ESCALATION_COMBINATIONS.flatMap((c) => c.permissions), ...[...GCP_ESCALATION_ROLES.values()].map((r) => r.permission)]) {
      assert.match(permission, PERMISSION);
    }
  });

  test('an escalation role escalates through a permission of the table, with its reach', () => {
    for (const [role, row] of GCP_ESCALATION_ROLES) {
      assert.equal(GCP_ESCALATION_PERMISSIONS.get(row.permission)?.reach, row.reach, role);
    }
  });

  test('every combination runs something as a service account (actAs), and names more than it', () => {
    for (const combination of GCP_ESCALATION_COMBINATIONS) {
      assert.ok(combination.permissions.includes('iam.serviceAccounts.actAs'), combination.does);
      assert.notEqual(combination.permissions[0], 'iam.serviceAccounts.actAs', 'the first permission names the set');
    }
  });

  test('every role a rule reports has a hover line', () => {
    for (const role of [...GCP_ADMIN_ROLES.keys(), ...GCP_ESCALATION_ROLES.keys()]) assert.ok(GCP_ROLE_SUMMARIES.has(role), role);
  });
});

describe('Azure roles', () => {
  test('built-in roles by name without regard to case, and by id with or without a scope', () => {
    assert.equal(azureBuiltInRole('owner')?.name, 'Owner');
    assert.equal(azureBuiltInRole(' User Access Administrator ')?.name, 'User Access Administrator');
    assert.equal(azureBuiltInRoleById('8e3af657-a8ff-443c-a75c-2fe8c4bcb635')?.name, 'Owner');
    assert.equal(azureBuiltInRoleById('/subscriptions/0/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C')?.name, 'Contributor');
    assert.equal(azureBuiltInRoleById('/providers/Microsoft.Authorization/roleDefinitions/not-a-guid'), undefined);
  });

  test('the admin roles are built-in roles with an id', () => {
    for (const name of AZURE_ADMIN_ROLES.keys()) assert.ok(azureBuiltInRole(name)?.id, name);
  });

  test('action patterns cover actions as Azure matches them', () => {
    const write = AZURE_ESCALATION_ACTIONS[0]!.action;
    assert.ok(azureActionCovers('Microsoft.Authorization/*', write));
    assert.ok(azureActionCovers('microsoft.authorization/*/write', write));
    assert.ok(azureActionCovers('*', write));
    assert.ok(azureActionCovers('Microsoft.Authorization/roleAssignments/*', write));
    assert.ok(!azureActionCovers('Microsoft.Authorization/*/read', write));
    assert.ok(!azureActionCovers('Microsoft.Web/*', write));
    assert.ok(!azureActionCovers('Microsoft.Authorization/roleAssignments/write.', write), 'a dot is a dot');
    assert.ok(!azureActionCovers('Microsoft.Authorization/role?ssignments/write', write), 'no other wildcard');
  });

  test('a pattern with many stars is matched in bounded steps', () => {
    // As a backtracking regular expression this pattern takes exponential time on this action.
    assert.equal(azureActionCovers('*a'.repeat(40), `${'a'.repeat(80)}b`), false);
    assert.equal(azureActionCovers('*a'.repeat(40), 'a'.repeat(80)), true);
  });
});
