import type { AwsCatalog } from '../../server/src/iam/catalog';
import type { NarrowingStatement, NarrowingValue } from '../../server/src/iam/narrowing';

/**
 * An independent, brute-force check of `proveNarrower`: evaluates both policies over concrete
 * requests — the catalog's actions of the services they name (plus a made-up action for each
 * wildcard, standing for one AWS adds later), ARNs made from every resource pattern of both, and
 * request contexts that satisfy each condition or none — and returns a request the new policy
 * allows and the old one does not. It shares no code with the proof: its own glob matching, its
 * own condition test (a condition holds when the context says so, by its text).
 */

export interface Request {
  action: string;
  resource: string;
  /** The conditions (as `conditionKey` writes them) that hold. */
  satisfied: ReadonlySet<string>;
}

const VARIABLE_VALUE = 'alice';

export function widening(catalog: AwsCatalog, before: readonly NarrowingStatement[], after: readonly NarrowingStatement[], maxActions = 3000): Request | undefined {
  const all = [...before, ...after];
  const actions = sampleActions(catalog, all, maxActions);
  const resources = sampleResources(all);
  const conditions = [...new Set(all.flatMap((s) => s.conditions.map(conditionKey)))];
  const contexts: ReadonlySet<string>[] = [new Set(), new Set(conditions), ...conditions.map((c) => new Set([c])), ...conditions.map((c) => new Set(conditions.filter((d) => d !== c)))];
  for (const action of actions) {
    for (const resource of resources) {
      for (const satisfied of contexts) {
        const request = { action, resource, satisfied };
        if (allows(after, request) && !allows(before, request)) return request;
      }
    }
  }
  return undefined;
}

export function conditionKey(c: NarrowingStatement['conditions'][number]): string {
  return `${c.qualifier ?? ''}${c.operator}${c.ifExists ? 'IfExists' : ''}|${c.key.toLowerCase()}|${c.values.map((v) => v.value).sort().join(',')}`;
}

function allows(policy: readonly NarrowingStatement[], request: Request): boolean {
  const applies = (s: NarrowingStatement): boolean =>
    actionApplies(s, request.action) && resourceApplies(s, request.resource) && s.conditions.every((c) => request.satisfied.has(conditionKey(c)));
  return policy.some((s) => s.effect === 'Allow' && applies(s)) && !policy.some((s) => s.effect === 'Deny' && applies(s));
}

function actionApplies(s: NarrowingStatement, action: string): boolean {
  // IAM rejects an action that is neither `*` nor `service:action`: it matches nothing.
  const wellFormed = (text: string): boolean => /^\*+$/.test(text.trim()) || /^[^:]+:[^:]+$/.test(text.trim());
  const match = (v: NarrowingValue): boolean => (v.computed ? v.value === action : wellFormed(v.value) && globRegex(v.value, true).test(action));
  if (s.notActions.length > 0) return !s.notActions.some(match);
  return s.actions.some(match);
}

function resourceApplies(s: NarrowingStatement, resource: string): boolean {
  const match = (v: NarrowingValue): boolean => (v.computed ? v.value === resource || v.value.trim() === '*' : globRegex(v.value, false).test(resource));
  if (s.notResources.length > 0) return !s.notResources.some(match);
  return s.resources.some(match);
}

const regexes = new Map<string, RegExp>();
function globRegex(pattern: string, caseInsensitive: boolean): RegExp {
  const id = `${caseInsensitive}${pattern}`;
  let regex = regexes.get(id);
  if (!regex) {
    const body = pattern
      .trim()
      .replace(/[$&]\{([^}]*)\}/g, (_, inner: string) => (inner === '*' || inner === '?' || inner === '$' ? `\u0000${inner}` : VARIABLE_VALUE))
      .split('')
      .map((c, i, chars) => (chars[i - 1] === '\u0000' ? c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : c === '\u0000' ? '' : c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    regexes.set(id, regex);
  }
  return regex;
}

function sampleActions(catalog: AwsCatalog, statements: readonly NarrowingStatement[], max: number): string[] {
  const patterns = statements.flatMap((s) => [...s.actions, ...s.notActions]).filter((v) => !v.computed).map((v) => v.value.trim());
  const found = new Set<string>(statements.flatMap((s) => [...s.actions, ...s.notActions]).filter((v) => v.computed).map((v) => v.value));
  const services = new Set<string>(['s3', 'iam', 'ec2']);
  for (const p of patterns) {
    const colon = p.indexOf(':');
    if (colon > 0 && !/[*?]/.test(p.slice(0, colon))) services.add(p.slice(0, colon).toLowerCase());
    // A literal action as written, and each wildcard instantiated as an action AWS may add later.
    found.add(p.replace(/\*/g, 'ZzFuture').replace(/\?/g, 'Q'));
  }
  for (const service of services) {
    if (!catalog.hasService(service)) continue;
    for (const action of catalog.actionsOf(service)) {
      if (found.size >= max) break;
      found.add(action.name);
    }
  }
  return [...found];
}

function sampleResources(statements: readonly NarrowingStatement[]): string[] {
  const found = new Set<string>(['arn:aws:s3:::unrelated-bucket', 'arn:aws:iam::111122223333:role/other', 'zz-unrelated']);
  for (const s of statements) {
    for (const v of [...s.resources, ...s.notResources]) {
      if (v.computed) {
        found.add(v.value);
        continue;
      }
      const withVariables = v.value.trim().replace(/[$&]\{([^}]*)\}/g, (_, inner: string) => (inner === '*' || inner === '?' || inner === '$' ? inner : VARIABLE_VALUE));
      for (const fill of ['', 'x', 'x/y', 'zz:other']) found.add(withVariables.replace(/\*/g, fill).replace(/\?/g, 'q'));
      found.add(withVariables.replace(/\$\{|&\{/g, '').replace(/\*/g, 'bob'));
    }
  }
  return [...found];
}
