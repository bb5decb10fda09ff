// Packages the extension the way users get it (`scripts/package.mjs`: production bundles, vsce),
// but in a copy of the checkout. package.mjs rebuilds dist/ in the folder it runs in, and other test
// files run from the checkout's dist/ at the same time: rebuilding it under them would break them.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { ROOT } from './env.mjs';

/** Top-level entries of the checkout that are generated, large, or not the project's. */
const SKIP_TOP = new Set(['node_modules', '.git', 'dist', '.e2e-cache', 'test-output', '.scratch']);

/** Builds `<out>` (a .vsix) from the current working tree, in a scratch copy removed afterwards. */
export function packageVsix(out) {
  const stage = mkdtempSync(join(os.tmpdir(), 'keyless-vsix-'));
  try {
    cpSync(ROOT, stage, {
      recursive: true,
      filter: (source) => {
        const rel = relative(ROOT, source);
        if (rel === '') return true;
        const top = rel.split(/[\\/]/)[0];
        return !SKIP_TOP.has(top) && !(rel === top && top.endsWith('.vsix'));
      },
    });
    // The build resolves esbuild, the bundled libraries and the .wasm files through node_modules.
    symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
    mkdirSync(dirname(out), { recursive: true });
    rmSync(out, { force: true });
    const result = spawnSync(process.execPath, [join(stage, 'scripts', 'package.mjs'), '--out', out], { cwd: stage, encoding: 'utf8' });
    if (result.status !== 0 || !existsSync(out)) {
      throw new Error(`packaging failed (exit ${result.status}):\n${(result.stdout + result.stderr).split('\n').slice(-30).join('\n')}`);
    }
    return { vsix: out, log: result.stdout + result.stderr, name: basename(out) };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
