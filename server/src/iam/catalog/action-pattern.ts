import { globCovers, globsIntersect, plainGlob } from './glob';

/**
 * Action patterns as IAM reads them: `service:Action` with `*` (any run of characters) and `?`
 * (any one character), compared case-insensitively; `*` alone is every action. The grammar (IAM
 * User Guide, "IAM JSON policy elements: Action" and "Grammar of the IAM JSON policy language",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html): an action is
 * `*` or `<service prefix>:<action name>`; IAM rejects the others, so they grant nothing.
 *
 * Everything here is the pattern alone, no catalog: which strings it matches, and whether one list
 * of patterns allows everything another allows.
 */

export interface ActionPattern {
  /** As written. */
  text: string;
  /** Malformed: not `*` nor `service:action` (IAM rejects the policy; it grants nothing). */
  malformed: boolean;
  /** The part before the colon, lower-case (`s3`, `s3*`); `*` for the pattern `*`. */
  service: string;
  /** The part after it, lower-case (`get*`); `*` for the pattern `*`. */
  action: string;
  /** Whether it holds a `*` or `?`. */
  wildcard: boolean;
  /** Whether it matches `service:action` (any case). */
  matches(name: string): boolean;
  /** Whether its service part matches a service prefix. */
  matchesService(prefix: string): boolean;
}

const SERVICE_PART = /^[a-z0-9*?-]+$/;
const ACTION_PART = /^[a-z0-9*?-]+$/;

const compiled = new Map<string, ActionPattern>();
const MAX_COMPILED = 4096;

/** The pattern, parsed once (patterns repeat across statements and keystrokes). */
export function actionPattern(text: string): ActionPattern {
  let pattern = compiled.get(text);
  if (!pattern) {
    pattern = parse(text);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(text, pattern);
  }
  return pattern;
}

function parse(text: string): ActionPattern {
  const lower = text.trim().toLowerCase();
  const wildcard = /[*?]/.test(lower);
  const colon = lower.indexOf(':');
  const all = /^\*+$/.test(lower);
  const service = all ? '*' : colon === -1 ? lower : lower.slice(0, colon);
  const action = all ? '*' : colon === -1 ? '' : lower.slice(colon + 1);
  const malformed = !all && (colon === -1 || !SERVICE_PART.test(service) || !ACTION_PART.test(action));
  const parts = { text, malformed, service, action, wildcard };
  if (malformed) return { ...parts, matches: () => false, matchesService: () => false };
  if (all) return { ...parts, matches: () => true, matchesService: () => true };
  const serviceRegex = /[*?]/.test(service) ? globRegex(service) : undefined;
  const matchesService = (prefix: string): boolean => (serviceRegex ? serviceRegex.test(prefix) : prefix.toLowerCase() === service);
  if (!wildcard) return { ...parts, matches: (name) => name.toLowerCase() === lower, matchesService };
  const regex = globRegex(lower);
  return { ...parts, matches: (name) => regex.test(name), matchesService };
}

/** `*` and `?` as a case-insensitive regular expression over the whole name. */
function globRegex(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * What a statement says about actions: the patterns of its `Action`, or of its `NotAction` (every
 * action but those). A statement has one or the other.
 */
export type ActionSpec = { actions: readonly string[]; notActions?: undefined } | { notActions: readonly string[]; actions?: undefined };

/**
 * Whether the statement allows the action `service:Action` (a name, not a pattern): by its
 * patterns alone, so an action the catalog does not know is decided the same way IAM would.
 */
export function specAllows(spec: ActionSpec, name: string): boolean {
  if (spec.notActions) return !spec.notActions.some((p) => actionPattern(p).matches(name));
  return spec.actions.some((p) => actionPattern(p).matches(name));
}

/**
 * One predicate over action names for several statements: allowed by one of `allow` and denied by
 * none of `deny` (Deny wins in IAM). Resources and conditions are the caller's to weigh.
 */
export function statementsAllow(allow: readonly ActionSpec[], deny: readonly ActionSpec[] = []): (name: string) => boolean {
  return (name) => allow.some((spec) => specAllows(spec, name)) && !deny.some((spec) => specAllows(spec, name));
}

/**
 * Whether `outer` allows everything `inner` allows, now and when AWS adds actions: what a
 * scope-down must show before it replaces `outer` with `inner`. Decided on the patterns, without
 * the catalog, and cautiously:
 * - an inner action without wildcards is allowed by `outer` exactly as IAM would decide it;
 * - an inner wildcard must be covered by one outer pattern as a pattern (`s3:Get*` by `s3:*`), not
 *   by the union of the actions the catalog lists today (AWS adds actions: a list of today's
 *   `s3:Get…` actions does not cover `s3:Get*`); under an outer `NotAction`, it must share no
 *   action with any excluded pattern;
 * - an inner `NotAction` is covered by an outer `*`, or by an outer `NotAction` each of whose
 *   exclusions the inner one also excludes.
 * Malformed inner patterns grant nothing and need no cover.
 */
export function actionsCovered(outer: ActionSpec, inner: ActionSpec): boolean {
  if (inner.notActions) {
    if (outer.actions) return outer.actions.some((p) => isEveryAction(actionPattern(p)));
    const innerExcluded = inner.notActions.map(actionPattern).filter((p) => !p.malformed);
    return outer.notActions.map(actionPattern).every((excluded) => excluded.malformed || innerExcluded.some((p) => globCovers(plainGlob(p.text.trim().toLowerCase()), plainGlob(excluded.text.trim().toLowerCase()))));
  }
  for (const text of inner.actions) {
    const pattern = actionPattern(text);
    if (pattern.malformed) continue;
    const name = text.trim().toLowerCase();
    if (!pattern.wildcard) {
      if (!specAllows(outer, name)) return false;
      continue;
    }
    const tokens = plainGlob(name);
    const covered = outer.notActions
      ? outer.notActions.every((p) => actionPattern(p).malformed || !globsIntersect(plainGlob(p.trim().toLowerCase()), tokens))
      : outer.actions.some((p) => !actionPattern(p).malformed && globCovers(plainGlob(p.trim().toLowerCase()), tokens));
    if (!covered) return false;
  }
  return true;
}

/** A test of membership in a table of action names (`service:Action`, any case; a pattern is never a member). */
export function inActionTable(names: readonly string[]): (action: string) => boolean {
  const members: ReadonlySet<string> = new Set(names.map((a) => a.toLowerCase()));
  return (action) => members.has(action.trim().toLowerCase());
}

/** `*`, `*:*` and the like: every action of every service. */
export function isEveryAction(pattern: ActionPattern): boolean {
  return !pattern.malformed && /^\*+$/.test(pattern.service) && /^\*+$/.test(pattern.action);
}
