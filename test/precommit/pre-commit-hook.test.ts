import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { readsFile } from '../../server/src/dialects/detect';
import { assertBuilt, fixture, REPO_ROOT, runCli, workspace } from '../cli/helpers';

// .pre-commit-hooks.yaml as pre-commit reads it: its file filter says exactly which names Keyless
// reads (dialects/detect.ts's readsFile), and its entry, run on staged-like lists of file names as
// pre-commit passes them (relative to the repository root, several at once), scans just those.

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  exclude?: string;
  types?: string[];
}

const hooks = parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = hooks.find((h) => h.id === 'keyless')!;

/** pre-commit's filter is Python's `re.search`; `(?i)` at the start is JavaScript's `i` flag. */
function pythonRegex(source: string): RegExp {
  return source.startsWith('(?i)') ? new RegExp(source.slice(4), 'i') : new RegExp(source);
}

function selected(name: string): boolean {
  return pythonRegex(hook.files).test(name) && !(hook.exclude !== undefined && pythonRegex(hook.exclude).test(name));
}

const SAMPLE_NAMES = [
  'main.tf', 'infra/prod/variables.tf', 'terraform.tfvars', 'prod.auto.tfvars', 'MAIN.TF', 'stack.tf.json', 'terragrunt.hcl',
  'packer/image.pkr.hcl', '.terraform.lock.hcl', 'infra/.terraform.lock.hcl', 'x.terraform.lock.hcl',
  '.github/workflows/ci.yml', '.gitlab-ci.yml', 'k8s/deploy.yaml', 'Chart.YAML', 'policy.json', 'package-lock.json',
  'template.template', 'cfn/stack.TEMPLATE', 'stack.template.bak', '.env', '.env.production', 'config/.env.local', 'app.env',
  'prod.ENV', '.envrc', 'env', 'env.txt', 'README.md', 'main.go', 'Dockerfile', 'script.sh', 'yaml', 'json', '.json', 'a.jsonl',
  'a.yml.orig', 'dir.tf/readme.txt', 'dir.env/readme.txt', '.env.d/file.txt', 'a.hcl.bak', 'x.tfstate',
];

describe('.pre-commit-hooks.yaml', () => {
  before(() => assertBuilt());

  test('one node hook, keyless, whose entry is keyless scan with options ending before the file names', () => {
    assert.equal(hook.language, 'node');
    assert.equal(hook.name, 'Keyless');
    const [bin, command, ...options] = hook.entry.split(/\s+/);
    assert.equal(bin, 'keyless');
    assert.equal(command, 'scan');
    assert.equal(options.at(-1), '--', 'a staged file named like an option stays a file');
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.ok(pkg.bin.keyless, 'package.json has no keyless bin for pre-commit to install');
  });

  test('its files and exclude select exactly the names readsFile reads: samples', () => {
    for (const name of SAMPLE_NAMES) assert.equal(selected(name), readsFile(name), name);
  });

  test('its files and exclude select exactly the names readsFile reads: every file of this repository', () => {
    const names = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.ok(names.length > 100);
    const disagree = names.filter((name) => selected(name) !== readsFile(name));
    assert.deepEqual(disagree, []);
  });

  test('the entry on a staged-like list scans those files only, several at once', async () => {
    const repository = workspace({
      'infra/main.tf': fixture('provider.tf'),
      'infra/other.tf': fixture('provider.tf'),
      '.github/workflows/deploy.yml': fixture('workflow.yml'),
      'README.md': '# not read\n',
      'src/app.py': 'print("hi")\n',
    });
    const staged = ['infra/main.tf', '.github/workflows/deploy.yml', 'README.md', 'src/app.py'].filter(selected);
    assert.deepEqual(staged, ['infra/main.tf', '.github/workflows/deploy.yml']);
    const run = await runCli([...hook.entry.split(/\s+/).slice(1), ...staged], { cwd: repository });
    assert.equal(run.code, 1, run.stderr);
    const files = new Set([...run.stdout.matchAll(/^(\S+?):\d+:\d+ (?:error|warning|info) /gm)].map((m) => m[1]));
    assert.deepEqual([...files].sort(), ['.github/workflows/deploy.yml', 'infra/main.tf']);
    assert.equal(run.stderr, '', '--quiet: nothing but findings');
  });

  test('a clean staged list passes silently; a file named like an option is a file', async () => {
    const repository = workspace({ 'main.tf': fixture('clean.tf'), '--help.tf': fixture('clean.tf') });
    const run = await runCli([...hook.entry.split(/\s+/).slice(1), 'main.tf', '--help.tf'], { cwd: repository });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, '');
  });
});
