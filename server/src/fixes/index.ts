import type { Fixer } from './fixer';
import { fixLongSession } from './long-session';
import { fixMissingIdTokenPermission } from './oidc-missing-id-token-permission';
import { fixProviderStaticCredentials } from './provider-static-credentials';
import { fixUnattributedSession } from './unattributed-session';

/**
 * The fixers of each rule, in the order their fixes are offered (the first safe one is the
 * preferred quick fix). A rule without fixers still gets "Suppress <rule> on this line".
 */
export const FIXERS: ReadonlyMap<string, readonly Fixer[]> = new Map<string, readonly Fixer[]>([
  ['oidc-missing-id-token-permission', [fixMissingIdTokenPermission]],
  ['unattributed-session', [fixUnattributedSession]],
  ['long-session', [fixLongSession]],
  ['provider-static-credentials', [fixProviderStaticCredentials]],
]);
