import { actionPattern, actionsCovered, arnPatternCovers, arnPatternsIntersect, type ActionSpec } from './catalog';

/**
 * The proof a scope-down must pass before it is offered: the rewritten policy grants nothing the
 * old one did not. Decided on the statements alone, cautiously — a rewrite that cannot be shown
 * narrower is rejected with the reason, never offered:
 * - every old Deny, and every old statement written with `NotAction` or `NotResource`, is in the
 *   new policy exactly as it was (a changed Deny could let more through; a `Not…` statement is
 *   kept rather than reasoned about);
 * - a new Deny grants nothing and may be added;
 * - every new Allow is covered, action by action, by one old Allow: the action by the old one's
 *   actions (`actionsCovered`: a wildcard only by a pattern that covers it, so the proof holds when
 *   AWS adds actions), every resource by one of the old one's resources (`arnPatternCovers`, ARN
 *   globs and policy variables), or under an old `NotResource` by none of its exclusions; and the
 *   old one's conditions all kept — the same operator, key and values — with any added;
 * - a value that is computed (a Terraform reference or interpolation, a CloudFormation intrinsic)
 *   is covered by the same value written the same way, or a resource by `*`: what it will be is
 *   decided elsewhere, so nothing else is known to cover it;
 * - principals (resource policies) are kept exactly.
 */

/** A value of a statement: literal or computed (its text as written). */
export interface NarrowingValue {
  value: string;
  computed?: boolean;
}

export interface NarrowingCondition {
  operator: string;
  qualifier?: string;
  ifExists: boolean;
  key: string;
  values: readonly NarrowingValue[];
}

/** A statement as the proof reads it (a `PolicyStatement` fits: its `ValueAt`s are values). */
export interface NarrowingStatement {
  effect: 'Allow' | 'Deny';
  actions: readonly NarrowingValue[];
  notActions: readonly NarrowingValue[];
  resources: readonly NarrowingValue[];
  notResources: readonly NarrowingValue[];
  conditions: readonly NarrowingCondition[];
  principals?: readonly { type: string; values: readonly NarrowingValue[] }[];
  notPrincipals?: readonly { type: string; values: readonly NarrowingValue[] }[];
}

export type NarrowingVerdict = { narrower: true } | { narrower: false; reason: string };

/** Whether the policy `after` grants nothing `before` does not. */
export function proveNarrower(before: readonly NarrowingStatement[], after: readonly NarrowingStatement[]): NarrowingVerdict {
  for (const [index, statement] of before.entries()) {
    if (!keptAsWritten(statement)) continue;
    if (!after.some((s) => sameStatement(s, statement))) return rejected(`statement ${index + 1} (${describe(statement)}) is not kept exactly`);
  }
  const allows = before.filter((s) => s.effect === 'Allow');
  for (const [index, statement] of after.entries()) {
    if (statement.effect === 'Deny') continue;
    if (keptAsWritten(statement)) {
      if (before.some((s) => sameStatement(s, statement))) continue;
      return rejected(`new statement ${index + 1} uses NotAction or NotResource`);
    }
    const reason = uncovered(statement, allows);
    if (reason) return rejected(`new statement ${index + 1}: ${reason}`);
  }
  return { narrower: true };
}

function rejected(reason: string): NarrowingVerdict {
  return { narrower: false, reason };
}

/** Deny, NotAction and NotResource statements: kept exactly, never rewritten. */
function keptAsWritten(statement: NarrowingStatement): boolean {
  return statement.effect === 'Deny' || statement.notActions.length > 0 || statement.notResources.length > 0;
}

/** Why no old Allow covers a new one (undefined when covered). */
function uncovered(statement: NarrowingStatement, allows: readonly NarrowingStatement[]): string | undefined {
  if (statement.actions.length === 0) return undefined; // grants nothing
  if (statement.resources.length === 0) return undefined; // an identity statement without Resource is invalid: grants nothing
  for (const action of statement.actions) {
    if (!action.computed && actionPattern(action.value).malformed) continue; // grants nothing
    const candidates = allows.filter((old) => actionCoveredBy(old, action));
    if (candidates.length === 0) return `no old Allow grants ${action.value}`;
    const resourcesCovered = candidates.filter((old) => statement.resources.every((r) => resourceCoveredBy(old, r)));
    if (resourcesCovered.length === 0) return `${action.value}: a resource is wider than the old statement's`;
    const conditionsKept = resourcesCovered.filter((old) => old.conditions.every((c) => statement.conditions.some((n) => sameCondition(n, c))));
    if (conditionsKept.length === 0) return `${action.value}: a condition of the old statement is dropped or changed`;
    if (!conditionsKept.some((old) => samePrincipals(old, statement))) return `${action.value}: the principals changed`;
  }
  return undefined;
}

function actionCoveredBy(old: NarrowingStatement, action: NarrowingValue): boolean {
  if (action.computed) return old.actions.some((a) => a.computed && a.value === action.value);
  const spec: ActionSpec = old.notActions.length > 0 ? { notActions: literals(old.notActions) } : { actions: literals(old.actions) };
  // An old computed action may be anything, but nothing is known to be it: it covers only itself.
  return actionsCovered(spec, { actions: [action.value] });
}

function resourceCoveredBy(old: NarrowingStatement, resource: NarrowingValue): boolean {
  if (old.notResources.length > 0) {
    if (resource.computed || old.notResources.some((r) => r.computed)) return false;
    return old.notResources.every((excluded) => !arnPatternsIntersect(excluded.value, resource.value));
  }
  return old.resources.some((r) => {
    if (!r.computed && r.value.trim() === '*') return true;
    if (resource.computed || r.computed) return resource.computed === r.computed && resource.value === r.value;
    return arnPatternCovers(r.value, resource.value);
  });
}

function literals(values: readonly NarrowingValue[]): string[] {
  return values.filter((v) => !v.computed).map((v) => v.value);
}

function sameCondition(a: NarrowingCondition, b: NarrowingCondition): boolean {
  return a.operator === b.operator && (a.qualifier ?? '') === (b.qualifier ?? '') && a.ifExists === b.ifExists && a.key.toLowerCase() === b.key.toLowerCase() && sameValueSet(a.values, b.values);
}

function sameValueSet(a: readonly NarrowingValue[], b: readonly NarrowingValue[]): boolean {
  const key = (v: NarrowingValue): string => `${v.computed ? 'c' : 'l'}:${v.value}`;
  const left = new Set(a.map(key));
  const right = new Set(b.map(key));
  return left.size === right.size && [...left].every((v) => right.has(v));
}

function samePrincipals(a: NarrowingStatement, b: NarrowingStatement): boolean {
  return samePrincipalList(a.principals ?? [], b.principals ?? []) && samePrincipalList(a.notPrincipals ?? [], b.notPrincipals ?? []);
}

function samePrincipalList(a: readonly { type: string; values: readonly NarrowingValue[] }[], b: readonly { type: string; values: readonly NarrowingValue[] }[]): boolean {
  return a.length === b.length && a.every((p) => b.some((q) => q.type === p.type && sameValueSet(p.values, q.values)));
}

function sameStatement(a: NarrowingStatement, b: NarrowingStatement): boolean {
  const sameList = (x: readonly NarrowingValue[], y: readonly NarrowingValue[]): boolean => sameValueSet(x, y);
  return (
    a.effect === b.effect &&
    sameList(a.actions, b.actions) &&
    sameList(a.notActions, b.notActions) &&
    sameList(a.resources, b.resources) &&
    sameList(a.notResources, b.notResources) &&
    a.conditions.length === b.conditions.length &&
    a.conditions.every((c) => b.conditions.some((d) => sameCondition(c, d))) &&
    samePrincipals(a, b)
  );
}

function describe(statement: NarrowingStatement): string {
  const actions = statement.notActions.length > 0 ? `NotAction ${statement.notActions.map((v) => v.value).join(', ')}` : statement.actions.map((v) => v.value).join(', ');
  return `${statement.effect} ${actions}`.slice(0, 80);
}
