import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { RULES } from '../../server/src/rules';

/**
 * The .vsix users install, made once by `scripts/package.mjs` exactly as `npm run package` makes
 * it, then read back: nothing in it but what the installed extension uses, everything it uses
 * present, a third-party notice that names every package the bundles carry, and a manifest whose
 * fields hold together. The package is checked as a zip, not as the source tree that made it.
 */
const ROOT = path.resolve(__dirname, '..', '..');
/** Packaging builds, minifies and zips: seconds normally, far more on a loaded 2-core machine. */
const PACKAGE_TIMEOUT_MS = 240_000;
const MAX_BYTES = 10 * 1024 * 1024;

const run = promisify(execFile);

// yauzl comes with @vscode/vsce and has no types installed: the few calls used here, typed.
interface ZipEntry {
  fileName: string;
}
interface ZipFile {
  readEntry(): void;
  on(event: 'entry', listener: (entry: ZipEntry) => void): ZipFile;
  on(event: 'end', listener: () => void): ZipFile;
  on(event: 'error', listener: (error: Error) => void): ZipFile;
  openReadStream(entry: ZipEntry, callback: (error: Error | null, stream: NodeJS.ReadableStream) => void): void;
}
interface Yauzl {
  open(file: string, options: { lazyEntries: boolean }, callback: (error: Error | null, zip: ZipFile) => void): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yauzl = require('yauzl') as Yauzl;

/** Every entry of a zip file, by name, with its contents. */
function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      const entries = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * The npm packages a set of bundles carries, by their source maps: a second witness, independent
 * of the esbuild metafile the notice is generated from. Returns "name version" strings.
 */
function packagesInSourceMaps(dir: string): Set<string> {
  const found = new Set<string>();
  for (const map of readdirSync(dir).filter((name) => name.endsWith('.js.map'))) {
    const { sources } = JSON.parse(readFileSync(path.join(dir, map), 'utf8')) as { sources: string[] };
    for (const source of sources) {
      const match = /^(.*node_modules\/)((?:@[^/]+\/)?[^/]+)\//.exec(path.resolve(dir, source).replace(/\\/g, '/'));
      if (!match) continue;
      const { name, version } = JSON.parse(readFileSync(path.join(match[1]!, match[2]!, 'package.json'), 'utf8')) as { name: string; version: string };
      found.add(`${name} ${version}`);
    }
  }
  return found;
}

interface Setting {
  type?: string;
  default?: unknown;
  description?: string;
  markdownDescription?: string;
}

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}

interface Manifest {
  name: string;
  displayName?: string;
  description?: string;
  version: string;
  publisher?: string;
  license?: string;
  preview?: boolean;
  icon?: string;
  main?: string;
  categories?: string[];
  keywords?: string[];
  activationEvents?: string[];
  engines?: { vscode?: string };
  repository?: { type?: string; url?: string };
  capabilities?: { untrustedWorkspaces?: { supported?: boolean | 'limited'; description?: string } };
  contributes?: {
    languages?: { id: string; configuration?: string }[];
    grammars?: { path: string }[];
    commands?: { command: string; title: string }[];
    configuration?: { properties?: Record<string, Setting> };
    walkthroughs?: { id: string; title: string; description: string; steps: WalkthroughStep[] }[];
  };
}

let work: string;
let vsix: string;
let entries: Map<string, Buffer>;
let devBuild: string;
/** What `vsce ls` says .vscodeignore lets into a package made straight from the repository. */
let listedFromRepository: string[];

const text = (name: string): string => {
  const entry = entries.get(name);
  assert.ok(entry, `${name} is not in the package`);
  return entry.toString('utf8');
};
/** A path as the manifest writes it (`./dist/x.js` or `dist/x.js`), as a zip entry name. */
const inPackage = (file: string): string => `extension/${file.replace(/^\.\//, '')}`;

before(
  async () => {
    work = mkdtempSync(path.join(tmpdir(), 'keyless-package-test-'));
    vsix = path.join(work, 'keyless.vsix');
    devBuild = path.join(work, 'dev');
    // The development build (with source maps) into a folder of its own, for the second witness of
    // what the bundles carry; the repository's dist/ is left to whoever else is using it.
    const [, , listing] = await Promise.all([
      run(process.execPath, [path.join(ROOT, 'scripts', 'package.mjs'), '--out', vsix, '--npm-out', work], { cwd: ROOT, timeout: PACKAGE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }),
      run(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--outdir', devBuild], { cwd: ROOT, timeout: PACKAGE_TIMEOUT_MS }),
      run(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, timeout: PACKAGE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }),
    ]);
    entries = await readZip(vsix);
    listedFromRepository = listing.stdout.split('\n').filter((line) => line.trim() !== '');
  },
  { timeout: PACKAGE_TIMEOUT_MS + 10_000 },
);

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('contents', () => {
  /**
   * What may be in the extension folder of the package: the bundles and what ships beside them,
   * grammars, rule pages, the icon, and the top-level files (also under the names vsce gives them).
   */
  const ALLOWED = [
    /^(package\.json|README\.md|readme\.md|CHANGELOG\.md|changelog\.md|LICENSE|LICENSE\.txt)$/,
    /^images\/icon\.png$/,
    /^dist\/[^/]+\.(js|wasm)$/,
    /^dist\/ThirdPartyNotices\.txt$/,
    // The AWS action catalog's data: an index, and per service prefix its actions and their descriptions.
    /^dist\/iam-catalog\/[a-z0-9-]+(\.descriptions)?\.json$/,
    /^dist\/walkthrough\/[^/]+\.md$/,
    /^syntaxes\/[^/]+\.json$/,
    /^docs\/rules\/[^/]+\.md$/,
    // The rule pages link it: what the OIDC fixes write on the cloud side.
    /^docs\/federation\.md$/,
  ];
  const assertAllowed = (file: string, where: string): void => {
    assert.ok(ALLOWED.some((pattern) => pattern.test(file)), `${file} should not be in the package (${where})`);
    assert.doesNotMatch(file, /\.(ts|map)$/, file);
    assert.doesNotMatch(file, /(^|\/)(node_modules|test|examples|bench|scripts|client|server)\//, file);
  };

  test('every entry is under extension/ and in the allow-list: no source, map, test, example or dependency', () => {
    for (const name of entries.keys()) {
      // vsce's own two files sit beside the extension folder.
      if (name === '[Content_Types].xml' || name === 'extension.vsixmanifest') continue;
      assert.ok(name.startsWith('extension/'), name);
      assertAllowed(name.slice('extension/'.length), 'in the .vsix');
    }
  });

  test('.vscodeignore on its own, as vsce reads it in the repository (sources, tests, maps and all), lets back only the allow-list', () => {
    // npm run package stages its files, but `vsce package` run by hand reads the repository.
    assert.ok(listedFromRepository.includes('dist/server.js'), `vsce ls listed: ${listedFromRepository.join(', ')}`);
    for (const file of listedFromRepository) assertAllowed(file, 'vsce ls in the repository');
  });

  test('the files the extension needs are there', () => {
    const required = [
      'dist/client.js',
      'dist/server.js',
      'dist/cli.js',
      'dist/web-tree-sitter.wasm',
      'dist/tree-sitter-terraform.wasm',
      'dist/ThirdPartyNotices.txt',
      'dist/iam-catalog/index.json',
      'dist/iam-catalog/s3.json',
      'dist/iam-catalog/s3.descriptions.json',
      'syntaxes/terraform.tmLanguage.json',
      'syntaxes/terraform.language-configuration.json',
      'syntaxes/keyless-ignore.injection.tmLanguage.json',
      ...RULES.map((rule) => `docs/rules/${rule.id}.md`),
      // vsce's names for README.md, CHANGELOG.md and LICENSE.
      'readme.md',
      'changelog.md',
      'LICENSE.txt',
      'images/icon.png',
      'package.json',
    ];
    for (const file of required) assert.ok(entries.has(`extension/${file}`), `extension/${file} is missing`);
    assert.ok([...entries.keys()].some((name) => /^extension\/dist\/walkthrough\/[^/]+\.md$/.test(name)), 'no walkthrough page');
  });

  test(`the package is at most ${MAX_BYTES / 1024 / 1024} MiB`, () => {
    const size = statSync(vsix).size;
    assert.ok(size <= MAX_BYTES, `${size} bytes`);
  });

  test('the bundles are the production build: minified, no source map reference', () => {
    for (const bundle of ['client.js', 'server.js', 'cli.js']) {
      const code = text(`extension/dist/${bundle}`);
      assert.doesNotMatch(code, /sourceMappingURL/, bundle);
      // Minified code runs to long lines (breaks are left only inside template literals); the
      // development build has one statement per line, some 30 characters on average.
      const averageLine = code.length / code.split('\n').length;
      assert.ok(averageLine > 500, `${bundle} does not look minified: ${Math.round(averageLine)} characters a line`);
    }
    assert.ok(text('extension/dist/cli.js').startsWith('#!/usr/bin/env node'));
  });

  test('the icon is a 128×128 PNG', () => {
    const png = entries.get('extension/images/icon.png')!;
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });

  test('the licence is the MIT licence of the Keyless contributors', () => {
    const license = text('extension/LICENSE.txt');
    assert.match(license, /^MIT License/);
    assert.match(license, /Copyright \(c\) 2026 Keyless contributors/);
  });
});

describe('third-party notice', () => {
  const listed = (notice: string): Set<string> => new Set([...notice.matchAll(/^ {2}(\S+) (\S+) \(([^)]+)\): (.+)$/gm)].map((m) => `${m[1]} ${m[2]}`));

  test('names every npm package whose code is in a bundle, with its version', () => {
    const notice = text('extension/dist/ThirdPartyNotices.txt');
    const bundled = packagesInSourceMaps(devBuild);
    // The bundles carry at least the parsers and the LSP libraries.
    for (const name of ['yaml', 'jsonc-parser', 'web-tree-sitter', 'vscode-languageclient', 'vscode-languageserver', 'vscode-jsonrpc']) {
      assert.ok([...bundled].some((p) => p.startsWith(`${name} `)), `source maps show no ${name}: the witness is broken`);
    }
    const names = listed(notice);
    for (const p of bundled) assert.ok(names.has(p), `${p} is bundled but not in ThirdPartyNotices.txt`);
  });

  test('names the sources of the two .wasm files, the grammar under Apache-2.0', () => {
    const notice = text('extension/dist/ThirdPartyNotices.txt');
    assert.match(notice, /^ {2}web-tree-sitter \S+ \(MIT\): .*web-tree-sitter\.wasm/m);
    assert.match(notice, /^ {2}@tree-sitter-grammars\/tree-sitter-hcl \S+ \(Apache-2\.0\): .*tree-sitter-terraform\.wasm/m);
  });

  test('names the source of the AWS action catalog\'s data, under MIT', () => {
    const notice = text('extension/dist/ThirdPartyNotices.txt');
    assert.match(notice, /^ {2}@cloud-copilot\/iam-data \S+ \(MIT\): iam-catalog\//m);
  });

  test('every listed package has a section with its licence', () => {
    const notice = text('extension/dist/ThirdPartyNotices.txt');
    for (const p of listed(notice)) {
      const at = notice.indexOf(`\n${p}\nLicence: `);
      assert.ok(at !== -1, `no section for ${p}`);
    }
    // The licence texts themselves, not just the names: the MIT and Apache-2.0 wording.
    assert.match(notice, /Permission is hereby granted, free of charge/);
    assert.match(notice, /Apache License\s+Version 2\.0/);
  });
});

describe('manifest', () => {
  const manifest = (): Manifest => JSON.parse(text('extension/package.json')) as Manifest;

  test('names, description, categories, keywords, icon, licence, repository, engine', () => {
    const m = manifest();
    for (const field of ['name', 'displayName', 'description', 'version', 'publisher'] as const) {
      assert.ok(typeof m[field] === 'string' && m[field]!.trim() !== '', `${field} is empty`);
    }
    assert.ok(m.categories?.includes('Linters'), 'categories');
    assert.ok((m.keywords?.length ?? 0) > 0, 'keywords');
    assert.equal(m.icon, 'images/icon.png');
    assert.ok(entries.has(inPackage(m.icon)), 'the icon is not packaged');
    assert.equal(m.license, 'MIT');
    assert.match(m.repository?.url ?? '', /^https:\/\//);
    assert.equal(m.engines?.vscode, '^1.100.0');
    assert.equal(m.preview, true);
    assert.ok(m.main && entries.has(inPackage(m.main)), `main ${m.main} is not packaged`);
  });

  test('activation events, and limited support in untrusted workspaces, explained', () => {
    const m = manifest();
    assert.ok((m.activationEvents?.length ?? 0) > 0);
    assert.ok(m.activationEvents!.includes('onLanguage:yaml'));
    assert.equal(m.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.ok((m.capabilities?.untrustedWorkspaces?.description ?? '').trim().length > 0);
  });

  test('languages and grammars point at packaged files', () => {
    const { contributes } = manifest();
    assert.ok((contributes?.languages?.length ?? 0) > 0);
    assert.ok((contributes?.grammars?.length ?? 0) > 0);
    for (const language of contributes!.languages!) {
      if (language.configuration) assert.ok(entries.has(inPackage(language.configuration)), language.configuration);
    }
    for (const grammar of contributes!.grammars!) assert.ok(entries.has(inPackage(grammar.path)), grammar.path);
  });

  test('every keyless.* setting has a description and a default', () => {
    const settings = Object.entries(manifest().contributes?.configuration?.properties ?? {}).filter(([key]) => key.startsWith('keyless.'));
    assert.ok(settings.length > 0);
    for (const [key, setting] of settings) {
      assert.ok((setting.description ?? setting.markdownDescription ?? '').trim() !== '', `${key} has no description`);
      assert.ok('default' in setting, `${key} has no default`);
    }
  });

  test('every command the client registers is contributed', () => {
    const client = readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
    // The names come from the protocol file the client imports them from.
    const protocol = readFileSync(path.join(ROOT, 'protocol/keyless.ts'), 'utf8');
    const constants = new Map([...`${client}\n${protocol}`.matchAll(/const (\w+) = '([^']*)'/g)].map((m) => [m[1]!, m[2]!]));
    const registered = [...client.matchAll(/registerCommand\(\s*(\w+|'[^']*')/g)].map((m) => (m[1]!.startsWith("'") ? m[1]!.slice(1, -1) : constants.get(m[1]!)));
    assert.ok(registered.length > 0);
    const contributed = new Set(manifest().contributes?.commands?.map((c) => c.command));
    for (const id of registered) assert.ok(id !== undefined && contributed.has(id), `${id} is registered but not contributed`);
    assert.ok(contributed.has('keyless.openExample'));
  });
});

describe('walkthrough', () => {
  const walkthrough = () => {
    const walkthroughs = (JSON.parse(text('extension/package.json')) as Manifest).contributes?.walkthroughs ?? [];
    assert.equal(walkthroughs.length, 1);
    return walkthroughs[0]!;
  };

  test('"Get started with Keyless", three steps, each page in the package', () => {
    const { title, steps } = walkthrough();
    assert.equal(title, 'Get started with Keyless');
    assert.equal(steps.length, 3);
    for (const step of steps) {
      assert.ok(step.media.markdown, `${step.id} has no markdown page`);
      assert.match(step.media.markdown, /^dist\/walkthrough\/[^/]+\.md$/);
      assert.ok(entries.has(inPackage(step.media.markdown)), `${step.media.markdown} is not packaged`);
      assert.ok((step.completionEvents?.length ?? 0) > 0, `${step.id} never completes`);
    }
  });

  test('the steps: open the example, open the Problems view, run the quick fix', () => {
    const [open, see, fix] = walkthrough().steps;
    const buttons = (step: WalkthroughStep): string[] => [...step.description.matchAll(/\]\(command:(?:toSide:)?([\w.]+)\)/g)].map((m) => m[1]!);
    assert.deepEqual(buttons(open!), ['keyless.openExample']);
    assert.deepEqual(open!.completionEvents, ['onCommand:keyless.openExample']);
    assert.deepEqual(buttons(see!), ['workbench.actions.view.problems']);
    assert.ok(see!.completionEvents!.includes('onView:workbench.panel.markers.view') || see!.completionEvents!.includes('onCommand:workbench.actions.view.problems'));
    assert.deepEqual(buttons(fix!), ['editor.action.quickFix']);
    assert.deepEqual(fix!.completionEvents, ['onCommand:editor.action.quickFix']);
    assert.match(fix!.description, /Ctrl\+\./);
    assert.match(fix!.description, /Suppress static-cloud-credentials on this line/);
  });

  test('the page and the command carry the same example workflow, from one file', () => {
    const example = readFileSync(path.join(ROOT, 'walkthrough/example-workflow.yml'), 'utf8').trimEnd();
    const page = walkthrough().steps[0]!.media.markdown!;
    assert.ok(text(inPackage(page)).includes(example), `${page} does not show walkthrough/example-workflow.yml`);
    // The client inlines the file as a string literal (escaped as the literal needs, so only lines
    // without quotes or `${` are compared as they are).
    const client = text('extension/dist/client.js');
    for (const line of ['      - uses: aws-actions/configure-aws-credentials@v4', '      - run: aws s3 sync ./site s3://example-site --delete']) {
      assert.ok(example.includes(line), `the example no longer has "${line.trim()}"`);
      assert.ok(client.includes(line), `dist/client.js does not carry "${line.trim()}"`);
    }
  });
});
