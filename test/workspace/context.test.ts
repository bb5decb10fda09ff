import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/analyze';
import { createEngine } from '../../server/src/workspace/grammar';
import { WorkspaceIndex } from '../../server/src/workspace/context';
import { toPosix } from '../../server/src/workspace/files';

// The workspace index adapters build for fixes: every file Keyless reads, by the adapter's name
// for it, with facts and text; kept current by update/remove; bounded.

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const WORKFLOW = '.github/workflows/deploy.yml';
let engine: Engine;
let root: string;
before(async () => {
  engine = await createEngine();
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-index-')));
  fs.cpSync(EXAMPLES, root, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "site" }\n');
  fs.mkdirSync(path.join(root, 'vendor'));
  fs.writeFileSync(path.join(root, 'vendor', 'main.tf'), 'resource "aws_iam_access_key" "k" { user = "u" }\n');
  fs.mkdirSync(path.join(root, 'generated'));
  fs.writeFileSync(path.join(root, 'generated', 'main.tf'), 'resource "aws_iam_access_key" "k" { user = "u" }\n');
  fs.writeFileSync(path.join(root, '.gitignore'), 'generated/\n');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function built(maxFiles?: number, log?: (message: string) => void): Promise<{ index: WorkspaceIndex; stats: Awaited<ReturnType<WorkspaceIndex['build']>> }> {
  const index = new WorkspaceIndex(engine, maxFiles);
  const stats = await index.build({ root, nameOf: (absolute) => toPosix(path.relative(root, absolute)), isIgnored: (relative) => relative === 'vendor', ...(log ? { log } : {}) });
  return { index, stats };
}

describe('WorkspaceIndex', () => {
  test('holds every file with a dialect, by the adapter\'s name, with its text; honours .gitignore and the ignore globs', async () => {
    const { index, stats } = await built();
    const names = [...index.context().files.keys()].sort();
    assert.deepEqual(names, [
      '.github/workflows/deploy.yml',
      '.github/workflows/keyless-org.yml',
      '.github/workflows/release.yml',
      '.gitlab-ci.yml',
      '.gitlab/ci/release.gitlab-ci.yml',
      'cloudformation/build-role.yaml',
      'cloudformation/ci-user.yaml',
      'cloudformation/github-deploy-role.yaml',
      'kubernetes/deployer-rbac.yaml',
      'kubernetes/storefront.yaml',
      'kubernetes/uploader.yaml',
      'kubernetes/vault-agent.yaml',
      'policies/break-glass.policy.json',
      'policies/gitlab-deploy-trust.json',
      'policies/ops-automation.policy.json',
      'policies/reports-reader.policy.json',
      'terraform/azure-deployer.tf',
      'terraform/ci-deployer.tf',
      'terraform/gcp-deployer.tf',
      'terraform/github-oidc.tf',
      'terraform/main.tf',
    ]);
    assert.equal(stats.walked, 22, 'package.json is read, and not kept: it has no dialect');
    assert.equal(stats.indexed, 21);
    assert.equal(stats.truncated, false);
    const workflow = index.get(WORKFLOW)!;
    assert.equal(workflow.dialect, 'github-actions');
    assert.equal(workflow.text, fs.readFileSync(path.join(root, WORKFLOW), 'utf8'));
    assert.ok(workflow.facts.authentications.length > 0);
    assert.equal(index.get('terraform/main.tf')!.facts.declarations.length > 0, true);
  });

  test('update keeps an unchanged entry, replaces a changed one, drops one that lost its dialect; remove drops', async () => {
    const { index } = await built();
    const entry = index.get('terraform/main.tf')!;
    assert.equal(index.update('terraform/main.tf', entry.text), false);
    assert.equal(index.get('terraform/main.tf'), entry, 'the same entry: what fixers cached on it stays valid');
    assert.equal(index.update('terraform/main.tf', `${entry.text}\nresource "aws_iam_role" "r" {\n  name = "r"\n}\n`), true);
    assert.notEqual(index.get('terraform/main.tf'), entry);
    assert.equal(index.update('kubernetes/uploader.yaml', 'just: data\n'), true);
    assert.equal(index.get('kubernetes/uploader.yaml'), undefined);
    assert.equal(index.update('infra/new.tf', 'resource "aws_s3_bucket" "b" {}\n'), true);
    assert.equal(index.get('infra/new.tf')!.dialect, 'terraform');
    assert.equal(index.remove('infra/new.tf'), true);
    assert.equal(index.remove('infra/new.tf'), false);
  });

  test('stops at its bound and says so', async () => {
    const logged: string[] = [];
    const { index, stats } = await built(3, (message) => logged.push(message));
    assert.equal(stats.walked, 3);
    assert.equal(stats.truncated, true);
    assert.ok(index.size <= 3);
    assert.match(logged.join('\n'), /Indexed the first 3 files of .* and stopped/);
    while (index.size < 3) index.update(`infra/file-${index.size}.tf`, 'resource "aws_s3_bucket" "b" {}\n');
    assert.equal(index.update('infra/over-the-bound.tf', 'resource "aws_s3_bucket" "b" {}\n'), false, 'no new entry past the bound');
    assert.equal(index.get('infra/over-the-bound.tf'), undefined);
  });

  test('a cancelled build stops between files', async () => {
    const index = new WorkspaceIndex(engine);
    let files = 0;
    const stats = await index.build({ root, nameOf: (absolute) => toPosix(path.relative(root, absolute)), pause: async () => void files++, cancelled: () => files >= 2 });
    assert.equal(stats.cancelled, true);
    assert.equal(stats.walked, 2);
  });

  test('the context carries the repository with the configured GitHub ids, and the fixes use it', async () => {
    const { index } = await built();
    index.repository = { host: 'github.com', owner: 'acme', name: 'site' };
    const mutable = index.context();
    assert.deepEqual(mutable.repository, { host: 'github.com', owner: 'acme', name: 'site' });
    assert.equal(mutable.immutableSubjects, false);
    const immutable = index.context({ immutableSubjects: true, githubOwnerId: '1234567', githubRepositoryId: '89012345' });
    assert.deepEqual(immutable.repository, { host: 'github.com', owner: 'acme', name: 'site', ownerId: '1234567', repoId: '89012345' });

    const text = index.get(WORKFLOW)!.text;
    const trustOf = (workspace: typeof mutable): string => {
      const finding = engine.analyze({ path: WORKFLOW, text }, { workspace }).findings.find((f) => f.rule === 'static-cloud-credentials')!;
      const fix = finding.fixes.find((f) => (f.creates ?? []).length > 0)!;
      return fix.edits.filter((e) => (fix.creates ?? []).includes(e.path)).map((e) => e.newText).join('');
    };
    assert.match(trustOf(mutable), /"repo:acme\/site:environment:production"/);
    assert.match(trustOf(immutable), /"repo:acme@1234567\/site@89012345:environment:production"/);
  });
});
