// One esbuild script for the three bundles: the VS Code client, the language server and the CLI.
// The server and the CLI share the engine; both carry the tree-sitter runtime and HCL grammar
// .wasm files, copied next to them so that `locateWasm` finds them in dist/.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // Two packages resolve to builds that cannot be bundled into CJS: jsonc-parser's main entry is a
  // UMD build that requires its own files at run time, and web-tree-sitter's ESM build reads
  // `import.meta.url`. Point both at the builds that bundle.
  alias: {
    'jsonc-parser': join(root, 'node_modules/jsonc-parser/lib/esm/main.js'),
    'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs'),
  },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(dist, 'client.js'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/server.ts')], outfile: join(dist, 'server.js') }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/cli.ts')], outfile: join(dist, 'cli.js'), banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync(join(dist, 'cli.js'), 0o755);

copyFileSync(join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'), join(dist, 'web-tree-sitter.wasm'));
copyFileSync(
  join(dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-terraform.wasm'),
  join(dist, 'tree-sitter-terraform.wasm'),
);
