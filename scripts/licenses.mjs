// The third-party notice that ships in dist/: which npm packages went into the bundles, under which
// licences, with each package's own licence text. scripts/build.mjs feeds it esbuild's metafile;
// everything here but `readPackage` is pure, so the licence decision is unit-tested on its own
// (test/package/licenses.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Licences that let us ship a package's code inside a minified bundle with nothing more than this
 * notice. Anything else (copyleft, "SEE LICENSE IN", no licence at all) needs a person to decide,
 * so the build stops. BlueOak-1.0.0 is here for minimatch (inside vscode-languageclient): a
 * permissive, OSI-approved licence whose only condition, like MIT's, is passing the notice on.
 */
export const ALLOWED_LICENSES = ['MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'BlueOak-1.0.0'];

/** The licence a package.json declares, as an SPDX expression; undefined when it declares none. */
export function declaredLicense(manifest) {
  const { license, licenses } = manifest;
  if (typeof license === 'string' && license.trim() !== '') return license.trim();
  // Old forms, still found in packages published years ago: { type } and [{ type }, …].
  if (license && typeof license.type === 'string') return license.type;
  if (Array.isArray(licenses) && licenses.length > 0 && licenses.every((l) => typeof l?.type === 'string')) {
    return licenses.length === 1 ? licenses[0].type : `(${licenses.map((l) => l.type).join(' OR ')})`;
  }
  return undefined;
}

/**
 * Whether an SPDX licence expression lets us ship the package: `A OR B` when either is allowed,
 * `A AND B` when both are. A licence `WITH` an exception counts as its base licence, since
 * exceptions only add permissions. Ids compare case-insensitively, as SPDX says. Anything that does
 * not parse is not allowed.
 */
export function isAllowedLicense(expression) {
  if (typeof expression !== 'string') return false;
  const allowed = new Set(ALLOWED_LICENSES.map((id) => id.toLowerCase()));
  const tokens = expression.match(/[()]|[^\s()]+/g) ?? [];
  let position = 0;
  const next = () => tokens[position++];
  const peek = (word) => tokens[position]?.toUpperCase() === word;

  // or := and ("OR" and)* ; and := atom ("AND" atom)* ; atom := "(" or ")" | id ["WITH" exception]
  const parseOr = () => {
    let value = parseAnd();
    while (peek('OR')) {
      next();
      value = parseAnd() || value;
    }
    return value;
  };
  const parseAnd = () => {
    let value = parseAtom();
    while (peek('AND')) {
      next();
      value = parseAtom() && value;
    }
    return value;
  };
  const parseAtom = () => {
    const token = next();
    if (token === undefined) throw new SyntaxError('unexpected end');
    if (token === '(') {
      const value = parseOr();
      if (next() !== ')') throw new SyntaxError('missing )');
      return value;
    }
    if (token === ')' || ['AND', 'OR', 'WITH'].includes(token.toUpperCase())) throw new SyntaxError(`unexpected ${token}`);
    if (peek('WITH')) {
      next();
      if (next() === undefined) throw new SyntaxError('missing exception');
    }
    return allowed.has(token.toLowerCase());
  };

  try {
    const value = parseOr();
    return position === tokens.length && value;
  } catch {
    return false;
  }
}

/**
 * The package folder a bundled file came from (`node_modules/@scope/name` or `node_modules/name`,
 * the innermost one when packages nest), or undefined for our own sources.
 */
export function packageDirOf(inputPath) {
  const path = inputPath.replace(/\\/g, '/');
  const marker = 'node_modules/';
  const at = path.lastIndexOf(marker);
  if (at === -1) return undefined;
  const segments = path.slice(at + marker.length).split('/');
  const length = segments[0]?.startsWith('@') ? 2 : 1;
  if (segments.length <= length) return undefined;
  return path.slice(0, at + marker.length) + segments.slice(0, length).join('/');
}

/**
 * The packages of a set of builds: for each esbuild metafile output (keyed by the bundle's file
 * name), the package folders of the inputs that put bytes into it. Returns folder → bundle names.
 */
export function bundledPackageDirs(metafiles) {
  const dirs = new Map();
  for (const metafile of metafiles) {
    for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
      const bundle = output.replace(/\\/g, '/').split('/').pop();
      for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
        // A file tree-shaken down to nothing ships nothing of its package.
        if (bytesInOutput === 0) continue;
        const dir = packageDirOf(input);
        if (dir === undefined) continue;
        if (!dirs.has(dir)) dirs.set(dir, new Set());
        dirs.get(dir).add(bundle);
      }
    }
  }
  return dirs;
}

const LICENSE_FILE = /^(licen[cs]e|copying)([.-].*)?$/i;
// Apache-2.0 §4(d): a NOTICE file that comes with the work is redistributed with it.
const NOTICE_FILE = /^notice([.-].*)?$/i;

/**
 * What the notice needs from one package folder: name, version, declared licence, and the texts of
 * its licence and NOTICE files. `bundles` says where it went (file names in dist/).
 */
export function readPackage(dir, bundles) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  const texts = (pattern) => files.filter((name) => pattern.test(name)).map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  return {
    name: manifest.name,
    version: manifest.version,
    license: declaredLicense(manifest),
    bundles: [...bundles].sort(),
    licenseTexts: texts(LICENSE_FILE),
    noticeTexts: texts(NOTICE_FILE),
  };
}

/** One line per package whose licence is not allowed; empty when all are. */
export function licenseProblems(packages) {
  return packages
    .filter((p) => !isAllowedLicense(p.license))
    .map((p) => `${p.name}@${p.version}: ${p.license ?? 'no licence declared'} (allowed: ${ALLOWED_LICENSES.join(', ')})`);
}

const RULE = '='.repeat(80);
const THIN = '-'.repeat(80);

/** The text of dist/ThirdPartyNotices.txt, packages sorted by name so the file is stable. */
export function renderNotices(product, packages) {
  const sorted = [...packages].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const lines = [
    `${product.name} ${product.version}: third-party notices`,
    '',
    `The files in this folder contain code from the npm packages below, bundled and minified. ${product.name}`,
    `itself is under the ${product.license} licence (see LICENSE). Each package is listed with its version, its`,
    'licence, the files it went into, and the licence text (and NOTICE, if any) from the package.',
    '',
    ...sorted.map((p) => `  ${p.name} ${p.version} (${p.license}): ${p.bundles.join(', ')}`),
  ];
  for (const p of sorted) {
    lines.push('', RULE, `${p.name} ${p.version}`, `Licence: ${p.license}`, `Used in: ${p.bundles.join(', ')}`, THIN);
    if (p.licenseTexts.length === 0) {
      lines.push(`The package has no licence file; its package.json declares the licence ${p.license}.`);
    }
    for (const { name, text } of [...p.licenseTexts, ...p.noticeTexts]) {
      if (p.licenseTexts.length + p.noticeTexts.length > 1) lines.push(`[${name}]`);
      lines.push(text.replace(/\r\n?/g, '\n').trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}
