import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { gitRepositoryOf } from '../../server/src/workspace/git';

// The repository of a folder, from git's own files: no git binary, no network.

const roots: string[] = [];
after(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-git-')));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const remote = (name: string, url: string): string => `[remote "${name}"]\n\turl = ${url}\n\tfetch = +refs/heads/*:refs/remotes/${name}/*\n`;

describe('gitRepositoryOf', () => {
  test('origin of the .git/config at the top, from a folder below it', async () => {
    const root = tree({ '.git/config': `[core]\n\tbare = false\n${remote('upstream', 'https://github.com/other/fork.git')}${remote('origin', 'git@github.com:acme/site.git')}`, 'infra/main.tf': '' });
    const found = await gitRepositoryOf(path.join(root, 'infra'));
    assert.deepEqual(found, { root, configFile: path.join(root, '.git', 'config'), repository: { host: 'github.com', owner: 'acme', name: 'site' } });
  });

  test('the first remote when there is no origin; a GitLab group path', async () => {
    const root = tree({ '.git/config': remote('gitlab', 'ssh://git@gitlab.example.com:2222/group/sub/app.git') });
    assert.deepEqual((await gitRepositoryOf(root))?.repository, { host: 'gitlab.example.com', owner: 'group/sub', name: 'app' });
  });

  test('a linked work tree: .git is a file, the remotes are in the common folder', async () => {
    const main = tree({ '.git/config': remote('origin', 'https://github.com/acme/site'), '.git/worktrees/feature/commondir': '../..\n' });
    const worktree = tree({ '.git': `gitdir: ${path.join(main, '.git', 'worktrees', 'feature')}\n` });
    const found = await gitRepositoryOf(worktree);
    assert.equal(found?.configFile, path.join(main, '.git', 'config'));
    assert.deepEqual(found?.repository, { host: 'github.com', owner: 'acme', name: 'site' });
  });

  test('a submodule: .git is a file with a relative gitdir holding its own config', async () => {
    const root = tree({ '.git/modules/lib/config': remote('origin', 'https://github.com/acme/lib.git'), 'lib/.git': 'gitdir: ../.git/modules/lib\n' });
    assert.deepEqual((await gitRepositoryOf(path.join(root, 'lib')))?.repository, { host: 'github.com', owner: 'acme', name: 'lib' });
  });

  test('no remote, or not a repository URL: the repository is unknown', async () => {
    assert.equal((await gitRepositoryOf(tree({ '.git/config': '[core]\n\tbare = false\n' })))?.repository, undefined);
    assert.equal((await gitRepositoryOf(tree({ '.git/config': remote('origin', '/srv/git/site.git') })))?.repository, undefined);
  });
});
