import type { SessionRequest, ValueAt } from '../../facts/model';
import { flagValue, type ShellCommand } from '../../syntax/shell';
import type { Span } from '../../core/text';
import type { ScalarNode } from '../../syntax/tree';
import { locateInScalar } from '../locate';

/**
 * `aws sts assume-role-with-web-identity --role-arn … --role-session-name …` in a CI script,
 * GitHub `run:` and GitLab `script:` alike: a federated login, and the session it asks for.
 */
export function webIdentityAssumption(command: ShellCommand, node: ScalarNode, text: string): { anchor: Span; session: SessionRequest } | undefined {
  const at = command.words.findIndex((w, i) => w === 'assume-role-with-web-identity' && command.words[i - 1] === 'sts');
  if (at === -1) return undefined;
  const words = command.words.slice(at);
  // Searched from where this command is written: a script may run the exchange several times.
  const source = text.slice(node.span.start, node.span.end);
  const from = Math.max(0, source.indexOf(command.text));
  // The value where it follows its flag: the same text may appear earlier (a role named like the session).
  const located = (flag: string): ValueAt | undefined => {
    const value = flagValue(words, flag);
    return value === undefined ? undefined : { value, span: valueAfterFlag(source, node.span.start, from, flag, value) ?? locateInScalar(text, node, value) };
  };
  const subcommand = source.indexOf('assume-role-with-web-identity', from);
  const name = located('--role-session-name');
  const duration = located('--duration-seconds');
  const role = located('--role-arn');
  return {
    anchor: subcommand === -1 ? locateInScalar(text, node, 'assume-role-with-web-identity') : { start: node.span.start + subcommand, end: node.span.start + subcommand + 'assume-role-with-web-identity'.length },
    session: { ...(name ? { name } : {}), ...(duration ? { durationSeconds: duration } : {}), ...(role ? { role } : {}), nameIn: 'shell' },
  };
}

/** Where `value` is written right after `flag` (`--flag value`, `--flag=value`, quoted or not) in a scalar's source, from `from` on. */
function valueAfterFlag(source: string, offset: number, from: number, flag: string, value: string): Span | undefined {
  for (let at = source.indexOf(flag, from); at !== -1; at = source.indexOf(flag, at + flag.length)) {
    let i = at + flag.length;
    if (source[i] === '=') i++;
    else while (source[i] === ' ' || source[i] === '\t') i++;
    // A quote, also escaped inside a double-quoted YAML scalar (`\\"deploy\\"`).
    if (source.startsWith('\\"', i)) i += 2;
    else if (source[i] === '"' || source[i] === "'") i++;
    if (source.startsWith(value, i)) return { start: offset + i, end: offset + i + value.length };
  }
  return undefined;
}
