import { lineBreakWithin } from '../../syntax/text';
import type { Span } from '../../core/text';
import { pairAnchor } from '../locate';
import { deref, get, getPair, getPath, isMap, isScalar, itemsOf, pairsOf, str, type DataNode, type MapNode, type Pair } from '../../syntax/tree';
import type { ValueAt } from '../../facts/model';

/**
 * Kubernetes objects as the rules see them: workloads with their pod spec and containers, and
 * Secrets with their keys. Every workload kind that embeds a pod template is read.
 */
export interface KubeObject {
  node: MapNode;
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string | undefined;
  /** The object's first line: where "the resource's first line" anchors are drawn. */
  firstLine: Span;
}

export interface Workload extends KubeObject {
  /** The `spec:` pair whose value is the PodSpec. */
  podSpecPair: Pair;
  podSpec: MapNode;
  /** The pod's `metadata:` (the object's own for a Pod, its template's otherwise), when written. */
  podMetadata: DataNode | null;
  containers: Container[];
  volumes: Volume[];
  /** `expirationSeconds` of projected service-account tokens in its volumes. */
  projectedTokenExpirations: ValueAt[];
}

export interface Container {
  node: MapNode;
  name: string;
  image: string | undefined;
  /** The words of its `command:` and `args:`, as written. */
  commandWords: string[];
  env: EnvVar[];
  envFrom: EnvFromSource[];
  volumeMounts: VolumeMount[];
}

export interface EnvVar {
  name: string;
  /**
   * Where findings about it start: the entry's `name:` line, or the `*alias` line when the entry
   * is an alias (a shared entry is reported where each container uses it).
   */
  anchor: Span;
  value: string | undefined;
  /** The Secret a `valueFrom.secretKeyRef` reads, when it does. */
  secretRef: { name: string | undefined; key: string | undefined } | undefined;
}

export interface EnvFromSource {
  node: MapNode;
  secretName: string | undefined;
  /** The `secretRef:` pair. */
  anchorPair: Pair | undefined;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  namePair: Pair;
}

export interface Volume {
  name: string;
  /** The Secrets a volume projects: `secret.secretName` or `projected.sources[].secret.name`. */
  secretNames: string[];
}

export interface SecretObject extends KubeObject {
  type: string | undefined;
  /** `data:` entries (base64) and `stringData:` entries (plain). */
  data: Pair[];
  stringData: Pair[];
}

/** Where each kind keeps its PodSpec. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const TEMPLATE_POD_SPEC = ['spec', 'template', 'spec'];

export function readObject(node: DataNode, text: string): KubeObject | null {
  const map = deref(node);
  if (!isMap(map)) return null;
  const kind = str(get(map, 'kind'));
  const apiVersion = str(get(map, 'apiVersion'));
  if (!kind || !apiVersion) return null;
  const first = map.pairs[0];
  const start = first ? first.keySpan.start : map.span.start;
  const lineEnd = lineBreakWithin(text, start, map.span.end);
  return {
    node: map,
    kind,
    apiVersion,
    name: str(getPath(map, ['metadata', 'name'])) ?? '',
    namespace: str(getPath(map, ['metadata', 'namespace'])),
    firstLine: { start, end: lineEnd - (text[lineEnd - 1] === '\r' ? 1 : 0) },
  };
}

export function readWorkload(object: KubeObject, text: string): Workload | null {
  const path = POD_SPEC_PATHS[object.kind] ?? TEMPLATE_POD_SPEC;
  const parent = getPath(object.node, path.slice(0, -1));
  const podSpecPair = getPair(parent, path[path.length - 1]!);
  const podSpec = deref(podSpecPair?.value);
  if (!podSpecPair || !isMap(podSpec) || !getPair(podSpec, 'containers')) return null;
  const containers = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((key) => itemsOf(get(podSpec, key)).map((c) => readContainer(c, text))).filter((c): c is Container => c !== null);
  const volumes = itemsOf(get(podSpec, 'volumes')).map(readVolume).filter((v): v is Volume => v !== null);
  const projectedTokenExpirations: ValueAt[] = [];
  for (const volume of itemsOf(get(podSpec, 'volumes'))) {
    for (const source of itemsOf(getPath(volume, ['projected', 'sources']))) {
      const expiration = getPath(source, ['serviceAccountToken', 'expirationSeconds']);
      if (isScalar(expiration) && expiration.value !== null) projectedTokenExpirations.push({ value: String(expiration.value), span: expiration.span });
    }
  }
  const podMetadata = path.length === 1 ? get(object.node, 'metadata') : get(parent, 'metadata');
  return { ...object, podSpecPair, podSpec, podMetadata, containers, volumes, projectedTokenExpirations };
}

function readContainer(node: DataNode, text: string): Container | null {
  const map = deref(node);
  if (!isMap(map)) return null;
  const env: EnvVar[] = [];
  for (const item of itemsOf(get(map, 'env'))) {
    const namePair = getPair(item, 'name');
    const name = str(namePair?.value);
    if (!namePair || !name) continue;
    const secretKeyRef = getPath(item, ['valueFrom', 'secretKeyRef']);
    env.push({
      name,
      anchor: item.kind === 'alias' ? item.span : pairAnchor(namePair, text),
      value: str(get(item, 'value')),
      secretRef: secretKeyRef ? { name: str(get(secretKeyRef, 'name')), key: str(get(secretKeyRef, 'key')) } : undefined,
    });
  }
  const envFrom: EnvFromSource[] = [];
  for (const item of itemsOf(get(map, 'envFrom'))) {
    const entry = deref(item);
    if (!isMap(entry)) continue;
    const anchorPair = getPair(entry, 'secretRef');
    envFrom.push({ node: entry, secretName: str(getPath(entry, ['secretRef', 'name'])), anchorPair });
  }
  const volumeMounts: VolumeMount[] = [];
  for (const item of itemsOf(get(map, 'volumeMounts'))) {
    const namePair = getPair(item, 'name');
    const name = str(namePair?.value);
    const mountPath = str(get(item, 'mountPath'));
    if (namePair && name && mountPath) volumeMounts.push({ name, mountPath, namePair });
  }
  const commandWords = ['command', 'args'].flatMap((key) => itemsOf(get(map, key)).map((word) => str(word)).filter((word): word is string => word !== undefined));
  return { node: map, name: str(get(map, 'name')) ?? '', image: str(get(map, 'image')), commandWords, env, envFrom, volumeMounts };
}

function readVolume(node: DataNode): Volume | null {
  const name = str(get(node, 'name'));
  if (!name) return null;
  const secretNames: string[] = [];
  const direct = str(getPath(node, ['secret', 'secretName']));
  if (direct) secretNames.push(direct);
  for (const source of itemsOf(getPath(node, ['projected', 'sources']))) {
    const projected = str(getPath(source, ['secret', 'name']));
    if (projected) secretNames.push(projected);
  }
  return { name, secretNames };
}

export function readSecret(object: KubeObject): SecretObject | null {
  if (object.kind !== 'Secret') return null;
  return {
    ...object,
    type: str(get(object.node, 'type')),
    data: pairsOf(get(object.node, 'data')),
    stringData: pairsOf(get(object.node, 'stringData')),
  };
}
