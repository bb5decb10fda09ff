import type {
  Authentication,
  Cloud,
  Credential,
  Facts,
  KubeServiceAccount,
  ProjectedToken,
  RbacBinding,
  RbacRole,
  ReferencedCredential,
  SecretKind,
  SecretUse,
  ValueAt,
  WorkloadPod,
} from '../../facts/model';
import { scanDecodedValue } from '../../secrets/scan';
import { deref, get, getPair, getPath, isMap, isScalar, itemsOf, pairsOf, str, type DataNode, type MapNode, type Pair } from '../../syntax/tree';
import { pairAnchor } from '../locate';
import { readSecret, readWorkload, type Container, type KubeObject, type SecretObject, type Workload } from './model';
import { readRbacBinding, readRbacRole } from './rbac';

/**
 * Environment variables that hand a workload long-lived cloud keys. Unlike in CI, a literal value
 * counts too, whatever it looks like: a pod spec that sets AWS_SECRET_ACCESS_KEY at all is wired
 * for static keys, and the real value is one `kubectl set env` away.
 */
const POD_KEY_VARIABLES: Readonly<Record<string, { cloud: Cloud; kind: SecretKind; companion?: boolean }>> = {
  AWS_ACCESS_KEY_ID: { cloud: 'aws', kind: 'aws-access-key-id' },
  AWS_SECRET_ACCESS_KEY: { cloud: 'aws', kind: 'aws-secret-access-key' },
  AWS_SESSION_TOKEN: { cloud: 'aws', kind: 'aws-session-token', companion: true },
  AZURE_CLIENT_SECRET: { cloud: 'azure', kind: 'azure-client-secret' },
  AZURE_CLIENT_CERTIFICATE_PASSWORD: { cloud: 'azure', kind: 'azure-client-secret' },
};

/** Variables that point an SDK at a key file: they matter when the file comes from a mounted Secret. */
const KEY_FILE_VARIABLES: Readonly<Record<string, { cloud: Cloud; kind: SecretKind }>> = {
  GOOGLE_APPLICATION_CREDENTIALS: { cloud: 'gcp', kind: 'gcp-service-account-key' },
  AWS_SHARED_CREDENTIALS_FILE: { cloud: 'aws', kind: 'aws-secret-access-key' },
  AZURE_CLIENT_CERTIFICATE_PATH: { cloud: 'azure', kind: 'azure-client-secret' },
};

export function kubernetesFacts(objects: readonly KubeObject[], text: string): Partial<Facts> {
  const secrets = new Map<string, SecretObject>();
  const credentials: Credential[] = [];
  for (const object of objects) {
    const secret = readSecret(object);
    if (!secret) continue;
    secrets.set(secret.name, secret);
    if (secret.type === 'kubernetes.io/service-account-token') {
      credentials.push({ origin: 'minted', kind: 'kubernetes-service-account-token', resourceType: 'Secret', resourceName: secret.name, anchor: secret.firstLine, cloud: 'kubernetes' });
    }
    credentials.push(...decodedSecretValues(secret));
  }
  const authentications: Authentication[] = [];
  const projectedTokens: ProjectedToken[] = [];
  const workloadPods: WorkloadPod[] = [];
  const rbacRoles: RbacRole[] = [];
  const rbacBindings: RbacBinding[] = [];
  const kubeServiceAccounts: KubeServiceAccount[] = [];
  for (const object of objects) {
    const role = readRbacRole(object, text);
    if (role) rbacRoles.push(role);
    const binding = readRbacBinding(object);
    if (binding) rbacBindings.push(binding);
    const account = readServiceAccount(object);
    if (account) kubeServiceAccounts.push(account);
    const workload = readWorkload(object, text);
    if (!workload) continue;
    for (const container of workload.containers) authentications.push(...containerAuthentications(workload, container, secrets, text));
    for (const expiration of workload.projectedTokenExpirations) projectedTokens.push({ workload: `${workload.kind}/${workload.name}`, expirationSeconds: expiration });
    workloadPods.push(workloadPod(workload, text));
  }
  return { authentications, credentials, projectedTokens, workloadPods, rbacRoles, rbacBindings, kubeServiceAccounts };
}

/** Annotations that federate a service account with a cloud identity: IRSA, GKE Workload Identity, Azure Workload Identity. */
const WORKLOAD_IDENTITY_ANNOTATIONS = ['eks.amazonaws.com/role-arn', 'iam.gke.io/gcp-service-account', 'azure.workload.identity/client-id'];

function readServiceAccount(object: KubeObject): KubeServiceAccount | null {
  if (object.kind !== 'ServiceAccount' || object.apiVersion !== 'v1') return null;
  const annotations = getPath(object.node, ['metadata', 'annotations']);
  const automountToken = scalarAt(getPair(object.node, 'automountServiceAccountToken'));
  return {
    name: object.name,
    ...(object.namespace !== undefined ? { namespace: object.namespace } : {}),
    anchor: object.firstLine,
    ...(automountToken ? { automountToken } : {}),
    workloadIdentity: WORKLOAD_IDENTITY_ANNOTATIONS.filter((key) => getPair(annotations, key) !== undefined),
  };
}

/** Where a pod finds its service-account token when it is mounted. */
const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Images whose whole job is to call the Kubernetes API with the pod's token: kubectl and Helm
 * images (`bitnami/kubectl`, `registry.k8s.io/kubectl`, `rancher/kubectl`, `alpine/k8s`,
 * `alpine/helm`, `dtzar/helm-kubectl`, `lachlanevenson/k8s-kubectl`), by the image's last path
 * segment without its tag or digest.
 */
const API_CLIENT_IMAGES = new Set(['kubectl', 'k8s-kubectl', 'helm-kubectl', 'helm', 'k8s']);
/** `kubectl` or `helm` as a command word, also inside a `sh -c` script. */
const API_CLIENT_COMMAND = /(?:^|[\s;&|(/'"`])(?:kubectl|helm)(?=\s|$|;)/;

/** The pod of a workload: its service account, its token mount, and what shows it uses the token. */
function workloadPod(workload: Workload, text: string): WorkloadPod {
  const serviceAccountName = scalarAt(getPair(workload.podSpec, 'serviceAccountName')) ?? scalarAt(getPair(workload.podSpec, 'serviceAccount'));
  const automountToken = scalarAt(getPair(workload.podSpec, 'automountServiceAccountToken'));
  const tokenUses: string[] = [];
  for (const container of workload.containers) {
    const who = `container "${container.name}"`;
    if (container.volumeMounts.some((mount) => mount.mountPath.replace(/\/+$/, '') === TOKEN_MOUNT_PATH)) tokenUses.push(`${who} mounts the token's path itself`);
    const image = container.image?.split('@')[0]?.split('/').pop()?.split(':')[0];
    if (image && API_CLIENT_IMAGES.has(image)) tokenUses.push(`${who} runs ${image === 'k8s' || image.includes('kubectl') ? 'a kubectl' : 'a Helm'} image`);
    else if (container.commandWords.some((word) => API_CLIENT_COMMAND.test(word))) tokenUses.push(`${who} runs kubectl or helm`);
  }
  if (str(getPath(workload.podMetadata, ['labels', 'azure.workload.identity/use'])) === 'true') tokenUses.push('it uses Azure Workload Identity (`azure.workload.identity/use`)');
  return {
    workload: `${workload.kind}/${workload.name}`,
    kind: workload.kind,
    name: workload.name,
    ...(workload.namespace !== undefined ? { namespace: workload.namespace } : {}),
    anchor: pairAnchor(workload.podSpecPair, text),
    ...(serviceAccountName ? { serviceAccountName } : {}),
    ...(automountToken ? { automountToken } : {}),
    tokenUses,
    syntax: { kind: 'kubernetes-pod', object: workload.node, podSpec: workload.podSpec, podSpecPair: workload.podSpecPair } satisfies PodSite,
  };
}

/**
 * A pod spec as the dialect read it, for the fixers that edit it: the object it belongs to (a
 * document's root, or an item of a `kind: List`), the PodSpec map and its `spec:` pair.
 */
export interface PodSite {
  kind: 'kubernetes-pod';
  object: MapNode;
  podSpec: MapNode;
  podSpecPair: Pair;
}

export function isPodSite(value: unknown): value is PodSite {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'kubernetes-pod';
}

/** A scalar pair's value with its span, its text as the data tree reads it (`true`, `default`). */
function scalarAt(pair: Pair | undefined): ValueAt | undefined {
  const value = deref(pair?.value);
  return isScalar(value) && value.value !== null ? { value: String(value.value), span: value.span } : undefined;
}

function containerAuthentications(workload: Workload, container: Container, secrets: Map<string, SecretObject>, text: string): Authentication[] {
  const byCloud = new Map<Cloud, ReferencedCredential[]>();
  const add = (cloud: Cloud, credential: ReferencedCredential): void => {
    const list = byCloud.get(cloud) ?? [];
    list.push(credential);
    byCloud.set(cloud, list);
  };
  for (const env of container.env) {
    const variable = POD_KEY_VARIABLES[env.name];
    if (variable) {
      add(variable.cloud, { origin: 'reference', kind: variable.kind, name: env.name, nameSpan: env.anchor });
      continue;
    }
    const keyFile = KEY_FILE_VARIABLES[env.name];
    if (keyFile && env.value && mountedFromSecret(env.value, workload, container)) {
      add(keyFile.cloud, { origin: 'reference', kind: keyFile.kind, name: env.name, nameSpan: env.anchor });
    }
  }
  for (const source of container.envFrom) {
    const secret = source.secretName ? secrets.get(source.secretName) : undefined;
    if (!secret || !source.anchorPair) continue;
    for (const pair of [...secret.data, ...secret.stringData]) {
      const variable = POD_KEY_VARIABLES[pair.key];
      if (variable) add(variable.cloud, { origin: 'reference', kind: variable.kind, name: `${secret.name}/${pair.key}`, nameSpan: pairAnchor(source.anchorPair, text) });
    }
  }
  for (const mount of container.volumeMounts) {
    // A Secret mounted where the AWS SDKs look for shared credentials.
    if (/(?:^|\/)\.aws\/?$/.test(mount.mountPath) && workload.volumes.some((v) => v.name === mount.name && v.secretNames.length > 0)) {
      add('aws', { origin: 'reference', kind: 'aws-secret-access-key', name: mount.mountPath, nameSpan: pairAnchor(mount.namePair, text) });
    }
  }
  const result: Authentication[] = [];
  for (const [cloud, list] of byCloud) {
    if (list.every((c) => POD_KEY_VARIABLES[c.name]?.companion)) continue;
    const ordered = [...list].sort((a, b) => a.nameSpan.start - b.nameSpan.start);
    result.push({
      principal: { kind: 'workload', workload: `${workload.kind}/${workload.name}`, container: container.name },
      target: cloud,
      method: 'static',
      mechanism: 'container env',
      anchor: ordered[0]!.nameSpan,
      credentials: ordered,
    });
  }
  return result;
}

/** Whether `path` lies under a mount of a volume that projects a Secret. */
function mountedFromSecret(path: string, workload: Workload, container: Container): boolean {
  return container.volumeMounts.some((mount) => {
    const prefix = mount.mountPath.endsWith('/') ? mount.mountPath : `${mount.mountPath}/`;
    return (path === mount.mountPath || path.startsWith(prefix)) && workload.volumes.some((v) => v.name === mount.name && v.secretNames.length > 0);
  });
}

/** Credentials hidden in a Secret's base64 `data:` values (stringData is plain text, scanned with the file). */
function decodedSecretValues(secret: SecretObject): Credential[] {
  const found: Credential[] = [];
  for (const pair of secret.data) {
    const value = deref(pair.value);
    const encoded = str(value);
    if (!isScalar(value) || !encoded || encoded.length < 16 || !/^[A-Za-z0-9+/=\s]+$/.test(encoded)) continue;
    const decoded = Buffer.from(encoded.replace(/\s+/g, ''), 'base64').toString('utf8');
    // Scanned as `NAME: value` so that name-dependent detectors (AWS secret keys) see the name.
    found.push(...scanDecodedValue(`${pair.key}: ${decoded}`, value.span, `secret:${secret.firstLine.start}`, 'base64-encoded'));
  }
  return found;
}

/**
 * The Secrets the manifest's documents refer to by name, anywhere in them: a `secret` volume's
 * `secretName`, a `secretKeyRef` / `secretRef` / projected `secret` source, a ServiceAccount's
 * `secrets` list. A fix that deletes a Secret checks the workspace's manifests here first.
 */
export function secretUses(roots: readonly (DataNode | null)[]): SecretUse[] {
  const names = new Set<string>();
  for (const root of roots) collectSecretNames(root, names, 0);
  return [...names].map((secretName) => ({ secretName }));
}

function collectSecretNames(node: DataNode | null, names: Set<string>, depth: number): void {
  const value = deref(node);
  if (!value || depth > 64) return;
  if (isMap(value)) {
    for (const pair of pairsOf(value)) {
      const add = (name: string | undefined): void => {
        if (name !== undefined) names.add(name);
      };
      if (pair.key === 'secretName') add(str(pair.value));
      if (pair.key === 'secretKeyRef' || pair.key === 'secretRef' || pair.key === 'secret') add(str(get(pair.value, 'name')));
      if (pair.key === 'secrets' && str(get(value, 'kind')) === 'ServiceAccount') for (const item of itemsOf(pair.value)) add(str(get(item, 'name')));
      collectSecretNames(pair.value, names, depth + 1);
    }
    return;
  }
  for (const item of itemsOf(value)) collectSecretNames(item, names, depth + 1);
}
