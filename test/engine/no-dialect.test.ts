import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';

// Files of no dialect get the secret scan and nothing else: hardcoded-secret findings that can
// be suppressed like any other, no syntax errors, no dialect fixes; and the workspace index keeps
// only files with a dialect (CloudFormation *.template included).

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

const GITHUB = 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yQZ6m1ld3lc9dVoS1mzNVxiBr5OFJp7ixV2ZgD6YZCtX4cPSbS6U\n-----END RSA PRIVATE KEY-----';

const found = (path: string, text: string): string[] => engine.analyze({ path, text }).findings.map((f) => `${f.rule}@${f.range.start.line + 1}`);

describe('files of no dialect', () => {
  test('a keyless-ignore comment in a .env suppresses, on the line or above it; a # inside a value is no comment', () => {
    assert.deepEqual(found('.env', `A=${GITHUB}\n`), ['hardcoded-secret@1']);
    assert.deepEqual(found('.env', `A=${GITHUB} # keyless-ignore hardcoded-secret: test fixture\n`), []);
    assert.deepEqual(found('.env', `# keyless-ignore hardcoded-secret: test fixture\nA=${GITHUB}\n`), []);
    assert.deepEqual(found('.env', `A="${GITHUB} # keyless-ignore hardcoded-secret"\n`), ['hardcoded-secret@1']);
  });

  test('the one fix is the suppression, written above the entry (above the statement for a multi-line value)', () => {
    const apply = (text: string): string => {
      const [finding] = engine.analyze({ path: 'deploy.env', text }).findings;
      assert.ok(finding);
      assert.deepEqual(finding.fixes.map((f) => f.title), ['Suppress hardcoded-secret on this line']);
      const [edit] = finding.fixes[0]!.edits;
      return text.slice(0, edit!.span.start) + edit!.newText + text.slice(edit!.span.end);
    };
    const fixed = apply(`X=1\n  TOKEN=${GITHUB}\n`);
    assert.equal(fixed, `X=1\n  # keyless-ignore hardcoded-secret\n  TOKEN=${GITHUB}\n`);
    assert.deepEqual(found('deploy.env', fixed), []);
    const multiLine = `KEY="${PEM}"\n`;
    assert.deepEqual(found('deploy.env', multiLine), ['hardcoded-secret@1']);
    const fixedMultiLine = apply(multiLine.replace('KEY=', 'export KEY='));
    assert.ok(fixedMultiLine.startsWith('# keyless-ignore hardcoded-secret\nexport KEY="-----BEGIN'));
    assert.deepEqual(found('deploy.env', fixedMultiLine), []);
  });

  test('syntax errors of a file of no dialect are not reported; a Terraform file\'s are', () => {
    const broken = `inputs = {\n  token = "${GITHUB}"\n`;
    const hcl = engine.analyze({ path: 'live/terragrunt.hcl', text: broken });
    assert.equal(hcl.dialect, null);
    assert.deepEqual(hcl.errors, []);
    assert.deepEqual(hcl.findings.map((f) => f.rule), ['hardcoded-secret']);
    assert.notDeepEqual(engine.analyze({ path: 'main.tf', text: broken }).errors, []);
    assert.deepEqual(engine.analyze({ path: 'docker-compose.yml', text: `a: [\nb: ${GITHUB}\n` }).errors, []);
  });

  test('only hardcoded-secret runs: a file that reads like Terraform but is not .tf is no Terraform', () => {
    const provider = `provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n}\n`;
    assert.deepEqual(found('main.tf', provider).sort(), ['hardcoded-secret@2', 'provider-static-credentials@1']);
    assert.deepEqual(found('build.pkr.hcl', provider), ['hardcoded-secret@2']);
  });

  test('a hover on a finding in a .env describes it', () => {
    const hover = engine.hover({ path: '.env', text: `TOKEN=${GITHUB}\n` }, { line: 0, character: 10 });
    assert.deepEqual(hover?.findings.map((f) => f.rule), ['hardcoded-secret']);
  });

  test('the workspace index keeps *.template CloudFormation, not files of no dialect', () => {
    const template = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Key:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: u\n';
    assert.equal(engine.facts({ path: 'cfn/iam.template', text: template })?.dialect, 'cloudformation');
    assert.equal(engine.facts({ path: 'cfn/iam.template', text: `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}` })?.dialect, 'cloudformation');
    assert.equal(engine.facts({ path: '.env', text: `TOKEN=${GITHUB}\n` }), undefined);
    assert.equal(engine.facts({ path: 'values.yaml', text: `token: ${GITHUB}\n` }), undefined);
    assert.equal(engine.facts({ path: 'site.conf.template', text: 'server {}\n' }), undefined);
  });
});
