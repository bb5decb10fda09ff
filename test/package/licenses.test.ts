import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type * as Licenses from '../../scripts/licenses.mjs' with { 'resolution-mode': 'import' };

// licenses.mjs is an ES module (build.mjs imports it under plain node) and this file is CommonJS,
// which loads ES modules only through import().
type BundledPackage = Licenses.BundledPackage;
let bundledPackageDirs: typeof Licenses.bundledPackageDirs;
let declaredLicense: typeof Licenses.declaredLicense;
let isAllowedLicense: typeof Licenses.isAllowedLicense;
let licenseProblems: typeof Licenses.licenseProblems;
let packageDirOf: typeof Licenses.packageDirOf;
let renderNotices: typeof Licenses.renderNotices;
before(async () => {
  ({ bundledPackageDirs, declaredLicense, isAllowedLicense, licenseProblems, packageDirOf, renderNotices } = await import('../../scripts/licenses.mjs'));
});

/**
 * The decisions behind dist/ThirdPartyNotices.txt: which licences may ship inside the bundles
 * (the build stops on any other), which package a bundled file belongs to, and what the notice
 * says. The notice of the real build is checked in package.test.ts.
 */

function pkg(name: string, license: string | undefined, licenseTexts = [{ name: 'LICENSE', text: `${name} licence text` }]): BundledPackage {
  return { name, version: '1.0.0', license, bundles: ['server.js'], licenseTexts, noticeTexts: [] };
}

describe('isAllowedLicense', () => {
  test('the permissive licences are allowed, in any case', () => {
    for (const id of ['MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'BlueOak-1.0.0', 'mit', 'apache-2.0']) {
      assert.equal(isAllowedLicense(id), true, id);
    }
  });

  test('copyleft, proprietary, unknown and missing licences are not', () => {
    for (const id of ['GPL-3.0-only', 'LGPL-2.1-or-later', 'AGPL-3.0', 'MPL-2.0', 'UNLICENSED', 'SEE LICENSE IN LICENSE.txt', 'CC-BY-NC-4.0', 'BSD', '', undefined]) {
      assert.equal(isAllowedLicense(id), false, String(id));
    }
  });

  test('expressions: OR needs one allowed side, AND needs both', () => {
    assert.equal(isAllowedLicense('(MIT OR GPL-3.0-only)'), true);
    assert.equal(isAllowedLicense('GPL-3.0-only OR Apache-2.0'), true);
    assert.equal(isAllowedLicense('MIT AND ISC'), true);
    assert.equal(isAllowedLicense('MIT AND GPL-2.0-only'), false);
    assert.equal(isAllowedLicense('(MIT AND GPL-2.0-only) OR (ISC AND 0BSD)'), true);
    assert.equal(isAllowedLicense('(MIT AND GPL-2.0-only) OR LGPL-3.0-only'), false);
    assert.equal(isAllowedLicense('Apache-2.0 WITH LLVM-exception'), true);
    assert.equal(isAllowedLicense('GPL-2.0-only WITH Classpath-exception-2.0'), false);
  });

  test('an expression that does not parse is not allowed', () => {
    for (const expression of ['(MIT', 'MIT)', 'MIT OR', 'AND MIT', 'MIT ISC', 'MIT WITH', '()']) {
      assert.equal(isAllowedLicense(expression), false, expression);
    }
  });
});

describe('licenseProblems', () => {
  test('names each package whose licence is not allowed, with the licence', () => {
    const problems = licenseProblems([pkg('fine', 'MIT'), pkg('copyleft', 'GPL-3.0-only'), pkg('silent', undefined)]);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^copyleft@1\.0\.0: GPL-3\.0-only /);
    assert.match(problems[1]!, /^silent@1\.0\.0: no licence declared /);
  });

  test('is empty when every licence is allowed', () => {
    assert.deepEqual(licenseProblems([pkg('a', 'MIT'), pkg('b', '(Apache-2.0 OR GPL-2.0-only)')]), []);
  });
});

describe('declaredLicense', () => {
  test('reads the current and the old package.json forms', () => {
    assert.equal(declaredLicense({ license: 'MIT' }), 'MIT');
    assert.equal(declaredLicense({ license: { type: 'ISC' } }), 'ISC');
    assert.equal(declaredLicense({ licenses: [{ type: 'MIT' }] }), 'MIT');
    assert.equal(declaredLicense({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }), '(MIT OR Apache-2.0)');
    assert.equal(declaredLicense({}), undefined);
    assert.equal(declaredLicense({ license: ' ' }), undefined);
  });
});

describe('packageDirOf and bundledPackageDirs', () => {
  test('a bundled file belongs to the innermost package folder, scoped or not', () => {
    assert.equal(packageDirOf('node_modules/yaml/dist/index.js'), 'node_modules/yaml');
    assert.equal(packageDirOf('node_modules/@scope/name/lib/x.js'), 'node_modules/@scope/name');
    assert.equal(packageDirOf('node_modules/a/node_modules/b/index.js'), 'node_modules/a/node_modules/b');
    assert.equal(packageDirOf('node_modules\\win\\index.js'), 'node_modules/win');
    assert.equal(packageDirOf('server/src/server.ts'), undefined);
  });

  test('collects packages per bundle, leaving out files tree-shaken to nothing', () => {
    const dirs = bundledPackageDirs([
      {
        outputs: {
          'dist/server.js': {
            inputs: {
              'server/src/server.ts': { bytesInOutput: 100 },
              'node_modules/yaml/dist/index.js': { bytesInOutput: 50 },
              'node_modules/unused/index.js': { bytesInOutput: 0 },
            },
          },
        },
      },
      { outputs: { 'dist/cli.js': { inputs: { 'node_modules/yaml/dist/parse.js': { bytesInOutput: 10 } } } } },
    ]);
    assert.deepEqual([...dirs.keys()], ['node_modules/yaml']);
    assert.deepEqual([...dirs.get('node_modules/yaml')!].sort(), ['cli.js', 'server.js']);
  });
});

describe('renderNotices', () => {
  const product = { name: 'Keyless', version: '0.1.0', license: 'MIT' };

  test('lists every package with version, licence and bundles, then its licence text', () => {
    const text = renderNotices(product, [pkg('zeta', 'MIT'), pkg('alpha', 'ISC')]);
    assert.match(text, /^Keyless 0\.1\.0: third-party notices/);
    assert.ok(text.indexOf('  alpha 1.0.0 (ISC): server.js') < text.indexOf('  zeta 1.0.0 (MIT): server.js'), 'sorted by name');
    assert.match(text, /\nalpha 1\.0\.0\nLicence: ISC\nUsed in: server\.js\n-+\nalpha licence text\n/);
    assert.ok(text.includes('zeta licence text'));
  });

  test('says so when a package has no licence file, and keeps NOTICE files', () => {
    const bare = pkg('bare', 'MIT', []);
    const apache = { ...pkg('apache', 'Apache-2.0'), noticeTexts: [{ name: 'NOTICE', text: 'apache NOTICE text' }] };
    const text = renderNotices(product, [bare, apache]);
    assert.match(text, /The package has no licence file; its package\.json declares the licence MIT\./);
    assert.match(text, /\[LICENSE\]\napache licence text\n\[NOTICE\]\napache NOTICE text/);
  });
});
