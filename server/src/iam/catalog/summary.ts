import { actionPattern, specAllows, type ActionSpec } from './action-pattern';
import type { ActionPatternProblem, AwsCatalog } from './catalog';
import { CREDENTIAL_ACTIONS } from './credential-actions';
import { ACCESS_LEVELS, type AccessLevel } from './data';
import { escalationMethodsGranted, type EscalationMethod } from './escalation';
import { EXFILTRATION_READS } from './exfiltration';

/**
 * What a statement's actions grant, as plain data for hovers and rule messages to word: how many
 * actions, by access level, and the risky ones by name. Counts are of the catalog's actions today;
 * `growsWithAws` says when the grant also takes in actions AWS adds later.
 */
export interface GrantSummary {
  /** Actions granted, each once. */
  total: number;
  /** Actions granted per access level (every level present, zero when none). */
  byLevel: Record<AccessLevel, number>;
  /** The service prefixes with an action granted, sorted. */
  services: string[];
  /** Escalation methods whose every action is granted (see `escalationMethodsGranted`). */
  escalation: EscalationMethod[];
  /** Granted actions that return credentials (`sts:AssumeRole`, `iam:CreateAccessKey`), sorted. */
  credentials: string[];
  /** Granted reads of stored data and secrets (`s3:GetObject`, `secretsmanager:GetSecretValue`), sorted. */
  exfiltration: string[];
  /** Granted actions of the Permissions management level, sorted. */
  permissionsManagement: string[];
  /** Patterns that grant nothing, and why (a typo, an unknown service). */
  ungranted: { pattern: string; problem: ActionPatternProblem }[];
  /** A wildcard or `NotAction`: AWS's new actions that match are granted too. */
  growsWithAws: boolean;
}

export interface SummaryOptions {
  /**
   * The statement's resource is `*`: escalation methods that count only on every resource
   * (`iam:PassRole`, `sts:AssumeRole` alone) are included.
   */
  everyResource?: boolean;
}

const MAX_REMEMBERED = 256;
const remembered = new WeakMap<AwsCatalog, Map<string, Readonly<GrantSummary>>>();

/**
 * The summary of one `Action` (or `NotAction`) list against the catalog. Summaries are remembered
 * per catalog (the last 256 lists asked), since rules and hovers ask again on every keystroke: the
 * result is shared and frozen, not to be changed.
 */
export function summarizeGrant(catalog: AwsCatalog, spec: ActionSpec, options: SummaryOptions = {}): Readonly<GrantSummary> {
  let memo = remembered.get(catalog);
  if (!memo) remembered.set(catalog, (memo = new Map()));
  const key = JSON.stringify([spec.actions ?? null, spec.notActions ?? null, options.everyResource === true]);
  let summary = memo.get(key);
  if (!summary) {
    summary = freeze(summarize(catalog, spec, options));
    if (memo.size >= MAX_REMEMBERED) memo.delete(memo.keys().next().value!);
    memo.set(key, summary);
  }
  return summary;
}

function freeze(summary: GrantSummary): Readonly<GrantSummary> {
  for (const value of Object.values(summary)) if (typeof value === 'object' && value !== null) Object.freeze(value);
  return Object.freeze(summary);
}

function summarize(catalog: AwsCatalog, spec: ActionSpec, options: SummaryOptions): GrantSummary {
  const actions = catalog.granted(spec);
  const byLevel = Object.fromEntries(ACCESS_LEVELS.map((level) => [level, 0])) as Record<AccessLevel, number>;
  const services: string[] = [];
  const permissionsManagement: string[] = [];
  for (const action of actions) {
    const level = action.accessLevel;
    byLevel[level]++;
    // Granted actions come service by service.
    const service = action.service;
    if (services[services.length - 1] !== service) services.push(service);
    if (level === 'Permissions management') permissionsManagement.push(action.name);
  }
  const ungranted: GrantSummary['ungranted'] = [];
  for (const pattern of spec.actions ?? []) {
    const problem = catalog.problem(pattern);
    if (problem) ungranted.push({ pattern, problem });
  }
  // The small tables are asked of the patterns (tens of names, whatever the grant's size), and
  // counted when the catalog has the action, as the counts above are.
  const grantedNamed = (names: readonly string[]): string[] => names.filter((name) => specAllows(spec, name) && catalog.action(name) !== undefined);
  // Escalation by the patterns themselves, so that a method's action the catalog does not list yet still counts.
  const escalation = escalationMethodsGranted((action) => specAllows(spec, action)).filter((m) => !m.onEveryResource || options.everyResource === true);
  return {
    total: actions.length,
    byLevel,
    services: [...new Set(services)].sort(),
    escalation,
    credentials: grantedNamed(CREDENTIAL_ACTIONS).sort(),
    exfiltration: grantedNamed(EXFILTRATION_READS).sort(),
    permissionsManagement: permissionsManagement.sort(),
    ungranted,
    growsWithAws: spec.notActions !== undefined || spec.actions.some((p) => actionPattern(p).wildcard),
  };
}
