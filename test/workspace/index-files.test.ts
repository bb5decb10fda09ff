import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createEngine } from '../../server/src/workspace/grammar';
import { WorkspaceIndex } from '../../server/src/workspace/context';
import { toPosix } from '../../server/src/workspace/files';

// The workspace index walks what a scan walks: a CloudFormation *.template is kept for fixes (a
// role or OIDC provider written there is one a fix can reuse); .env and other files of no dialect
// are walked and not kept (fixes have nothing to look up in them); a nested .gitignore's `!` holds.

let root: string;
before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-index-files-')));
  const files: Record<string, string> = {
    'cfn/oidc.template': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Key:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: u\n',
    'cfn/site.conf.template': 'server { listen 80; }\n',
    '.env': 'TOKEN=ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c\n',
    'live/terragrunt.hcl': 'inputs = {}\n',
    '.gitignore': '*.tf\n',
    'infra/.gitignore': '!main.tf\n',
    'infra/main.tf': 'resource "aws_iam_access_key" "k" { user = "u" }\n',
    'other/main.tf': 'resource "aws_iam_access_key" "k" { user = "u" }\n',
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('a *.template template is indexed, files of no dialect are walked and not kept, a re-included file is indexed', async () => {
  const index = new WorkspaceIndex(await createEngine());
  const stats = await index.build({ root, nameOf: (absolute) => toPosix(path.relative(root, absolute)) });
  assert.deepEqual([...index.context().files.keys()].sort(), ['cfn/oidc.template', 'infra/main.tf']);
  assert.equal(index.get('cfn/oidc.template')!.dialect, 'cloudformation');
  // .env, terragrunt.hcl and both templates are read; other/main.tf is ignored by git.
  assert.equal(stats.walked, 5);
});
