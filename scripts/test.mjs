// Runs every test file under test/ with node's own test runner (TypeScript through tsx), so the
// output ends with the runner's summary. Extra arguments filter test files by substring.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'node_modules' ? [] : find(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
// The real-editor suites need code-server, Chromium and Neovim: installed (idempotently) by the
// project's own setup, never assumed to be there.
if (files.some((f) => f.startsWith(join('test', 'e2e')))) {
  const setup = spawnSync(process.execPath, [join(root, 'test', 'e2e', 'setup.mjs')], { cwd: root, stdio: 'inherit' });
  if (setup.status !== 0) {
    console.error('test/e2e/setup.mjs failed: the real-editor suites cannot run');
    process.exit(setup.status ?? 1);
  }
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
