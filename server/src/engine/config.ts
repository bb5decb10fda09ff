import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, str, type DataNode } from '../syntax/tree';
import { LineIndex } from '../syntax/text';
import type { Position } from '../core/text';
import { parseYaml } from '../syntax/yaml';
import { RULES_BY_ID } from '../rules';
import type { Severity } from '../core/finding';
import { redactContextOf, redactText } from '../secrets/redact';

/**
 * `.keyless.yaml` at the workspace root:
 *
 *   rules:                      # per rule: off, error, warning or info
 *     static-registry-token: off
 *     long-lived-key: warning
 *   ignore:                     # globs, relative to the workspace root
 *     - "test/fixtures/**"
 *   oidc:                       # what trusts written by fixes name (Keyless makes no API calls)
 *     immutable-subjects: true  # GitHub's repo:ORG@ID/REPO@ID:… subjects, with both ids below
 *     github-owner-id: 1234567
 *     github-repository-id: 89012345
 *
 * A broken config never stops analysis: each problem is reported with its line, and the entries
 * that are valid still apply; everything else keeps its default.
 */
export const CONFIG_FILE_NAME = '.keyless.yaml';

export type RuleSetting = Severity | 'off';

export interface KeylessConfig {
  rules: Readonly<Record<string, RuleSetting>>;
  ignore: readonly string[];
  /** Present only when some layer sets it, so configs without it compare equal to the default. */
  oidc?: OidcConfig;
}

/**
 * What trusts written by fixes need to know about the repository and cannot learn offline: GitHub's
 * numeric ids, for the immutable subject form (`repo:ORG@OWNER_ID/REPO@REPO_ID:…`). Each field is
 * absent when not set, so a later layer sets only what it names.
 */
export interface OidcConfig {
  immutableSubjects?: boolean;
  /** Decimal digits: ids are not arithmetic, and a string never loses precision. */
  githubOwnerId?: string;
  githubRepositoryId?: string;
}

export const DEFAULT_CONFIG: KeylessConfig = { rules: {}, ignore: [] };

export interface ConfigProblem {
  message: string;
  /** 0-based. */
  position: Position;
}

const SETTINGS = new Set<RuleSetting>(['off', 'error', 'warning', 'info']);

export function parseConfig(text: string): { config: KeylessConfig; problems: ConfigProblem[] } {
  const index = new LineIndex(text);
  const problems: ConfigProblem[] = [];
  const context = redactContextOf(text);
  // A problem quotes the file (a YAML error its token, an unknown rule its name): through the redactor.
  const problem = (message: string, offset: number): void => {
    problems.push({ message: redactText(message, context), position: index.positionAt(offset) });
  };
  const { documents, errors } = parseYaml(text);
  for (const error of errors) problem(`not valid YAML: ${error.message}`, error.span.start);
  const root = documents[0]?.root ?? null;
  const rules: Record<string, RuleSetting> = {};
  const ignore: string[] = [];
  let oidc: OidcConfig | undefined;
  if (root === null) return { config: DEFAULT_CONFIG, problems };
  if (!isMap(root)) {
    problem('the config must be a mapping with `rules:` and `ignore:`', root.span.start);
    return { config: DEFAULT_CONFIG, problems };
  }
  for (const pair of root.pairs) {
    if (pair.key === 'rules') readRules(pair.value, rules, problem);
    else if (pair.key === 'ignore') readIgnore(pair.value, ignore, problem);
    else if (pair.key === 'oidc') oidc = readOidc(pair.value, problem);
    else problem(`unknown key "${pair.key}" (expected "rules", "ignore" or "oidc")`, pair.keySpan.start);
  }
  return { config: { rules, ignore, ...(oidc ? { oidc } : {}) }, problems };
}

function readRules(node: DataNode | null, into: Record<string, RuleSetting>, problem: (message: string, offset: number) => void): void {
  if (node === null) return;
  if (!isMap(node)) {
    problem('"rules" must map rule ids to off, error, warning or info', node.span.start);
    return;
  }
  for (const pair of node.pairs) {
    if (!RULES_BY_ID.has(pair.key)) {
      problem(`unknown rule "${pair.key}"`, pair.keySpan.start);
      continue;
    }
    const raw = isScalar(pair.value) ? pair.value.value : undefined;
    // YAML reads a bare `off` as the string "off" (YAML 1.2); `false` means off too.
    const setting = raw === false ? 'off' : typeof raw === 'string' ? raw.toLowerCase() : undefined;
    if (setting === undefined || !SETTINGS.has(setting as RuleSetting)) {
      problem(`rule "${pair.key}": expected off, error, warning or info`, (pair.value ?? pair).span.start);
      continue;
    }
    into[pair.key] = setting as RuleSetting;
  }
}

function readIgnore(node: DataNode | null, into: string[], problem: (message: string, offset: number) => void): void {
  if (node === null) return;
  // A single pattern is accepted as a list of one.
  const items = isSeq(node) ? node.items : isScalar(node) && typeof node.value === 'string' ? [node] : null;
  if (items === null) {
    problem('"ignore" must be a list of glob patterns', node.span.start);
    return;
  }
  for (const item of items) {
    const glob = str(item);
    if (!glob || !isScalar(item) || typeof item.value !== 'string') {
      problem('each "ignore" entry must be a glob pattern string', item.span.start);
      continue;
    }
    into.push(glob);
  }
}

const OIDC_KEYS = ['immutable-subjects', 'github-owner-id', 'github-repository-id'];

function readOidc(node: DataNode | null, problem: (message: string, offset: number) => void): OidcConfig | undefined {
  if (node === null) return undefined;
  if (!isMap(node)) {
    problem('"oidc" must be a mapping with immutable-subjects, github-owner-id and github-repository-id', node.span.start);
    return undefined;
  }
  const oidc: OidcConfig = {};
  for (const pair of node.pairs) {
    const raw = isScalar(pair.value) ? pair.value.value : undefined;
    const at = (pair.value ?? pair).span.start;
    if (pair.key === 'immutable-subjects') {
      if (typeof raw === 'boolean') oidc.immutableSubjects = raw;
      else problem('oidc "immutable-subjects": expected true or false', at);
    } else if (pair.key === 'github-owner-id' || pair.key === 'github-repository-id') {
      const id = githubId(raw);
      if (id === undefined) problem(`oidc "${pair.key}": expected the numeric id GitHub gives it (digits only)`, at);
      else if (pair.key === 'github-owner-id') oidc.githubOwnerId = id;
      else oidc.githubRepositoryId = id;
    } else {
      problem(`unknown key "${pair.key}" under "oidc" (expected ${OIDC_KEYS.map((k) => `"${k}"`).join(', ')})`, pair.keySpan.start);
    }
  }
  return oidc;
}

/** A GitHub id as decimal digits: a positive integer, written bare or quoted. */
export function githubId(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return String(raw);
  if (typeof raw === 'string' && /^[1-9]\d{0,19}$/.test(raw.trim())) return raw.trim();
  return undefined;
}

/** Settings layered over the file's: later layers win, rule by rule (and oidc field by field); ignore lists add up. */
export function mergeConfigs(...layers: KeylessConfig[]): KeylessConfig {
  const oidcLayers = layers.flatMap((l) => (l.oidc ? [l.oidc] : []));
  return {
    rules: Object.assign({}, ...layers.map((l) => l.rules)),
    ignore: layers.flatMap((l) => l.ignore),
    ...(oidcLayers.length > 0 ? { oidc: Object.assign({}, ...oidcLayers) as OidcConfig } : {}),
  };
}

export function ruleSetting(config: KeylessConfig, ruleId: string, defaultSeverity: Severity): RuleSetting {
  return config.rules[ruleId] ?? defaultSeverity;
}

/**
 * Whether a workspace-relative path (with `/` separators) is ignored. A pattern matches the path or
 * any folder above it, so `vendor` and `vendor/**` both ignore the folder; a pattern without a
 * slash matches a name at any depth, as in .gitignore.
 */
export function pathMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  if (globs.length === 0) return () => false;
  const cleaned = globs.map((g) => g.replace(/^\.\//, '').replace(/\/$/, ''));
  const byName = picomatch(cleaned.filter((g) => !g.includes('/')), { dot: true });
  const byPath = picomatch(cleaned.filter((g) => g.includes('/')), { dot: true });
  return (relativePath) => {
    const parts = relativePath.split('/');
    if (parts.some((part) => byName(part))) return true;
    for (let i = parts.length; i > 0; i--) if (byPath(parts.slice(0, i).join('/'))) return true;
    return false;
  };
}
