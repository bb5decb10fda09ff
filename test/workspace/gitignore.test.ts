import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readsFile } from '../../server/src/dialects/detect';
import { gitIgnoredAbove, toPosix, walkFiles } from '../../server/src/workspace/files';

// Nested .gitignore files as git reads them (gitignore(5)): a deeper file overrides the folders
// above it, so its `!` re-includes what a parent's pattern excludes; nothing can be re-included
// below an excluded folder. The walk is held to git itself on a repository made here.

const GITIGNORES: Record<string, string> = {
  '.gitignore': '*.yml\n!keep-root.yml\nbuild/\nlogs/*\n!logs/important/\n',
  // Re-includes every .yml below app/ but local.yml; `/top-only.yml` is anchored to app/.
  'app/.gitignore': '!*.yml\nlocal.yml\n/top-only.yml\n',
  // And a deeper one excludes again.
  'app/sub/.gitignore': 'b.yml\n',
  // build/ is excluded by its parent: this `!` cannot bring x.yml back.
  'build/.gitignore': '!x.yml\n',
  // logs/important/ is re-included as a folder, then its own file re-includes its .yml.
  'logs/important/.gitignore': '!*.yml\n',
  'docs/.gitignore': '*.tf\n',
  'docs/deep/.gitignore': '!x.tf\n',
};
const FILES = [
  'keep-root.yml', 'other.yml', 'main.tf', 'app/a.yml', 'app/local.yml', 'app/top-only.yml', 'app/sub/b.yml', 'app/sub/c.yml',
  'app/sub/top-only.yml', 'build/x.yml', 'build/y.tf', 'logs/important/c.yml', 'logs/d.yml', 'logs/e.tf', 'docs/x.tf', 'docs/deep/x.tf',
];

let root: string;
const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' });

before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-gitignore-')));
  for (const [file, text] of [...Object.entries(GITIGNORES), ...FILES.map((f) => [f, 'a: 1\n'] as const)]) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  git('init', '-q');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function walked(folder: string, options: { gitTop?: string } = {}): Promise<string[]> {
  const files: string[] = [];
  for await (const file of walkFiles(folder, options)) files.push(toPosix(path.relative(root, file)));
  return files.sort();
}

/** What git would add: untracked files not ignored, of the kinds Keyless reads. */
function gitIncludes(): string[] {
  return git('ls-files', '--others', '--exclude-standard').split('\n').filter((f) => f !== '' && readsFile(f)).sort();
}

describe('.gitignore as git reads it', () => {
  test('the walk includes exactly what git includes (`git ls-files --others --exclude-standard`)', async () => {
    const expected = gitIncludes();
    // The fixture is worth its name: re-includes by deeper files, and a folder nothing can re-include.
    assert.ok(expected.includes('app/a.yml') && expected.includes('logs/important/c.yml') && expected.includes('docs/deep/x.tf'));
    assert.ok(!expected.includes('build/x.yml') && !expected.includes('app/sub/b.yml'));
    assert.deepEqual(await walked(root), expected);
  });

  test('a walk that starts below the top, given the top, agrees with git on its folder', async () => {
    for (const folder of ['app', 'app/sub', 'logs', 'docs/deep']) {
      const expected = gitIncludes().filter((f) => f.startsWith(`${folder}/`));
      assert.deepEqual(await walked(path.join(root, folder), { gitTop: root }), expected, folder);
    }
  });

  test('a folder git ignores, named as the walk root, is read whole (as a named file is)', async () => {
    assert.deepEqual(await walked(path.join(root, 'build'), { gitTop: root }), ['build/x.yml', 'build/y.tf']);
  });

  test('gitIgnoredAbove answers as `git check-ignore` for every file, parent folders included', async () => {
    const ignored = new Set(
      execFileSync('git', ['check-ignore', '--stdin'], { cwd: root, input: FILES.join('\n'), encoding: 'utf8' }).split('\n').filter((f) => f !== ''),
    );
    assert.ok(ignored.has('build/x.yml') && ignored.has('logs/e.tf') && !ignored.has('logs/important/c.yml'));
    for (const file of FILES) {
      // As the language server asks of a changed file: the .gitignore files from the top to its folder.
      const test = await gitIgnoredAbove(root, path.join(root, file));
      assert.equal(test(file), ignored.has(file), file);
    }
  });
});
