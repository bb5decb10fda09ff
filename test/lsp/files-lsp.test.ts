import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { documentTarget } from '../../server/src/lsp/paths';
import { fileUri, LspClient, WORKSPACE } from './harness';

// The documents the server analyses beyond the dialects: `.env` files whatever language id the
// editor gives them, YAML and JSON of no dialect (values.yaml, a GCP key file), Helm templates,
// and CloudFormation `*.template` files, which editors know by no language at all.

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GITHUB = 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c';

interface Case {
  file: string;
  languageId: string;
  text: string;
  /** `rule@line:character` of each diagnostic (0-based). */
  expected: string[];
}

const CASES: Case[] = [
  { file: 'no-dialect/.env', languageId: 'properties', text: `# local\nAWS_ACCESS_KEY_ID=${ID}\nAWS_SECRET_ACCESS_KEY=${SECRET}\n`, expected: ['hardcoded-secret@1:18'] },
  { file: 'no-dialect/.env.local', languageId: 'dotenv', text: `export GH="${GITHUB}"\n`, expected: ['hardcoded-secret@0:11'] },
  { file: 'no-dialect/deploy/worker.env', languageId: 'plaintext', text: `TOKEN=${GITHUB}\n`, expected: ['hardcoded-secret@0:6'] },
  { file: 'no-dialect/chart/values.yaml', languageId: 'yaml', text: `github:\n  token: ${GITHUB}\n`, expected: ['hardcoded-secret@1:9'] },
  {
    file: 'no-dialect/chart/templates/secret.yaml',
    languageId: 'helm',
    text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include "x" . }}\n  {{- include "labels" . | nindent 4 }}\nstringData:\n  token: ${GITHUB}\n`,
    expected: ['hardcoded-secret@6:9'],
  },
  { file: 'no-dialect/terragrunt.hcl', languageId: 'hcl', text: `inputs = {\n  token = "${GITHUB}"\n}\n`, expected: ['hardcoded-secret@1:11'] },
  {
    file: 'no-dialect/stack.template',
    languageId: 'plaintext',
    text: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Key:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: deployer\n',
    expected: ['long-lived-key@2:2'],
  },
];

describe('documents of no dialect and *.template', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE });
  });
  after(() => client.dispose());

  for (const { file, languageId, text, expected } of CASES) {
    test(`${file} (${languageId}): ${expected.join(', ')}`, async () => {
      const uri = fileUri(path.join(WORKSPACE, file));
      await client.open(uri, text, languageId);
      const { diagnostics } = await client.waitForCurrent(uri);
      assert.deepEqual(
        diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`),
        expected,
      );
      for (const diagnostic of diagnostics) assert.ok(!JSON.stringify(diagnostic).includes(GITHUB) && !JSON.stringify(diagnostic).includes(ID));
      await client.close(uri);
    });
  }

  test('an edit that removes the value from a .env removes the diagnostic', async () => {
    const uri = fileUri(path.join(WORKSPACE, 'no-dialect', 'edited', '.env'));
    await client.open(uri, `TOKEN=${GITHUB}\n`, 'properties');
    assert.equal((await client.waitForCurrent(uri)).diagnostics.length, 1);
    await client.replace(uri, GITHUB, '${TOKEN_FROM_VAULT}');
    assert.deepEqual((await client.waitForCurrent(uri)).diagnostics, []);
    await client.close(uri);
  });
});

describe('which documents are analysed', () => {
  const folders = [{ uri: fileUri(WORKSPACE), path: WORKSPACE }];
  const target = (file: string, languageId: string) => documentTarget(fileUri(path.join(WORKSPACE, file)), languageId, folders);

  test('by name, whatever the language id: .env files, HCL, *.template', () => {
    for (const [file, languageId] of [['.env', 'plaintext'], ['.env.production', 'properties'], ['ci.env', 'dotenv'], ['x.pkr.hcl', 'hcl'], ['a.template', 'plaintext'], ['values.yaml', 'yaml']]) {
      const found = target(file!, languageId!);
      assert.ok(found !== undefined, file);
      // The name tells the engine the syntax (a template's from its text): no override by language.
      assert.equal(found.syntaxOverride, undefined, file);
    }
  });

  test('not: names Keyless does not read in languages it does not read, and Terraform lock files', () => {
    for (const [file, languageId] of [['notes.txt', 'plaintext'], ['app.properties', 'properties'], ['.envrc', 'shellscript'], ['.terraform.lock.hcl', 'hcl']]) {
      assert.equal(target(file!, languageId!), undefined, file);
    }
  });
});
