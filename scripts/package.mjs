// `npm run package`: the .vsix users install. Builds minified bundles without source maps, then
// packages with @vscode/vsce (offline: no marketplace call), with no node_modules inside: the
// bundles carry everything they need. Writes keyless-<version>.vsix at the repository root, or
// where --out says.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = outIndex === -1 ? join(root, `keyless-${version}.vsix`) : resolve(process.argv[outIndex + 1]);

execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], { cwd: root, stdio: 'inherit' });
console.log(out);
