import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { createEngine } from '../../../server/src/workspace/grammar';

/** The severities and messages of the GCP and Azure privilege-escalation findings, beyond their lines. */

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function findings(fixture: string): { line: number; severity: string; message: string; related: number[] }[] {
  const file = path.join(__dirname, 'fixtures', fixture);
  const report = engine.analyze({ path: fixture, text: fs.readFileSync(file, 'utf8') });
  return report.findings
    .filter((f) => f.rule === 'privilege-escalation')
    .map((f) => ({ line: f.range.start.line + 1, severity: f.severity, message: f.message, related: (f.related ?? []).map((r) => r.range.start.line + 1) }));
}

const severities = (list: { line: number; severity: string }[]): string[] => list.map((f) => `${f.line}:${f.severity}`);

describe('privilege-escalation on Google Cloud', () => {
  test('service-account and IAM-admin roles on the hierarchy', () => {
    const found = findings('vulnerable-20-gcp-impersonation.tf');
    assert.deepEqual(severities(found), ['7:error', '13:error', '19:error', '25:error', '31:warning', '41:error']);
    assert.match(found[0]!.message, /Its iam\.serviceAccounts\.actAs lets the member act as every service account under it/);
    assert.match(found[0]!.message, /Grant it on the one service account it must use/);
    assert.match(found[4]!.message, /Its condition "only-viewer-grants" narrows it/);
    assert.match(found[5]!.message, /user-specified service account/);
  });

  test('custom roles: on the permission when it escalates anywhere, on the grant when it escalates on a project', () => {
    const found = findings('vulnerable-21-gcp-custom-roles.tf');
    assert.deepEqual(severities(found), ['10:error', '19:error', '37:error']);
    assert.match(found[0]!.message, /"accessManager" holds resourcemanager\.projects\.setIamPolicy/);
    assert.match(found[1]!.message, /compute\.instances\.create with iam\.serviceAccounts\.actAs: whoever is granted it can start a VM/);
    assert.match(found[2]!.message, /custom role "impersonator" on project "acme-prod"/);
    assert.deepEqual(found[2]!.related, [32], 'the permission the grant hands out');
  });
});

describe('privilege-escalation on Azure', () => {
  test('role-assignment writes and RBAC Administrator, by scope', () => {
    const found = findings('vulnerable-22-azure-role-assignments.tf');
    assert.deepEqual(severities(found), ['13:error', '23:warning', '29:error', '35:warning']);
    assert.match(found[1]!.message, /allows Microsoft\.Authorization\/\*, assignable at resource group "app"/);
    assert.match(found[2]!.message, /Owner to itself included/);
  });
});
