import { DETECTORS } from '../secrets/detectors';
import { redact } from '../secrets/redact';
import type { FixContext, FixProposal } from './fixer';

/**
 * What every fix leaves for a person, whatever its rule (`FixProposal.followUps`), added to what
 * each fixer says itself: files the fix creates or edits elsewhere are infrastructure code that
 * does nothing until applied; repository variables the rewrite now reads must be defined; a
 * credential whose literal the fix removed is still valid until revoked (and still in git
 * history). Each follow-up is one sentence that starts with what to do, which `keyless fix`'s
 * "Next steps" orders by (output/next-steps.ts).
 *
 * Fixers keep titles short (a quick-fix menu shows about 80 characters): what needs a person goes
 * here, never into the title.
 */

/** Adds the follow-ups every fix shares to a fixer's proposals. */
export function withFollowUps(context: FixContext, proposals: readonly FixProposal[]): FixProposal[] {
  return proposals.map((proposal) => {
    const own = proposal.followUps ?? [];
    const shared = [...variables(context, proposal, own), ...applyFiles(context, proposal), ...revocations(context, proposal)];
    const all = [...new Set([...own, ...shared])];
    return all.length > 0 ? { ...proposal, followUps: all } : proposal;
  });
}

/** A fragment (`set the CI/CD variable X to …`) as a follow-up sentence. */
export function sentence(note: string): string {
  const trimmed = note.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * `${{ vars.NAME }}` in what a GitHub Actions fix writes: a repository (or organization, or
 * environment) variable the job now reads, empty until someone defines it. A variable another
 * follow-up of the fix already names (with what to set it to) is not repeated.
 */
function variables(context: FixContext, proposal: FixProposal, own: readonly string[]): string[] {
  if (context.dialect !== 'github-actions') return [];
  const names = new Set<string>();
  for (const edit of proposal.edits) {
    if (edit.path !== undefined && edit.path !== context.path) continue;
    for (const match of edit.newText.matchAll(/\bvars\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1]!);
  }
  return [...names]
    .filter((name) => !own.some((note) => new RegExp(`\\b${name}\\b`).test(note)))
    .map((name) => `Set the repository variable ${name} (Settings → Secrets and variables → Actions → Variables): the rewritten job reads it.`);
}

/**
 * Fixes of an IaC file change cloud resources (a trust, a key, a session length), which change
 * nothing until applied, except those of these rules: a provider's credentials change how Terraform
 * logs in, not what it manages, and a secret's reference is the secret fix's own business. (The
 * catalog test holds these ids to the catalog.)
 */
export const NOT_APPLIED: ReadonlySet<string> = new Set(['provider-static-credentials', 'hardcoded-secret']);

/** Created files, edits of other IaC files and of this one: nothing changes in the cloud until they are applied. */
function applyFiles(context: FixContext, proposal: FixProposal): string[] {
  const created = (proposal.creates ?? []).map((c) => c.path);
  const edited = [...new Set(proposal.edits.map((e) => e.path).filter((p): p is string => p !== undefined && p !== context.path && !created.includes(p)))];
  const own = (context.dialect === 'terraform' || context.dialect === 'cloudformation') && !NOT_APPLIED.has(context.ruleId) && proposal.edits.some((e) => e.path === undefined || e.path === context.path);
  return [
    ...created.map((path) => `Review ${path} (created), then ${applyCommand(path)}, before the job next runs.`),
    ...edited.map((path) => `Review the change to ${path}, then ${applyCommand(path)}, before the job next runs.`),
    ...(own ? [`Apply the change to ${context.path} (${context.dialect === 'terraform' ? 'terraform apply' : 'update its CloudFormation stack'}): nothing changes in the cloud until then.`] : []),
  ];
}

function applyCommand(path: string): string {
  if (/\.tf(?:\.json)?$/.test(path)) return 'apply it with terraform apply';
  return 'deploy it as a CloudFormation stack (aws cloudformation deploy --capabilities CAPABILITY_NAMED_IAM)';
}

/**
 * Credentials written in the file that the fix's edits remove: deleting the text disables nothing,
 * and the value stays in the repository's history. Named masked (first 4 and last 2 characters),
 * an access key by its id (revoking it revokes its secret).
 */
function revocations(context: FixContext, proposal: FixProposal): string[] {
  const { text } = context;
  const removed: { label: string; value: string; kind: string }[] = [];
  for (const edit of proposal.edits) {
    if ((edit.path !== undefined && edit.path !== context.path) || edit.span.end <= edit.span.start) continue;
    const before = text.slice(edit.span.start, edit.span.end);
    for (const found of credentialsIn(before)) {
      if (!edit.newText.includes(found.value) && !removed.some((r) => r.value === found.value)) removed.push(found);
    }
  }
  const hasId = removed.some((r) => r.kind === 'aws-access-key-id');
  return removed
    .filter((r) => !(hasId && r.kind === 'aws-secret-access-key'))
    // A private key's match is its PEM header, which says nothing about which key it is.
    .map((r) => `Revoke the ${r.label}${r.kind === 'private-key' ? ` written in ${context.path}` : ` ${redact(r.value)}`} once the new login works: removing it from the file does not disable it, and git history keeps it.`);
}

/** The credential values the secret detectors recognise in a piece of text. */
function credentialsIn(text: string): { label: string; value: string; kind: string }[] {
  const found: { label: string; value: string; kind: string }[] = [];
  for (const detector of DETECTORS) {
    if (!detector.hint(text)) continue;
    for (const match of text.matchAll(detector.pattern)) {
      const value = match[detector.group ?? 0];
      if (value === undefined || (detector.accept && !detector.accept(value, text, match.index ?? 0))) continue;
      found.push({ label: detector.label, value, kind: detector.kind });
    }
  }
  return found;
}
