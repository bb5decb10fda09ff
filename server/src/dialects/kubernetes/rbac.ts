import type { RbacBinding, RbacRole, RbacRule, RbacSubject, ValueAt } from '../../facts/model';
import { deref, get, getPair, getPath, isMap, isScalar, isSeq, itemsOf, pairsOf, str, type DataNode } from '../../syntax/tree';
import { pairAnchor } from '../locate';
import type { KubeObject } from './model';

/**
 * Kubernetes RBAC as facts: Roles and ClusterRoles with every rule (each value with its span), and
 * the bindings that grant them. Only objects of the `rbac.authorization.k8s.io` API group count:
 * other groups have kinds named `Role` too (the AWS Controllers for Kubernetes' IAM `Role`).
 */

const RBAC_API = /^rbac\.authorization\.k8s\.io\//;

export function readRbacRole(object: KubeObject, text: string): RbacRole | null {
  if ((object.kind !== 'Role' && object.kind !== 'ClusterRole') || !RBAC_API.test(object.apiVersion)) return null;
  const rules = itemsOf(get(object.node, 'rules'))
    .map((item) => readRule(item, text))
    .filter((rule): rule is RbacRule => rule !== null);
  const role: RbacRole = {
    kind: object.kind,
    name: object.name,
    ...(object.namespace !== undefined ? { namespace: object.namespace } : {}),
    anchor: object.firstLine,
    labels: stringMap(getPath(object.node, ['metadata', 'labels'])),
    rules,
  };
  const aggregation = get(object.node, 'aggregationRule');
  if (object.kind === 'ClusterRole' && aggregation) {
    role.aggregationSelectors = itemsOf(get(aggregation, 'clusterRoleSelectors')).map((selector) => stringMap(get(selector, 'matchLabels')));
  }
  return role;
}

function readRule(node: DataNode, text: string): RbacRule | null {
  const map = deref(node);
  if (!isMap(map) || map.pairs.length === 0) return null;
  return {
    apiGroups: values(get(map, 'apiGroups')),
    resources: values(get(map, 'resources')),
    resourceNames: values(get(map, 'resourceNames')),
    verbs: values(get(map, 'verbs')),
    nonResourceURLs: values(get(map, 'nonResourceURLs')),
    anchor: pairAnchor(map.pairs[0]!, text),
    span: map.span,
  };
}

/** The strings of a list (a lone scalar counts as a list of one: the API server rejects it, but it reads the same). */
function values(node: DataNode | null): ValueAt[] {
  const items = isSeq(node) ? node.items : node ? [node] : [];
  const result: ValueAt[] = [];
  for (const item of items) {
    const value = deref(item);
    if (isScalar(value) && value.value !== null) result.push({ value: String(value.value), span: item.kind === 'alias' ? item.span : value.span });
  }
  return result;
}

function stringMap(node: DataNode | null): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairsOf(node)) {
    const value = str(pair.value);
    if (value !== undefined) map[pair.key] = value;
  }
  return map;
}

export function readRbacBinding(object: KubeObject): RbacBinding | null {
  if ((object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') || !RBAC_API.test(object.apiVersion)) return null;
  const roleRef = get(object.node, 'roleRef');
  const namePair = getPair(roleRef, 'name');
  const name = deref(namePair?.value);
  if (!isScalar(name) || name.value === null) return null;
  const subjects: RbacSubject[] = [];
  for (const item of itemsOf(get(object.node, 'subjects'))) {
    const kind = str(get(item, 'kind'));
    const subjectName = str(get(item, 'name'));
    if (!kind || subjectName === undefined) continue;
    const namespace = str(get(item, 'namespace'));
    subjects.push({ kind, name: subjectName, ...(namespace !== undefined ? { namespace } : {}) });
  }
  return {
    kind: object.kind,
    name: object.name,
    ...(object.namespace !== undefined ? { namespace: object.namespace } : {}),
    anchor: object.firstLine,
    roleRef: { kind: str(get(roleRef, 'kind')) ?? '', name: { value: String(name.value), span: name.span } },
    subjects,
  };
}
