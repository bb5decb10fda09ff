import type { Severity } from '../core/finding';
import type { GrantScope, RoleGrant, ValueAt } from '../facts/model';
import { gcpPublicMember } from '../iam/gcp-roles';

/**
 * Words and judgements the over-privilege rules share for GCP and Azure role grants
 * (`admin-access`, `privilege-escalation`): where a grant applies, to whom, and whether its
 * condition narrows it.
 */

/** Scopes that span many resources: a GCP project or above, an Azure subscription or above. */
export function isBroadScope(scope: GrantScope): boolean {
  return scope.kind === 'organization' || scope.kind === 'folder' || scope.kind === 'project' || scope.kind === 'management-group' || scope.kind === 'subscription';
}

/** One severity lower: what a condition that pins resources, or a narrower scope, earns. */
export function lower(severity: Severity): Severity {
  return severity === 'error' ? 'warning' : 'info';
}

const MAX_QUOTE = 80;

/** A value as a message quotes it: a literal in quotes, an expression as written; long ones cut. */
export function quoted(value: ValueAt): string {
  const text = cut(value.value.replace(/\s+/g, ' ').trim());
  return value.computed ? `\`${text}\`` : `"${text}"`;
}

function cut(text: string): string {
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text;
}

/**
 * A resource group or resource written as a literal ARM id, by its name (the id's last segment):
 * the full id says little more and is long.
 */
function armName(value: ValueAt | undefined): string | undefined {
  if (!value || value.computed || !value.value.includes('/')) return undefined;
  const name = value.value.split('/').filter((p) => p !== '').pop();
  return name ? `"${cut(name)}"` : undefined;
}

/** "project \"acme-prod\"", "subscription scope (`data.azurerm_subscription.primary.id`)". */
export function scopeText(scope: GrantScope): string {
  const written = scope.value ? ` ${quoted(scope.value)}` : '';
  switch (scope.kind) {
    case 'organization':
      return `organization${written}`;
    case 'folder':
      return `folder${written}`;
    case 'project':
      return scope.value ? `project${written}` : "the provider's default project";
    case 'service-account':
      return `service account${written}`;
    case 'resource':
      return `${scope.resourceType ?? 'the resource'} ${armName(scope.value) ?? written.trim()}`.trimEnd();
    case 'management-group':
      return scope.value && !scope.value.computed && scope.value.value.trim() === '/' ? 'the tenant root management group ("/")' : `management group${written}`;
    case 'subscription':
      return `subscription${written}`;
    case 'resource-group':
      return `resource group ${armName(scope.value) ?? written.trim()}`.trimEnd();
    case 'unknown':
      return scope.value ? `scope${written}` : 'an unknown scope';
  }
}

const MAX_MEMBERS = 3;

/** "user:jane@example.com and 2 more"; public members said as what they are. */
export function membersText(members: readonly ValueAt[]): string {
  if (members.length === 0) return 'its members';
  const named = members.slice(0, MAX_MEMBERS).map((m) => {
    const everyone = m.computed ? undefined : gcpPublicMember(m.value);
    if (everyone === 'allUsers') return 'allUsers (anyone on the internet)';
    if (everyone === 'allAuthenticatedUsers') return 'allAuthenticatedUsers (any Google account)';
    return m.computed ? quoted(m) : m.value;
  });
  const more = members.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(members.length === 2 ? ' and ' : ', ');
}

/** Whether a grant reaches everyone: `allUsers` or `allAuthenticatedUsers` among its members. */
export function isPublic(grant: RoleGrant): boolean {
  return grant.members.some((m) => !m.computed && gcpPublicMember(m.value) !== undefined);
}

/** `google_project_iam_member "ci"`, `data.google_iam_policy "admin"`. */
export function grantName(grant: RoleGrant): string {
  return grant.resourceType === 'google_iam_policy' ? `data.google_iam_policy "${grant.name}"` : `${grant.resourceType} "${grant.name}"`;
}

/**
 * The condition of a grant when it narrows what the grant reaches, in words for the message; else
 * undefined. GCP: an IAM condition on resource names, types or services, or one that limits which
 * roles a policy admin may grant (`iam.googleapis.com/modifiedGrantsByRole`) — not one on time
 * alone, which limits when, not what. Azure: a condition on the role assignments the holder may
 * write (the delegation conditions of Owner, User Access Administrator and RBAC Administrator).
 * A condition from a variable is taken to narrow: what it says is decided elsewhere.
 */
export function narrowingCondition(grant: RoleGrant): string | undefined {
  const expression = grant.condition?.expression;
  if (!expression) return undefined;
  if (expression.computed && /^[A-Za-z_][\w.[\]-]*$/.test(expression.value.trim())) return `its condition ${quoted(expression)} (decided elsewhere)`;
  // Azure conditions are long expressions: said by what they limit.
  if (grant.cloud === 'azure') return /roleAssignments/i.test(expression.value) ? 'its condition on the role assignments it may write' : undefined;
  const named = grant.condition?.title ? `"${cut(grant.condition.title)}"` : quoted(expression);
  return /\bresource\.(?:name|type|service)\b|modifiedGrantsByRole/.test(expression.value) ? `its condition ${named}` : undefined;
}

/** " Its condition "x" narrows it, so this is a warning.": the sentence a narrowing condition adds. */
export function narrowedNote(condition: string | undefined, severity: Severity): string {
  return condition ? ` ${condition.charAt(0).toUpperCase()}${condition.slice(1)} narrows it, so this is a${severity === 'info' ? 'n' : ''} ${severity}.` : '';
}
