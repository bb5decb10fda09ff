// Types for licenses.mjs, which stays plain JavaScript because scripts/build.mjs imports it under
// node without a TypeScript loader; the tests import it through these.

export interface PackageFile {
  name: string;
  text: string;
}

export interface BundledPackage {
  name: string;
  version: string;
  /** The SPDX expression the package.json declares; undefined when it declares none. */
  license: string | undefined;
  /** File names in dist/ the package went into. */
  bundles: string[];
  licenseTexts: PackageFile[];
  noticeTexts: PackageFile[];
}

export interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

export const ALLOWED_LICENSES: readonly string[];
export function declaredLicense(manifest: { license?: unknown; licenses?: unknown }): string | undefined;
export function isAllowedLicense(expression: string | undefined): boolean;
export function packageDirOf(inputPath: string): string | undefined;
export function bundledPackageDirs(metafiles: readonly Metafile[]): Map<string, Set<string>>;
export function readPackage(dir: string, bundles: Iterable<string>): BundledPackage;
export function licenseProblems(packages: readonly BundledPackage[]): string[];
export function renderNotices(product: { name: string; version: string; license: string }, packages: readonly BundledPackage[]): string;
