/**
 * Error text fit for a log line. A log may end up pasted into an issue, so it must never carry
 * document content: messages of errors the JavaScript engine raises for programming mistakes
 * (TypeError, RangeError, ReferenceError) name code, not data, and are kept; any other message may
 * quote the input (a JSON SyntaxError quotes it, a rule may interpolate a value) and is left out.
 * The stack frames say where it happened, which is what a bug report needs.
 */
const CODE_ONLY_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError']);

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  const head = CODE_ONLY_ERRORS.has(error.name) ? `${error.name}: ${error.message}` : `${error.name} (message withheld: it may quote the document)`;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 8);
  return [head, ...frames].join('\n');
}
