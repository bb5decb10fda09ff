/**
 * Just enough shell to find commands in a CI script: line continuations joined (`\` for sh,
 * `` ` `` for PowerShell), comments dropped, commands split at newlines, `&&`, `||`, `;` and `|`,
 * words split at whitespace outside quotes and `$(…)`, with surrounding quotes removed. Not a
 * shell parser: it never needs to evaluate anything, only to recognise
 * `cargo +nightly publish --allow-dirty` over three lines.
 */
export interface ShellCommand {
  words: string[];
  /** The command's text as written, continuations joined. */
  text: string;
}

export function shellCommands(script: string): ShellCommand[] {
  const joined = script.replace(/[\\`][ \t]*\r?\n/g, ' ');
  const commands: ShellCommand[] = [];
  for (const rawLine of joined.split(/\r?\n/)) {
    const line = stripComment(rawLine);
    for (const part of line.split(/&&|\|\||;|\|/)) {
      const text = part.trim();
      if (text === '') continue;
      const words = splitWords(text).map(unquote).filter((w) => w !== '');
      // `sudo`, `env X=1`, `time` and leading assignments do not change which program runs.
      while (words.length > 0 && (/^(?:sudo|time|exec|command|env)$/.test(words[0]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!))) words.shift();
      if (words.length > 0) commands.push({ words, text });
    }
  }
  return commands;
}

function stripComment(line: string): string {
  // A `#` that starts a word begins a comment; `${{ }}`, URLs' fragments and `$#` do not.
  const match = /(?:^|\s)#/.exec(line);
  return match ? line.slice(0, match.index) : line;
}

/**
 * Words as the shell groups them: whitespace inside quotes or a command substitution does not
 * split (`--role-session-name "ci-$(date +%s)"` is two words). One pass, so a megabyte line with
 * unbalanced quotes costs no more than a balanced one; an unclosed quote runs to the end.
 */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  let quote = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== '') {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      if (depth === 0 && start !== -1) {
        words.push(text.slice(start, i));
        start = -1;
      }
      continue;
    }
    if (start === -1) start = i;
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '$' && text[i + 1] === '(') {
      depth++;
      i++;
    } else if (c === ')' && depth > 0) depth--;
    else if (c === '\\') i++;
  }
  if (start !== -1) words.push(text.slice(start));
  return words;
}

function unquote(word: string): string {
  return word.replace(/^["']+|["']+$/g, '');
}

/** The value after `--flag value`, `--flag=value` or `-f value`, or undefined. */
export function flagValue(words: readonly string[], ...flags: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    for (const flag of flags) {
      if (word === flag) return words[i + 1];
      if (word.startsWith(`${flag}=`)) return unquote(word.slice(flag.length + 1));
    }
  }
  return undefined;
}

export function hasFlag(words: readonly string[], ...flags: string[]): boolean {
  return words.some((w) => flags.some((f) => w === f || w.startsWith(`${f}=`)));
}
