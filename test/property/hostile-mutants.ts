import * as fs from 'node:fs';
import * as path from 'node:path';
import { syntaxOf } from '../../server/src/dialects/detect';
import { aliasBomb } from '../syntax/hostile';
import { LEAK_CLASSES } from './leak-classes';
import { corpusSeeds, fixtureSeeds, type Seed } from './seeds';

/**
 * Seeded hostile mutants for the fuzzer (`bench/fuzz.ts`, long) and its small run in `npm test`
 * (`fuzz.test.ts`): what issue 7's thirty thousand mutated files were made of, as named families,
 * each mutant a pure function of (run seed, syntax, index), so any one can be rebuilt from the
 * numbers a failure prints.
 *
 * Nearly every mutant also carries a planted AWS key pair (a fresh fake id and secret), put last so
 * that no later mutation breaks it: at a random offset, or, in the `plant` family, where names,
 * anchors, aliases, tags, interpolations, comments and parser-quoted tokens are.
 */

export type FuzzSyntax = 'yaml' | 'hcl' | 'json';
export const SYNTAXES: readonly FuzzSyntax[] = ['yaml', 'hcl', 'json'];

export interface Plant {
  keyId: string;
  secret: string;
  /** Where it was put, for a failure report. */
  where: string;
}

export interface Mutant {
  syntax: FuzzSyntax;
  family: string;
  /** The seed file(s) it came from. */
  source: string;
  /** The path the engine sees: the seed's, so dialect detection reads it as the seed's dialect. */
  path: string;
  text: string;
  planted: Plant[];
}

/** How big the hostile families go: the long run uses the issue's sizes, `npm test` a fraction. */
export interface Scale {
  /** Bytes of a huge line or list. */
  hugeBytes: number;
  /** Nesting depths to choose from. */
  depths: readonly number[];
  /** Alias bomb levels and width. */
  bomb: { levels: number; width: number };
}

export const FULL_SCALE: Scale = { hugeBytes: 1024 * 1024, depths: [64, 500, 1_000, 2_000, 5_000], bomb: { levels: 9, width: 9 } };
export const SMALL_SCALE: Scale = { hugeBytes: 4 * 1024, depths: [16, 64, 200], bomb: { levels: 6, width: 4 } };

/** mulberry32: small, fast, and the same sequence on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** FNV-1a, to derive each mutant's generator from the run seed, its syntax and its index. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// --- seeds -----------------------------------------------------------------------------------

const ROOT = path.resolve(__dirname, '..', '..');

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.isFile() ? [full] : [];
    });
}

function exampleSeeds(): Seed[] {
  const dir = path.join(ROOT, 'examples');
  return walk(dir).map((file) => ({ path: path.relative(dir, file).split(path.sep).join('/'), source: path.relative(ROOT, file).split(path.sep).join('/'), text: fs.readFileSync(file, 'utf8') }));
}

export interface SeedPool {
  bySyntax: Record<FuzzSyntax, Seed[]>;
  /** Whether ../shared/corpus was there to read. */
  corpus: boolean;
}

/**
 * The repository's fixtures and examples, the leak-class files, and ../shared/corpus when it is
 * there (read in place; skipped when absent), grouped by syntax. Expectation files are not seeds.
 */
export function loadSeeds(): SeedPool {
  const corpus = corpusSeeds();
  const all = [
    ...fixtureSeeds(),
    ...exampleSeeds(),
    ...LEAK_CLASSES.map((c) => ({ path: c.path, source: `leak-classes: ${c.name}`, text: c.text })),
    ...(corpus ?? []),
  ].filter((s) => !s.path.endsWith('.expect.json'));
  const bySyntax: Record<FuzzSyntax, Seed[]> = { yaml: [], hcl: [], json: [] };
  for (const seed of all) {
    const syntax = syntaxOf(seed.path);
    if (syntax === 'yaml' || syntax === 'hcl' || syntax === 'json') bySyntax[syntax].push(seed);
  }
  return { bySyntax, corpus: corpus !== undefined };
}

// --- key pairs -------------------------------------------------------------------------------

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';

/** A fresh fake pair: an id of a documented prefix and 16 capitals or digits, a 40-character base64 secret. */
export function fakePair(rng: Rng): { keyId: string; secret: string } {
  let keyId = rng.pick(['AKIA', 'AKIA', 'AKIA', 'ASIA']);
  for (let i = 0; i < 16; i++) keyId += ID_CHARS[rng.int(ID_CHARS.length)];
  let secret = '';
  for (let i = 0; i < 40; i++) secret += SECRET_CHARS[rng.int(SECRET_CHARS.length)];
  return { keyId, secret };
}

/** How the two halves of a pair sit next to each other: anywhere, inside a string or a line, inside a name. */
const ANY_JOINS = ['', '', ' ', ':', '=', '_', '-', '/', '", "', "', '", ',', '\n', '\\n', ' # ', '\t', '.'];
const LINE_JOINS = ['', '', ' ', ':', '=', '_', '-', '/', ',', ' # ', '.'];
const NAME_JOINS = ['', '', '_', '-', '/', '.', ':'];

/** The pair, its halves intact (a changed character would make it another value), in either order. */
function pairText(rng: Rng, keyId: string, secret: string, joins: readonly string[] = ANY_JOINS): string {
  const join = rng.pick(joins);
  return rng.chance(0.8) ? `${keyId}${join}${secret}` : `${secret}${join}${keyId}`;
}

// --- helpers -----------------------------------------------------------------------------------

function insertAt(text: string, at: number, piece: string): string {
  return text.slice(0, at) + piece + text.slice(at);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Offset of the value on a random `key: value` / `key = value` / `"key": value` line, else a random offset. */
function valueOffset(rng: Rng, text: string): number {
  const lines = text.split('\n');
  const starts = lineStarts(text);
  for (let attempt = 0; attempt < 8; attempt++) {
    const i = rng.int(lines.length);
    const m = /^(\s*(?:-\s+)?(?:"[^"]*"|[^\s:=#"'{}[\]][^:=#]*?)\s*(?::\s|=\s*))\S/.exec(lines[i]!);
    if (m) return starts[i]! + m[1]!.length;
  }
  return rng.int(text.length + 1);
}

/** A random run of `length` printable ASCII characters (no quotes or backslashes: a value, not syntax). */
function filler(rng: Rng, length: number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.';
  const chunk = Array.from({ length: 4096 }, () => chars[rng.int(chars.length)]).join('');
  return chunk.repeat(Math.ceil(length / chunk.length)).slice(0, length);
}

// --- families --------------------------------------------------------------------------------

type Family = (rng: Rng, text: string, syntax: FuzzSyntax, scale: Scale, other: () => string) => string;

const FAMILIES: Record<string, Family> = {
  /** Bit flips in the UTF-8 bytes, decoded back as a reader would (invalid sequences become U+FFFD). */
  'byte-flips': (rng, text) => {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length === 0) return text;
    const flips = 1 + rng.int(8);
    for (let i = 0; i < flips; i++) bytes[rng.int(bytes.length)] ^= 1 << rng.int(8);
    return bytes.toString('utf8');
  },
  truncate: (rng, text) => (rng.chance(0.8) ? text.slice(0, rng.int(text.length + 1)) : text.slice(rng.int(text.length + 1))),
  /** The head of one file and the tail of another of the same syntax. */
  splice: (rng, text, _syntax, _scale, other) => {
    const b = other();
    return text.slice(0, rng.int(text.length + 1)) + b.slice(rng.int(b.length + 1));
  },
  /** A block of lines indented further, less, or with tabs. */
  'indent-shift': (rng, text) => {
    const lines = text.split('\n');
    const start = rng.int(lines.length);
    const count = 1 + rng.int(20);
    const how = rng.int(3);
    const by = 1 + rng.int(8);
    for (let i = start; i < Math.min(lines.length, start + count); i++) {
      const line = lines[i]!;
      lines[i] = how === 0 ? ' '.repeat(by) + line : how === 1 ? line.replace(new RegExp(`^ {1,${by}}`), '') : line.replace(/^ +/, (s) => '\t'.repeat(Math.ceil(s.length / 2)));
    }
    return lines.join('\n');
  },
  /**
   * YAML: a billion-laughs bomb whose last anchor is used as a value the dialect reads. HCL: the
   * same shape in locals, referenced from an attribute. JSON (no aliases): a list tens of
   * thousands of objects wide.
   */
  'alias-bomb': (rng, text, syntax, scale) => {
    const { levels, width } = scale.bomb;
    if (syntax === 'yaml') {
      const bomb = aliasBomb(levels, width).replace(/^([a-z]): /gm, 'x-lol-$1: ');
      const last = 'abcdefghijklmnopqrstuvwxyz'[levels - 1];
      const withBomb = rng.chance(0.5) ? bomb + text : insertAt(text, lineStarts(text)[rng.int(lineStarts(text).length)]!, bomb);
      const at = valueOffset(rng, withBomb);
      const lineEnd = withBomb.indexOf('\n', at);
      return withBomb.slice(0, at) + `*${last}` + (lineEnd === -1 ? '' : withBomb.slice(lineEnd));
    }
    if (syntax === 'hcl') {
      const locals = ['locals {', `  l0 = [${Array(width).fill('"lol"').join(', ')}]`];
      for (let i = 1; i < levels; i++) locals.push(`  l${i} = [${Array(width).fill(`local.l${i - 1}`).join(', ')}]`);
      locals.push('}', '');
      const at = valueOffset(rng, text);
      const lineEnd = text.indexOf('\n', at);
      return locals.join('\n') + text.slice(0, at) + `local.l${levels - 1}` + (lineEnd === -1 ? '' : text.slice(lineEnd));
    }
    const wide = `[${Array(Math.min(30_000, width ** 5)).fill('{"Effect": "Allow", "Action": "*"}').join(',')}]`;
    const at = valueOffset(rng, text);
    return insertAt(text, at, `${wide}, `);
  },
  /** Brackets, braces or parentheses nested thousands deep around a value (balanced or not). */
  'deep-nesting': (rng, text, syntax, scale) => {
    const depth = rng.pick(scale.depths);
    const kind = rng.int(4);
    const [open, close] =
      kind === 0 ? ['[', ']'] : kind === 1 ? ['(', ')'] : kind === 2 ? (syntax === 'hcl' ? ['{ a = ', ' }'] : syntax === 'json' ? ['{"a": ', '}'] : ['{a: ', '}']) : [syntax === 'hcl' ? 'f(' : '[', syntax === 'hcl' ? ')' : ']'];
    const at = valueOffset(rng, text);
    const end = text.indexOf('\n', at);
    const valueEnd = end === -1 ? text.length : end;
    const balanced = rng.chance(0.8);
    return text.slice(0, at) + open.repeat(depth) + text.slice(at, valueEnd) + (balanced ? close.repeat(depth) : '') + text.slice(valueEnd);
  },
  /** A megabyte on one line (a string value) or in one list. */
  huge: (rng, text, syntax, scale) => {
    const at = valueOffset(rng, text);
    const end = text.indexOf('\n', at);
    const valueEnd = end === -1 ? text.length : end;
    let value: string;
    if (rng.chance(0.5)) {
      value = `"${filler(rng, scale.hugeBytes)}"`;
    } else {
      const item = syntax === 'yaml' ? 'item' : '"item"';
      const count = Math.floor(scale.hugeBytes / (item.length + 2));
      value = `[${Array(count).fill(item).join(', ')}]`;
    }
    return text.slice(0, at) + value + text.slice(valueEnd);
  },
  /** NUL, lone surrogates, C1 controls, bidi overrides and bytes that are not UTF-8, decoded as a reader would. */
  'nul-invalid-utf8': (rng, text) => {
    let out = text;
    const n = 1 + rng.int(6);
    for (let i = 0; i < n; i++) {
      const piece = rng.pick(['\u0000', '\u0000\u0000\u0000', '\ud800', '\udfff', '\u0085', '\u202e', '\ufffd', Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]).toString('utf8'), Buffer.from([0xe2, 0x82]).toString('latin1')]);
      out = insertAt(out, rng.int(out.length + 1), piece);
    }
    return out;
  },
  /** Line endings: all CRLF, all CR, or a mix. */
  crlf: (rng, text) => {
    const how = rng.int(3);
    if (how === 0) return text.replace(/\r?\n/g, '\r\n');
    if (how === 1) return text.replace(/\r?\n/g, '\r');
    return text.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r']));
  },
  /** A byte-order mark at the start, twice, or in the middle. */
  bom: (rng, text) => {
    const how = rng.int(3);
    if (how === 0) return `\ufeff${text}`;
    if (how === 1) return `\ufeff\ufeff${text}`;
    return insertAt(text, rng.int(text.length + 1), '\ufeff');
  },
  /** Strings, heredocs, interpolations, comments and flow collections left open. */
  unterminated: (rng, text, syntax) => {
    const pieces =
      syntax === 'hcl'
        ? ['"unterminated', '<<EOF\nno terminator\n', '<<-EOT\n  x = "${', '"${var.x', '/* never closed', '"%{ if true }', '[1, 2', '{ a = ']
        : syntax === 'yaml'
          ? ['"unterminated', "'unterminated", '[a, b', '{a: ', '|\n', '>-\n  x', '${{ secrets.X', '!Sub "${']
          : ['"unterminated', '[', '{', '{"a": ', '"\\u12', '/* never closed'];
    const at = rng.chance(0.5) ? valueOffset(rng, text) : rng.int(text.length + 1);
    return insertAt(text, at, rng.pick(pieces));
  },
  /** Key pairs where the tree does not call them values: names, anchors, aliases, tags, interpolations, comments. */
  plant: (_rng, text) => text,
};

export const FAMILY_NAMES: readonly string[] = Object.keys(FAMILIES);

/** Weights: the costly families (a megabyte, thousands deep, a bomb) less often than the cheap ones. */
const WEIGHTS: Record<string, number> = {
  'byte-flips': 10,
  truncate: 8,
  splice: 8,
  'indent-shift': 8,
  'alias-bomb': 2,
  'deep-nesting': 4,
  huge: 1,
  'nul-invalid-utf8': 8,
  crlf: 6,
  bom: 5,
  unterminated: 8,
  plant: 12,
};

function pickFamily(rng: Rng): string {
  const total = FAMILY_NAMES.reduce((n, f) => n + WEIGHTS[f]!, 0);
  let r = rng.int(total);
  for (const family of FAMILY_NAMES) {
    r -= WEIGHTS[family]!;
    if (r < 0) return family;
  }
  return FAMILY_NAMES[0]!;
}

/** Where a planted pair goes, by syntax: each returns the text with the pair in it, its halves intact. */
function plantSomewhere(rng: Rng, text: string, syntax: FuzzSyntax, keyId: string, secret: string): { text: string; where: string } {
  const lines = lineStarts(text);
  const lineAt = (): number => lines[rng.int(lines.length)]!;
  const pair = (joins: readonly string[] = ANY_JOINS): string => pairText(rng, keyId, secret, joins);
  const choices: { where: string; apply: () => string }[] = [
    { where: 'random offset', apply: () => insertAt(text, rng.int(text.length + 1), pair()) },
    { where: 'glued to a word', apply: () => insertAt(text, valueOffset(rng, text), `access${pair()}`) },
    { where: 'in a value', apply: () => insertAt(text, valueOffset(rng, text), pair()) },
  ];
  if (syntax === 'yaml') {
    choices.push(
      { where: 'a key', apply: () => insertAt(text, lineAt(), `${pair(LINE_JOINS)}: x\n`) },
      { where: 'a nested key', apply: () => insertAt(text, valueOffset(rng, text), `\n  Key${pair(NAME_JOINS)}:\n    Type: AWS::IAM::AccessKey\n`) },
      { where: 'an anchor', apply: () => insertAt(text, valueOffset(rng, text), `&${pair(NAME_JOINS)} `) },
      { where: 'an alias', apply: () => insertAt(text, valueOffset(rng, text), `*${pair(NAME_JOINS)}`) },
      { where: 'a tag', apply: () => insertAt(text, valueOffset(rng, text), `!${pair(NAME_JOINS)} `) },
      { where: 'a block scalar header', apply: () => insertAt(text, valueOffset(rng, text), `| ${pair(LINE_JOINS)}\n`) },
      { where: 'an expression', apply: () => insertAt(text, valueOffset(rng, text), `\${{ '${pair(LINE_JOINS)}' }}`) },
      { where: 'a comment', apply: () => insertAt(text, lineAt(), `# ${pair(LINE_JOINS)}\n`) },
    );
  } else if (syntax === 'hcl') {
    choices.push(
      { where: 'a block label', apply: () => insertAt(text, lineAt(), `resource "aws_iam_access_key" "${pair(LINE_JOINS)}" {\n  user = "ci"\n}\n`) },
      { where: 'an interpolation', apply: () => insertAt(text, valueOffset(rng, text), `"\${"${pair(LINE_JOINS)}"}"`) },
      { where: 'a reference', apply: () => insertAt(text, valueOffset(rng, text), `var.${pair(NAME_JOINS)}`) },
      { where: 'a heredoc', apply: () => insertAt(text, lineAt(), `x = <<EOF\n${pair()}\nEOF\n`) },
      { where: 'a comment', apply: () => insertAt(text, lineAt(), `# ${pair(LINE_JOINS)}\n`) },
    );
  } else {
    choices.push(
      { where: 'a key', apply: () => insertAt(text, valueOffset(rng, text), `{"${pair(LINE_JOINS)}": 1}, `) },
      { where: 'an array', apply: () => insertAt(text, valueOffset(rng, text), `["${keyId}", "${secret}"], `) },
    );
  }
  const choice = rng.pick(choices);
  return { text: choice.apply(), where: choice.where };
}

/**
 * Mutant `index` of `syntax` in the run seeded `runSeed`: one to three mutations of one family on a
 * seed file, then (nearly always) a planted key pair, or one to three in the `plant` family.
 */
export function makeMutant(pool: SeedPool, syntax: FuzzSyntax, runSeed: number, index: number, scale: Scale, only?: string): Mutant {
  const rng = new Rng(hash32(`${runSeed}:${syntax}:${index}`));
  const seeds = pool.bySyntax[syntax];
  const seed = rng.pick(seeds);
  const family = only ?? pickFamily(rng);
  const mutate = FAMILIES[family];
  if (!mutate) throw new Error(`no mutation family "${family}" (families: ${FAMILY_NAMES.join(', ')})`);
  let text = seed.text;
  let source = seed.source;
  const rounds = family === 'huge' || family === 'alias-bomb' || family === 'deep-nesting' ? 1 : 1 + rng.int(3);
  for (let i = 0; i < rounds; i++) {
    text = mutate(rng, text, syntax, scale, () => {
      const other = rng.pick(seeds);
      source += ` + ${other.source}`;
      return other.text;
    });
  }
  const planted: Plant[] = [];
  const plants = family === 'plant' ? 1 + rng.int(3) : rng.chance(0.85) ? 1 : 0;
  for (let i = 0; i < plants; i++) {
    const { keyId, secret } = fakePair(rng);
    const placed = plantSomewhere(rng, text, syntax, keyId, secret);
    text = placed.text;
    planted.push({ keyId, secret, where: placed.where });
  }
  return { syntax, family, source, path: seed.path, text, planted };
}
