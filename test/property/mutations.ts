import fc from 'fast-check';

/**
 * Mutations of a seed file, as data: fast-check generates and shrinks them, and a failing case
 * prints as a readable list ("insert `${` at 120, then truncate at 300") rather than as a blob of
 * text. Positions are unbounded naturals taken modulo the text's length when applied, so that one
 * arbitrary serves seeds of every size and mutations compose (each applies to the previous
 * result).
 */
export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip-bit'; at: number; bit: number }
  | { kind: 'replace-char'; at: number; char: string }
  | { kind: 'insert'; at: number; piece: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'shuffle-lines'; at: number; window: number; seed: number }
  | { kind: 'duplicate-lines'; at: number; count: number; times: number }
  | { kind: 'deepen'; at: number; how: 'seq' | 'map' | 'hcl-object' | 'indent'; levels: number; lines: number }
  | { kind: 'line-endings'; to: 'crlf' | 'lf' | 'cr' }
  | { kind: 'bom' };

/** Fragments that open or close structure in one of the three syntaxes, or mean something in it. */
export const PIECES = [
  '{', '}', '[', ']', '"', "'", '`', ':', ': ', '-', '- ', '#', '\n', '\r', '\r\n', '\t', ' ', '\\',
  '${', '${{', '{{', '}}', '%{', '<<EOF', '<<-EOT\n', '\nEOF\n', '&a', '*a', '&a ', ' *a', '<<: *a', '!Ref', '!!binary', '? ',
  '---\n', '...\n', '|', '>-', ' = ', '=', '/*', '*/', '//', ',', ';', '\u0000', '\ufeff', '\ud800', '\udc00', '\u2028',
  'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '-----BEGIN RSA PRIVATE KEY-----',
  '# keyless-ignore hardcoded-secret', 'AWS_ACCESS_KEY_ID', 'provider "aws" {', 'env:\n  ', 'uses: aws-actions/configure-aws-credentials@v4',
] as const;

const piece: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);

const at = fc.nat();

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('flip-bit' as const), at, bit: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ kind: fc.constant('replace-char' as const), at, char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, piece }) },
  fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('shuffle-lines' as const), at, window: fc.integer({ min: 2, max: 40 }), seed: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-lines' as const), at, count: fc.integer({ min: 1, max: 20 }), times: fc.integer({ min: 1, max: 5 }) }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deepen' as const),
      at,
      how: fc.constantFrom('seq' as const, 'map' as const, 'hcl-object' as const, 'indent' as const),
      levels: fc.integer({ min: 1, max: 64 }),
      lines: fc.integer({ min: 1, max: 30 }),
    }),
  },
  fc.record({ kind: fc.constant('line-endings' as const), to: fc.constantFrom('crlf' as const, 'lf' as const, 'cr' as const) }),
  fc.record({ kind: fc.constant('bom' as const) }),
);

/** One to five mutations, applied in order. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 5 });

export function applyMutations(text: string, list: readonly Mutation[]): string {
  return list.reduce(applyMutation, text);
}

/** A line's leading part (indentation, `- `, and `key:` or `key =`) and its value. */
const KEY_VALUE = /^(\s*(?:-\s+)?(?:[^\s:=#"'{}[\]][^:=#]*?(?::\s|=\s*)\s*)?)(.*)$/;

export function applyMutation(text: string, m: Mutation): string {
  const pos = (n: number): number => n % (text.length + 1);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, pos(m.at));
    case 'flip-bit': {
      if (text.length === 0) return text;
      const i = m.at % text.length;
      return text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ (1 << m.bit)) + text.slice(i + 1);
    }
    case 'replace-char': {
      if (text.length === 0) return m.char;
      const i = m.at % text.length;
      return text.slice(0, i) + m.char + text.slice(i + 1);
    }
    case 'insert': {
      const i = pos(m.at);
      return text.slice(0, i) + m.piece + text.slice(i);
    }
    case 'delete': {
      const i = pos(m.at);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case 'shuffle-lines': {
      const lines = text.split('\n');
      const start = m.at % lines.length;
      const window = lines.slice(start, start + m.window);
      let state = m.seed >>> 0;
      for (let i = window.length - 1; i > 0; i--) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const j = state % (i + 1);
        [window[i], window[j]] = [window[j]!, window[i]!];
      }
      lines.splice(start, window.length, ...window);
      return lines.join('\n');
    }
    case 'duplicate-lines': {
      const lines = text.split('\n');
      const start = m.at % lines.length;
      const block = lines.slice(start, start + m.count);
      const copies: string[] = [];
      for (let i = 0; i < m.times; i++) copies.push(...block);
      lines.splice(start, 0, ...copies);
      return lines.join('\n');
    }
    case 'deepen': {
      const lines = text.split('\n');
      const start = m.at % lines.length;
      if (m.how === 'indent') {
        const pad = ' '.repeat(m.levels);
        for (let i = start; i < Math.min(lines.length, start + m.lines); i++) lines[i] = pad + lines[i]!;
        return lines.join('\n');
      }
      const [, lead = '', value = ''] = KEY_VALUE.exec(lines[start]!) ?? [];
      const [open, close] = m.how === 'seq' ? ['[', ']'] : m.how === 'map' ? ['{a: ', '}'] : ['{ a = ', ' }'];
      lines[start] = lead + open.repeat(m.levels) + value + close.repeat(m.levels);
      return lines.join('\n');
    }
    case 'line-endings':
      if (m.to === 'crlf') return text.replace(/\r?\n/g, '\r\n');
      if (m.to === 'lf') return text.replace(/\r\n?/g, '\n');
      return text.replace(/\r?\n/g, '\r');
    case 'bom':
      return `\ufeff${text}`;
  }
}
