import { actionPattern, specAllows, type ActionSpec } from './action-pattern';
import type { ActionPatternProblem, AwsCatalog } from './catalog';
import { returnsCredentials } from './credential-actions';
import { ACCESS_LEVELS, type AccessLevel } from './data';
import { escalationMethodsGranted, type EscalationMethod } from './escalation';
import { isExfiltrationRead } from './exfiltration';

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

/** The summary of one `Action` (or `NotAction`) list against the catalog. */
export function summarizeGrant(catalog: AwsCatalog, spec: ActionSpec, options: SummaryOptions = {}): GrantSummary {
  const actions = catalog.granted(spec);
  const byLevel = Object.fromEntries(ACCESS_LEVELS.map((level) => [level, 0])) as Record<AccessLevel, number>;
  const services = new Set<string>();
  const credentials: string[] = [];
  const exfiltration: string[] = [];
  const permissionsManagement: string[] = [];
  for (const action of actions) {
    byLevel[action.accessLevel]++;
    services.add(action.service);
    if (returnsCredentials(action.name)) credentials.push(action.name);
    if (isExfiltrationRead(action.name)) exfiltration.push(action.name);
    if (action.accessLevel === 'Permissions management') permissionsManagement.push(action.name);
  }
  const ungranted: GrantSummary['ungranted'] = [];
  if (spec.actions) {
    for (const pattern of spec.actions) {
      const { problem } = catalog.expand(pattern);
      if (problem) ungranted.push({ pattern, problem });
    }
  }
  // Escalation by the patterns themselves, so that a method's action the catalog does not list yet still counts.
  const escalation = escalationMethodsGranted((action) => specAllows(spec, action)).filter((m) => !m.onEveryResource || options.everyResource === true);
  const sorted = (names: string[]): string[] => names.sort((a, b) => a.localeCompare(b));
  return {
    total: actions.length,
    byLevel,
    services: sorted([...services]),
    escalation,
    credentials: sorted(credentials),
    exfiltration: sorted(exfiltration),
    permissionsManagement: sorted(permissionsManagement),
    ungranted,
    growsWithAws: spec.notActions !== undefined || spec.actions.some((p) => actionPattern(p).wildcard),
  };
}
