import { globCovers, globsIntersect, type GlobToken } from './glob';

/**
 * Resource ARN patterns as a policy's `Resource` writes them, and the ARN formats of the catalog's
 * resource types, read into glob tokens (`glob.ts`) so that they can be compared.
 *
 * IAM's rules (IAM User Guide, "IAM JSON policy elements: Resource",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html, and
 * "IAM policy elements: Variables and tags", reference_policies_variables.html):
 * - `*` is any run of characters and `?` any one, within a segment of
 *   `arn:partition:service:region:account:resource`; a `*` that ends one of the first five
 *   segments may run past its colon, and in the resource segment wildcards match anything;
 * - `${aws:username}` and the other policy variables are replaced by a value of the request;
 *   `${*}`, `${?}` and `${$}` are a literal `*`, `?` and `$`. Terraform's `aws_iam_policy_document`
 *   writes variables `&{aws:username}`: read the same way.
 * - ARNs compare case-sensitively.
 *
 * The answers are cautious in the direction each is used: `arnPatternCovers` (the proof that a
 * narrowed resource grants nothing new) says true only when sure; `arnPatternsIntersect` and
 * `resourceTypeScope`'s `none` (a resource that cannot apply) say "may match" when unsure.
 */

/** The first five segments of an ARN (`arn`, partition, service, region, account) precede the resource. */
const RESOURCE_SEGMENT = 5;
const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/** A pattern or format as tokens, with the segment each token is in. */
function tokenize(text: string, format: boolean): GlobToken[] {
  interface Raw {
    token: GlobToken;
    segment: number;
  }
  const raws: Raw[] = [];
  const isArn = text.startsWith('arn:');
  let segment = isArn ? 0 : RESOURCE_SEGMENT;
  for (let i = 0; i < text.length; ) {
    const char = text[i]!;
    if ((char === '$' || (char === '&' && !format)) && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close !== -1) {
        const inner = text.slice(i + 2, close);
        const escaped = ESCAPES[inner];
        if (escaped !== undefined) raws.push({ token: { kind: 'char', char: escaped }, segment });
        // `${aws:username, 'default'}`: the variable is the part before the comma.
        else raws.push({ token: { kind: 'variable', name: inner.split(',')[0]!.trim().toLowerCase(), colon: true }, segment });
        i = close + 1;
        continue;
      }
    }
    if (char === '*') raws.push({ token: { kind: 'run', colon: true }, segment });
    else if (char === '?') raws.push({ token: { kind: 'one', colon: true }, segment });
    else {
      raws.push({ token: { kind: 'char', char }, segment });
      if (char === ':' && segment < RESOURCE_SEGMENT) segment++;
    }
    i++;
  }
  // Inside the first five segments a wildcard keeps to its segment, unless a `*` ends it; a
  // format's placeholder there (`${Region}`) is one value without a colon.
  return raws.map((raw, index) => {
    const { token } = raw;
    if (raw.segment >= RESOURCE_SEGMENT || token.kind === 'char') return token;
    const next = raws[index + 1];
    const endsSegment = next === undefined || (next.token.kind === 'char' && next.token.char === ':');
    if (token.kind === 'run') return { ...token, colon: endsSegment };
    if (token.kind === 'one') return { ...token, colon: false };
    return { ...token, colon: !format };
  });
}

/** A `Resource` pattern of a policy: wildcards and policy variables. */
export function arnPatternTokens(pattern: string): GlobToken[] {
  return tokenize(pattern.trim(), false);
}

/**
 * A resource type's ARN format (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`): each
 * placeholder is any value; a `*` in a format is any run, as in a pattern.
 */
export function arnFormatTokens(format: string): GlobToken[] {
  return tokenize(format, true);
}

/** Whether `outer` matches every ARN `inner` matches (true only when sure): the scope-down proof. */
export function arnPatternCovers(outer: string, inner: string): boolean {
  if (outer.trim() === '*') return true;
  return globCovers(arnPatternTokens(outer), arnPatternTokens(inner));
}

/** Whether two patterns may match a common ARN (false only when sure). */
export function arnPatternsIntersect(a: string, b: string): boolean {
  return globsIntersect(arnPatternTokens(a), arnPatternTokens(b));
}

/** Whether a pattern matches a literal ARN (a pattern with a policy variable matches only when sure). */
export function arnPatternMatches(pattern: string, arn: string): boolean {
  if (pattern.trim() === '*') return true;
  return globCovers(arnPatternTokens(pattern), [...arn].map((char) => ({ kind: 'char', char })));
}

/**
 * How much of a resource type a `Resource` pattern names:
 * - `every`: every resource of the type, in the partition, region and account the pattern names
 *   where it names them literally (`arn:aws:s3:::*` is every bucket; `*` every resource);
 * - `some`: it may name some of them (or it cannot be told);
 * - `none`: it cannot name one (`arn:aws:iam::*:user/*` against the role type).
 */
export type ResourceScope = 'none' | 'some' | 'every';

export function resourceTypeScope(pattern: string, arnFormat: string): ResourceScope {
  const text = pattern.trim();
  if (text === '*') return 'every';
  const tokens = arnPatternTokens(text);
  const format = arnFormatTokens(arnFormat);
  if (globCovers(tokens, pinnedFormat(text, format))) return 'every';
  return globsIntersect(tokens, format) ? 'some' : 'none';
}

/** The format with its partition, region and account placeholders replaced by what the pattern writes literally there. */
function pinnedFormat(pattern: string, format: readonly GlobToken[]): GlobToken[] {
  if (!pattern.startsWith('arn:')) return [...format];
  const patternSegments = pattern.split(':');
  if (patternSegments.length <= RESOURCE_SEGMENT) return [...format];
  const pinned: GlobToken[] = [];
  let segment = 0;
  let start = 0;
  const flush = (end: number): void => {
    const tokens = format.slice(start, end);
    const literal = patternSegments[segment]!;
    const placeholder = tokens.length === 1 && tokens[0]!.kind === 'variable' && (segment === 1 || segment === 3 || segment === 4);
    if (placeholder && !/[*?${}&]/.test(literal)) pinned.push(...[...literal].map((char): GlobToken => ({ kind: 'char', char })));
    else pinned.push(...tokens);
  };
  for (let i = 0; i < format.length; i++) {
    const token = format[i]!;
    if (segment < RESOURCE_SEGMENT && token.kind === 'char' && token.char === ':') {
      flush(i);
      pinned.push(token);
      segment++;
      start = i + 1;
    }
  }
  if (segment < RESOURCE_SEGMENT) return [...format];
  pinned.push(...format.slice(start));
  return pinned;
}
