import type { ValueAt } from '../../facts/model';
import type { Fixer } from '../../fixes/fixer';

/** Lowers the lifetime to one hour, in the value's own quoting. Safe: nothing else changes. */
export const fixLongSession: Fixer<ValueAt> = ({ about: value, text }) => {
  const written = text.slice(value.span.start, value.span.end);
  const quote = /^["']/.test(written) ? written[0] : '';
  return [{ title: 'Lower it to 3600 seconds (one hour)', safe: true, edits: [{ span: value.span, newText: `${quote}3600${quote}` }] }];
};
