import { redactText } from '../secrets/redact';

/**
 * "Next steps" of `keyless fix`: what the applied fixes leave for a person (`Fix.followUps`),
 * once each, in the order a person does them. Variables come first (the rewritten jobs read them
 * on their next run), then the files to review and apply (the trust must exist before a job can
 * assume it), then what is registered elsewhere (trusted publishers, federated credentials), then
 * anything else, and last the keys to revoke: once the new login works, nothing needs them.
 */

/** The order of a follow-up by its first word: every follow-up starts with what to do. */
const ORDER: readonly (readonly [RegExp, number])[] = [
  [/^(?:Set|Define)\b/, 0],
  [/^(?:Review|Apply|Deploy)\b/, 1],
  [/^(?:Register|Add|Create)\b/, 2],
  [/^Revoke\b/, 4],
];

function rank(note: string): number {
  for (const [pattern, order] of ORDER) if (pattern.test(note)) return order;
  return 3;
}

/**
 * The follow-ups of a run: deduplicated, grouped by what to do (a stable sort keeps the order the
 * fixes were applied in within a group), and masked like every other string a report prints — a
 * fixer only ever puts a credential's first 4 and last 2 characters in one, but a report never
 * relies on that.
 */
export function nextSteps(followUps: readonly string[]): string[] {
  const unique = [...new Set(followUps.map((note) => redactText(note.trim())).filter((note) => note !== ''))];
  return unique.map((note, position) => ({ note, position, order: rank(note) })).sort((a, b) => a.order - b.order || a.position - b.position).map(({ note }) => note);
}
