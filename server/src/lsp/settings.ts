import { DEFAULT_CONFIG, githubId, type KeylessConfig, type OidcConfig, type RuleSetting } from '../engine/config';
import { RULES_BY_ID } from '../rules';

/**
 * The `keyless.*` editor settings, as `workspace/configuration` returns them (section `keyless`).
 * They arrive as untyped JSON from whatever the user wrote in settings.json, so every field is
 * checked; a bad entry is dropped with a problem to log, the rest still apply.
 */
/** `keyless.diagnostics.scope`: report every file of the workspace, or only the open ones. */
export type DiagnosticsScope = 'workspace' | 'openFiles';

export interface EditorSettings {
  enable: boolean;
  /** Whether findings of files that are not open are reported (workspace diagnostics) without a scan. */
  scope: DiagnosticsScope;
  /** The `keyless.rules`, `keyless.ignore` and `keyless.oidc.*` layer, merged over `.keyless.yaml`. */
  config: KeylessConfig;
  problems: string[];
}

export const DEFAULT_SETTINGS: EditorSettings = { enable: true, scope: 'workspace', config: DEFAULT_CONFIG, problems: [] };

const RULE_SETTINGS = new Set<string>(['off', 'error', 'warning', 'info']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readSettings(raw: unknown): EditorSettings {
  if (!isRecord(raw)) return DEFAULT_SETTINGS;
  const problems: string[] = [];
  const enable = typeof raw.enable === 'boolean' ? raw.enable : true;
  if (raw.enable !== undefined && raw.enable !== null && typeof raw.enable !== 'boolean') problems.push('keyless.enable must be true or false');
  const scope = readScope(raw.diagnostics, problems);
  const rules: Record<string, RuleSetting> = {};
  if (isRecord(raw.rules)) {
    for (const [id, value] of Object.entries(raw.rules)) {
      if (!RULES_BY_ID.has(id)) {
        problems.push(`keyless.rules: unknown rule "${id}"`);
      } else if (typeof value === 'string' && RULE_SETTINGS.has(value.toLowerCase())) {
        rules[id] = value.toLowerCase() as RuleSetting;
      } else if (value === false) {
        rules[id] = 'off';
      } else {
        problems.push(`keyless.rules: rule "${id}" must be off, error, warning or info`);
      }
    }
  } else if (raw.rules !== undefined && raw.rules !== null) {
    problems.push('keyless.rules must map rule ids to off, error, warning or info');
  }
  const ignore: string[] = [];
  if (Array.isArray(raw.ignore)) {
    for (const glob of raw.ignore) {
      if (typeof glob === 'string' && glob.trim() !== '') ignore.push(glob);
      else problems.push('keyless.ignore entries must be glob pattern strings');
    }
  } else if (raw.ignore !== undefined && raw.ignore !== null) {
    problems.push('keyless.ignore must be a list of glob patterns');
  }
  const oidc = readOidc(raw.oidc, problems);
  return { enable, scope, config: { rules, ignore, ...(oidc ? { oidc } : {}) }, problems };
}

function readScope(raw: unknown, problems: string[]): DiagnosticsScope {
  if (raw === undefined || raw === null) return 'workspace';
  const scope = isRecord(raw) ? raw.scope : undefined;
  if (scope === 'workspace' || scope === 'openFiles') return scope;
  if (!isRecord(raw) || (scope !== undefined && scope !== null)) problems.push('keyless.diagnostics.scope must be "workspace" or "openFiles"');
  return 'workspace';
}

/**
 * `keyless.oidc.*`. The editor answers every setting with its default when the user set none, so
 * a default must mean "as .keyless.yaml says": `immutableSubjects` can only turn the form on, and
 * an id of 0 is no id.
 */
function readOidc(raw: unknown, problems: string[]): OidcConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    problems.push('keyless.oidc must be an object');
    return undefined;
  }
  const oidc: OidcConfig = {};
  if (raw.immutableSubjects === true) oidc.immutableSubjects = true;
  else if (raw.immutableSubjects !== undefined && raw.immutableSubjects !== null && raw.immutableSubjects !== false) problems.push('keyless.oidc.immutableSubjects must be true or false');
  for (const key of ['githubOwnerId', 'githubRepositoryId'] as const) {
    const value = raw[key];
    if (value === undefined || value === null || value === 0 || value === '') continue;
    const id = githubId(value);
    if (id === undefined) problems.push(`keyless.oidc.${key} must be the numeric id GitHub gives it`);
    else oidc[key] = id;
  }
  return Object.keys(oidc).length > 0 ? oidc : undefined;
}
