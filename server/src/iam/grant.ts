import type { Arn } from './arn';

/** One statement Keyless proposes to allow: what for, which actions, on which resources, why. */
export interface Grant {
  /** A statement id saying what it is for: `S3Objects`, `EcrPush`. */
  sid: string;
  actions: string[];
  resources: Arn[];
  /** `StringEquals` conditions, by key. */
  condition?: Record<string, string>;
  /** The commands or actions it comes from, for a comment. */
  because: string[];
}

/**
 * Grants with the same purpose, resources and condition become one statement; otherwise each
 * keeps its own (a union of resources across actions would grant writes where only reads were
 * seen). Statement ids are made unique, as IAM requires.
 */
export function mergeGrants(grants: readonly Grant[]): Grant[] {
  const merged = new Map<string, Grant>();
  for (const grant of grants) {
    const key = `${grant.sid}|${JSON.stringify(grant.resources)}|${JSON.stringify(grant.condition ?? {})}`;
    const existing = merged.get(key);
    if (existing) {
      existing.actions = [...new Set([...existing.actions, ...grant.actions])].sort();
      existing.because = [...new Set([...existing.because, ...grant.because])];
    } else merged.set(key, { ...grant, actions: [...grant.actions], because: [...grant.because] });
  }
  // The same actions for the same purpose on several resources (two services of one wait) read as one statement.
  const byActions = new Map<string, Grant>();
  for (const grant of merged.values()) {
    const key = `${grant.sid}|${grant.actions.join(',')}|${JSON.stringify(grant.condition ?? {})}`;
    const existing = byActions.get(key);
    if (existing) {
      for (const resource of grant.resources) if (!existing.resources.some((r) => JSON.stringify(r) === JSON.stringify(resource))) existing.resources.push(resource);
      existing.because = [...new Set([...existing.because, ...grant.because])];
    } else byActions.set(key, { ...grant, resources: [...grant.resources] });
  }
  const result = [...byActions.values()].filter((g) => g.actions.length > 0);
  const seen = new Map<string, number>();
  for (const grant of result) {
    const n = (seen.get(grant.sid) ?? 0) + 1;
    seen.set(grant.sid, n);
    if (n > 1) grant.sid = `${grant.sid}${n}`;
  }
  return result;
}
