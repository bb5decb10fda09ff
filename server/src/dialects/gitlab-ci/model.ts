import type { Span } from '../../syntax/text';
import { environmentName } from '../ci-common/environment';
import { deref, get, getPair, isMap, isScalar, isSeq, pairsOf, str, type DataNode, type MapNode, type Pair, type ScalarNode } from '../../syntax/tree';
import { GITLAB_KEYWORDS } from '../detect';

/**
 * A GitLab CI pipeline as the rules see it: global `variables:`, `default:` scripts, and jobs
 * (hidden `.templates` included, since keys written there reach every job that extends them).
 */
export interface Pipeline {
  root: MapNode;
  variables: Pair[];
  /** `default:` before_script/after_script lines, and top-level ones (deprecated but still read). */
  defaultScripts: ScriptLine[];
  jobs: PipelineJob[];
}

export interface PipelineJob {
  name: string;
  nameSpan: Span;
  node: MapNode;
  hidden: boolean;
  variables: Pair[];
  scripts: ScriptLine[];
  idTokens: Pair | undefined;
  environment: string | undefined;
}

export interface ScriptLine {
  node: ScalarNode;
  script: string;
}

const SCRIPT_KEYS = ['before_script', 'script', 'after_script'];

/** Where a fact of a pipeline was read: what the fixers of GitLab CI edit. */
export interface PipelineSite {
  kind: 'gitlab-ci';
  pipeline: Pipeline;
  /** Absent for global `variables:` and `default:` scripts. */
  job?: PipelineJob;
  line?: ScriptLine;
  variables?: Pair[];
}

export function isPipelineSite(value: unknown): value is PipelineSite {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'gitlab-ci';
}

export function readPipeline(root: DataNode | null): Pipeline | null {
  const map = deref(root);
  if (!isMap(map)) return null;
  const defaults = get(map, 'default');
  const defaultScripts = [...SCRIPT_KEYS.flatMap((k) => scriptLines(get(defaults, k))), ...['before_script', 'after_script'].flatMap((k) => scriptLines(get(map, k)))];
  const jobs: PipelineJob[] = [];
  for (const pair of pairsOf(map)) {
    if (GITLAB_KEYWORDS.has(pair.key) && pair.key !== 'pages') continue;
    const node = deref(pair.value);
    if (!isMap(node)) continue;
    jobs.push({
      name: pair.key,
      nameSpan: pair.keySpan,
      node,
      hidden: pair.key.startsWith('.'),
      variables: pairsOf(get(node, 'variables')),
      scripts: SCRIPT_KEYS.flatMap((k) => scriptLines(get(node, k))),
      idTokens: getPair(node, 'id_tokens'),
      environment: environmentName(get(node, 'environment')),
    });
  }
  return { root: map, variables: pairsOf(get(map, 'variables')), defaultScripts, jobs };
}

/** Script lines: a string, a list of strings, or lists nested by anchors and `!reference`. */
function scriptLines(node: DataNode | null, depth = 0): ScriptLine[] {
  const value = deref(node);
  if (isScalar(value) && typeof value.value === 'string') return [{ node: value, script: value.value }];
  if (isSeq(value) && depth < 4) return value.items.flatMap((item) => scriptLines(item, depth + 1));
  return [];
}

/** A variable's value: `KEY: value`, or `KEY: { value: …, description: … }`. */
export function variableValue(pair: Pair): string | undefined {
  const value = deref(pair.value);
  return isMap(value) ? str(get(value, 'value')) : str(value);
}
