import type { Command } from 'vscode-languageserver';
import { FIX_APPLIED_COMMAND } from '../../../protocol/keyless';
import { redactText } from '../secrets/redact';
import type { DiagnosticFix } from './diagnostics';

/**
 * What happens once a fix is applied: the editor runs a code action's `command` after its edit,
 * so a fix that creates files or leaves work for a person carries `keyless.fixApplied`, which the
 * server answers by opening the files it created (`window/showDocument`: the user sees the trust
 * it wrote) and showing what is left to do (`Fix.followUps`: repository variables to set, a key
 * to revoke, files to review and apply). No connection here: lsp/commands.ts does the showing.
 */

/** The name lives in protocol/keyless.ts; re-exported for those who build or read the command here. */
export { FIX_APPLIED_COMMAND };

/** The command's one argument: what the applied fixes created and left for a person. */
export interface FixAppliedArguments {
  created: string[];
  followUps: string[];
}

/** The command to run after these fixes' edits, or undefined when there is nothing to show. */
export function fixAppliedCommand(fixes: readonly Pick<DiagnosticFix, 'creates' | 'followUps'>[]): Command | undefined {
  const created = [...new Set(fixes.flatMap((fix) => fix.creates ?? []))];
  const followUps = [...new Set(fixes.flatMap((fix) => fix.followUps ?? []))];
  if (created.length === 0 && followUps.length === 0) return undefined;
  const args: FixAppliedArguments = { created, followUps };
  return { title: 'Show what the fix created and what is left to do', command: FIX_APPLIED_COMMAND, arguments: [args] };
}

/** The argument comes back from the client: its shape is checked before anything is opened. */
export function readFixAppliedArguments(value: unknown): FixAppliedArguments | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { created, followUps } = value as Record<string, unknown>;
  const strings = (list: unknown): list is string[] => Array.isArray(list) && list.every((item) => typeof item === 'string');
  if (!strings(created) || !strings(followUps)) return undefined;
  // Only files: a client must never be asked to open another scheme on a fix's say.
  return { created: created.filter((uri) => uri.startsWith('file:')), followUps };
}

/**
 * The message after a fix: one line per follow-up, as the CLI's "Next steps" lists them. Fixers
 * mask the key ids they name; the redactor runs again, since this text leaves the server.
 */
export function followUpMessage(followUps: readonly string[]): string | undefined {
  if (followUps.length === 0) return undefined;
  const steps = followUps.map((step) => redactText(step.trim().replace(/[.\s]+$/, '')));
  return `Keyless: fix applied. Left for you: ${steps.join('; ')}.`;
}
