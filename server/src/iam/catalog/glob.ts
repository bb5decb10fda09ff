/**
 * The wildcard algebra of IAM patterns, shared by action patterns (`s3:Get*`) and resource ARN
 * patterns (`arn:aws:s3:::bucket/*`): a pattern is a list of tokens, and two questions are
 * answered over two patterns — does one cover the other (every string the inner one matches, the
 * outer one matches too), and can they match a common string.
 *
 * Both answers lean the safe way for their use: `covers` is used to prove a scope-down grants
 * nothing new, so it answers true only when it is sure (a few exotic pairs, such as `?*` against
 * `*?`, are called not covered though they are); `intersect` is used to decide that a pattern
 * cannot apply to a resource type, so it answers false only when it is sure.
 *
 * Both are dynamic programs over the two token lists, computed bottom-up (no recursion), and give
 * their cautious answer when the table would exceed MAX_GLOB_CELLS.
 */

export type GlobToken =
  /** One literal character. */
  | { kind: 'char'; char: string }
  /** `?`: any one character. */
  | { kind: 'one'; colon: boolean }
  /** `*`: any run of characters, the empty one included. */
  | { kind: 'run'; colon: boolean }
  /**
   * A policy variable (`${aws:username}`) or a placeholder of an ARN format (`${BucketName}`): one
   * value not known here. As an outer pattern it covers only the same variable; as an inner one it
   * may be any string.
   */
  | { kind: 'variable'; name: string; colon: boolean };

// `colon`: whether the token may match a ':' — false for wildcards inside the first five
// segments of an ARN (arn:partition:service:region:account), which IAM does not let span a
// segment; true everywhere else.

/** The most cells a comparison may fill: two 2,000-character patterns. */
export const MAX_GLOB_CELLS = 4_000_000;

/** Each character literal, `*` and `?` wildcards that may match anything (action patterns, condition values). */
export function plainGlob(pattern: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (const char of pattern) {
    if (char === '*') tokens.push({ kind: 'run', colon: true });
    else if (char === '?') tokens.push({ kind: 'one', colon: true });
    else tokens.push({ kind: 'char', char });
  }
  return tokens;
}

/** The tokens of a string taken literally. */
export function literalGlob(text: string): GlobToken[] {
  return [...text].map((char) => ({ kind: 'char', char }));
}

export function hasWildcard(tokens: readonly GlobToken[]): boolean {
  return tokens.some((t) => t.kind !== 'char');
}

/** Whether the outer pattern's wildcard `star` can produce everything the inner token produces. */
function absorbs(star: { colon: boolean }, token: GlobToken): boolean {
  if (star.colon) return true;
  return token.kind === 'char' ? token.char !== ':' : !token.colon;
}

/** Whether one outer token that stands for exactly one unit matches the inner token in every case. */
function stepCovers(outer: GlobToken, inner: GlobToken): boolean {
  switch (outer.kind) {
    case 'char':
      return inner.kind === 'char' && inner.char === outer.char;
    case 'one':
      // One character against one character; never against a run or a value of unknown length.
      return (inner.kind === 'char' || inner.kind === 'one') && absorbs(outer, inner);
    case 'variable':
      return inner.kind === 'variable' && inner.name === outer.name;
    case 'run':
      return false;
  }
}

/**
 * Whether every string `inner` matches is matched by `outer` (sound: true only when sure). An
 * outer `*` absorbs a whole inner token or nothing of it, so an inner `*` or variable must be
 * absorbed by an outer `*`.
 */
export function globCovers(outer: readonly GlobToken[], inner: readonly GlobToken[]): boolean {
  const n = outer.length;
  const m = inner.length;
  if ((n + 1) * (m + 1) > MAX_GLOB_CELLS) return false;
  // covered[i][j]: outer[i..] covers inner[j..]; rows kept two at a time, i from the end.
  let below = new Uint8Array(m + 1);
  below[m] = 1; // both exhausted
  for (let i = n - 1; i >= 0; i--) {
    const row = new Uint8Array(m + 1);
    const token = outer[i]!;
    for (let j = m; j >= 0; j--) {
      if (token.kind === 'run') {
        // The star matches nothing more, or absorbs inner[j] whole and goes on.
        row[j] = below[j]! || (j < m && absorbs(token, inner[j]!) && row[j + 1]!) ? 1 : 0;
      } else {
        row[j] = j < m && stepCovers(token, inner[j]!) && below[j + 1] ? 1 : 0;
      }
    }
    below = row;
  }
  return below[0] === 1;
}

/**
 * Whether some string may match both patterns (cautious: false only when sure). A variable may be
 * any value; a wildcard that keeps to its ARN segment does not take a literal ':'.
 */
export function globsIntersect(a: readonly GlobToken[], b: readonly GlobToken[]): boolean {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_GLOB_CELLS) return true;
  const open = (t: GlobToken): boolean => t.kind === 'run' || t.kind === 'variable';
  const isColon = (t: GlobToken): boolean => t.kind === 'char' && t.char === ':';
  // Whether the open token x can take in y whole (y is a single character, or another open token, whose value it may share).
  const takes = (x: GlobToken, y: GlobToken): boolean => x.kind === 'char' || (x as { colon: boolean }).colon || !isColon(y);
  const single = (x: GlobToken, y: GlobToken): boolean => {
    if (x.kind === 'char' && y.kind === 'char') return x.char === y.char;
    return takes(x, y) && takes(y, x);
  };
  // meet[i][j]: a[i..] and b[j..] share a string; rows from the end.
  let below = new Uint8Array(m + 1);
  below[m] = 1;
  for (let j = m - 1; j >= 0; j--) below[j] = open(b[j]!) && below[j + 1] ? 1 : 0;
  for (let i = n - 1; i >= 0; i--) {
    const row = new Uint8Array(m + 1);
    const x = a[i]!;
    row[m] = open(x) && below[m] ? 1 : 0;
    for (let j = m - 1; j >= 0; j--) {
      const y = b[j]!;
      let meets = false;
      // x is empty here, or takes y in and goes on.
      if (open(x)) meets = below[j] === 1 || (takes(x, y) && row[j + 1] === 1);
      // y is empty here, or takes x in.
      if (!meets && open(y)) meets = row[j + 1] === 1 || (takes(y, x) && below[j] === 1);
      if (!meets && !open(x) && !open(y)) meets = single(x, y) && below[j + 1] === 1;
      row[j] = meets ? 1 : 0;
    }
    below = row;
  }
  return below[0] === 1;
}
