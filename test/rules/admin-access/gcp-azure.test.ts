import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';

/**
 * What the fixtures' line expectations cannot say: the severity of each GCP and Azure finding
 * (narrower scopes and narrowing conditions are one step lower) and what its message names.
 */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function findings(fixture: string, rule = 'admin-access'): { line: number; severity: string; message: string }[] {
  const file = path.join(__dirname, 'fixtures', fixture);
  const report = engine.analyze({ path: fixture, text: fs.readFileSync(file, 'utf8') });
  return report.findings.filter((f) => f.rule === rule).map((f) => ({ line: f.range.start.line + 1, severity: f.severity, message: f.message }));
}

const severities = (list: { line: number; severity: string }[]): string[] => list.map((f) => `${f.line}:${f.severity}`);

describe('admin-access on Google Cloud', () => {
  test('the hierarchy is an error; a condition on resource names lowers it', () => {
    const found = findings('vulnerable-20-gcp-basic-roles.tf');
    assert.deepEqual(severities(found), ['7:error', '13:error', '22:error', '34:error', '53:error', '62:warning']);
    assert.match(found[0]!.message, /roles\/owner on project "acme-prod" to serviceAccount:ci@acme-prod\.iam\.gserviceaccount\.com: every permission in the project/);
    assert.match(found[1]!.message, /folder "folders\/1234567" to group:platform@example\.com and user:jane@example\.com/);
    assert.match(found[3]!.message, /^data\.google_iam_policy "project" grants roles\/editor on project "acme-prod"/);
    assert.match(found[5]!.message, /Its condition "only-staging-buckets" narrows it, so this is a warning\./);
  });

  test('roles/owner on one resource is a warning', () => {
    const found = findings('vulnerable-21-gcp-resource-owner.tf');
    assert.deepEqual(severities(found), ['5:warning', '11:warning']);
    assert.match(found[0]!.message, /on google_storage_bucket "acme-artifacts"/);
  });

  test('a policy applied nowhere in the file is judged as for a project, public members named', () => {
    const [finding] = findings('vulnerable-22-gcp-policy-document.tf');
    assert.equal(finding?.severity, 'error');
    assert.match(finding!.message, /wherever this policy is applied/);
    assert.match(finding!.message, /allAuthenticatedUsers \(any Google account\)/);
  });
});

describe('admin-access on Azure', () => {
  test('subscription, management group and the tenant root are errors, by name, id or data source', () => {
    const found = findings('vulnerable-24-azure-subscription.tf');
    assert.deepEqual(severities(found), ['14:error', '20:error', '26:error', '32:error', '38:error', '44:error']);
    assert.match(found[2]!.message, /assigns Owner \(by its role definition id\) at subscription/);
    assert.match(found[3]!.message, /assigns Contributor \(by its role definition id\)/);
    assert.match(found[5]!.message, /at the tenant root management group/);
  });

  test('below a subscription, Owner and User Access Administrator are warnings; a delegation condition lowers a subscription Owner', () => {
    const found = findings('vulnerable-25-azure-resource-group.tf');
    assert.deepEqual(severities(found), ['11:warning', '17:warning', '29:warning']);
    assert.match(found[1]!.message, /at Microsoft\.KeyVault\/vaults "app-kv"/);
    assert.match(found[2]!.message, /Its condition on the role assignments it may write narrows it/);
  });

  test('custom roles with `*`: by the widest assignable scope, Contributor-like below a subscription not reported', () => {
    const found = findings('vulnerable-26-azure-custom-role.tf');
    assert.deepEqual(severities(found), ['11:error', '22:error', '34:warning', '53:error']);
    assert.match(found[3]!.message, /but writing role assignments/);
  });
});
