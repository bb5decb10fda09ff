import type { Authentication, Cloud, Credential, Facts, ProjectedToken, ReferencedCredential, SecretKind, SecretUse } from '../../facts/model';
import { scanDecodedValue } from '../../secrets/scan';
import { deref, get, isMap, isScalar, itemsOf, pairsOf, str, type DataNode } from '../../syntax/tree';
import { pairAnchor } from '../locate';
import { readSecret, readWorkload, type Container, type KubeObject, type SecretObject, type Workload } from './model';

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
  for (const object of objects) {
    const workload = readWorkload(object, text);
    if (!workload) continue;
    for (const container of workload.containers) authentications.push(...containerAuthentications(workload, container, secrets, text));
    for (const expiration of workload.projectedTokenExpirations) projectedTokens.push({ workload: `${workload.kind}/${workload.name}`, expirationSeconds: expiration });
  }
  return { authentications, credentials, projectedTokens };
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
