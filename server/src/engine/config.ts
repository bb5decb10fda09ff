import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, str, type DataNode } from '../syntax/tree';
import { LineIndex, type Position } from '../syntax/text';
import { parseYaml } from '../syntax/yaml';
import { RULES_BY_ID } from '../rules';
import type { Severity } from './finding';

/**
 * `.keyless.yaml` at the workspace root:
 *
 *   rules:                      # per rule: off, error, warning or info
 *     static-registry-token: off
 *     long-lived-key: warning
 *   ignore:                     # globs, relative to the workspace root
 *     - "test/fixtures/**"
 *
 * A broken config never stops analysis: each problem is reported with its line, and the entries
 * that are valid still apply; everything else keeps its default.
 */
export const CONFIG_FILE_NAME = '.keyless.yaml';

export type RuleSetting = Severity | 'off';

export interface KeylessConfig {
  rules: Readonly<Record<string, RuleSetting>>;
  ignore: readonly string[];
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
  const problem = (message: string, offset: number): void => {
    problems.push({ message, position: index.positionAt(offset) });
  };
  const { documents, errors } = parseYaml(text);
  for (const error of errors) problem(`not valid YAML: ${error.message}`, error.span.start);
  const root = documents[0]?.root ?? null;
  const rules: Record<string, RuleSetting> = {};
  const ignore: string[] = [];
  if (root === null) return { config: DEFAULT_CONFIG, problems };
  if (!isMap(root)) {
    problem('the config must be a mapping with `rules:` and `ignore:`', root.span.start);
    return { config: DEFAULT_CONFIG, problems };
  }
  for (const pair of root.pairs) {
    if (pair.key === 'rules') readRules(pair.value, rules, problem);
    else if (pair.key === 'ignore') readIgnore(pair.value, ignore, problem);
    else problem(`unknown key "${pair.key}" (expected "rules" or "ignore")`, pair.keySpan.start);
  }
  return { config: { rules, ignore }, problems };
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

/** Settings layered over the file's: later layers win, rule by rule; ignore lists add up. */
export function mergeConfigs(...layers: KeylessConfig[]): KeylessConfig {
  return {
    rules: Object.assign({}, ...layers.map((l) => l.rules)),
    ignore: layers.flatMap((l) => l.ignore),
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
