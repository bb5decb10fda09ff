import type { Authentication, Cloud, Principal, ReferencedCredential, SecretKind } from '../../facts/model';
import { str, type Pair } from '../../syntax/tree';
import { pairAnchor } from '../locate';
import { CI_KEY_VARIABLES, classifyCiValue, isReference, type CiValueKind } from './credentials';

/**
 * Cloud keys handed to a CI job through variables: GitHub's `env:` (workflow, job, step) and
 * GitLab's `variables:` (global, job) alike. One Authentication per cloud per block, anchored on
 * the block's first key variable: the keys of one block are one problem.
 */
export function keyVariableAuthentications(
  variables: readonly Pair[],
  principal: Principal,
  text: string,
  mechanism: string,
  valueOf: (pair: Pair) => string | undefined = (pair) => str(pair.value),
  syntax?: unknown,
): Authentication[] {
  const byCloud = new Map<Cloud, ReferencedCredential[]>();
  for (const pair of variables) {
    const variable = CI_KEY_VARIABLES[pair.key];
    if (!variable || !countsAsCredential(classifyCiValue(valueOf(pair)), pair.key)) continue;
    const list = byCloud.get(variable.cloud) ?? [];
    list.push(referenced(variable.kind, pair, text));
    byCloud.set(variable.cloud, list);
  }
  const result: Authentication[] = [];
  for (const [cloud, credentials] of byCloud) {
    if (!credentials.some((c) => !isCompanion(c.kind))) continue;
    result.push({ principal, target: cloud, method: 'static', mechanism, anchor: credentials[0]!.nameSpan, credentials, ...(syntax ? { syntax } : {}) });
  }
  return result;
}

function countsAsCredential(kind: CiValueKind, name: string): boolean {
  // GOOGLE_APPLICATION_CREDENTIALS is normally a path; it is a key only when it comes from a secret.
  if (name === 'GOOGLE_APPLICATION_CREDENTIALS') return kind === 'secret-reference' || kind === 'variable-reference' || kind === 'credential-literal';
  return isReference(kind) || kind === 'credential-literal';
}

export function referenced(kind: SecretKind, pair: Pair, text: string): ReferencedCredential {
  return { origin: 'reference', kind, name: pair.key, nameSpan: pairAnchor(pair, text), ...(pair.value ? { valueSpan: pair.value.span } : {}) };
}

/** A credential that only matters next to a primary one: a session token without its key pair. */
export function isCompanion(kind: SecretKind): boolean {
  return kind === 'aws-session-token';
}
