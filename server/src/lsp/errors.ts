import { redactText } from '../secrets/redact';

/**
 * Error text fit for a log line. A log may end up pasted into an issue, so it must never carry
 * document content: messages of errors the JavaScript engine raises for programming mistakes
 * (TypeError, RangeError, ReferenceError) name code, not data, and are kept; any other message may
 * quote the input (a JSON SyntaxError quotes it, a rule may interpolate a value) and is left out.
 * The stack frames say where it happened, which is what a bug report needs.
 */
const CODE_ONLY_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError']);
/** A kept message is one line of a log: a TypeError naming a property read with a key from the file can be long. */
const MAX_MESSAGE = 200;

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  const head = CODE_ONLY_ERRORS.has(error.name) ? `${error.name}: ${keptMessage(error.message)}` : `${error.name} (message withheld: it may quote the document)`;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 8);
  return [head, ...frames].join('\n');
}

/**
 * "Cannot read properties of undefined (reading 'x')" names `x`, and `x` may be a key read from the
 * document: even a code-only message goes through the redactor, and is cut to one short line.
 */
function keptMessage(message: string): string {
  const line = redactText(message.split('\n')[0] ?? '');
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}
