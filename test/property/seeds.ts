import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedPath, unlessShared } from '../shared';

/**
 * The files the property suites start from: every file below every `fixtures` folder of test/ and
 * of every fix case (`test/rules/<rule>/fixes/<case>/`: its workspace before and after), read when
 * the suite runs, so fixtures added later join without a change here; and every file of
 * ../shared/corpus.
 */

const ROOT = path.resolve(__dirname, '..', '..');
export const CORPUS = sharedPath('corpus');
const RULES = path.join(ROOT, 'test', 'rules');

export interface Seed {
  /** The path the engine sees: below `fixtures/` (as the rule fixture harness does), `fixes/` or the corpus. */
  path: string;
  /** Where it was read from, for messages. */
  source: string;
  text: string;
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.isFile() ? [full] : [];
    });
}

const slash = (p: string): string => p.split(path.sep).join('/');

/**
 * Every file below every `fixtures` folder of test/, by its path below that folder, and every file
 * of a fix case's workspace before and after (`test/rules/<rule>/fixes/<case>/input/`, and the
 * files of `expected/`, the ones a fix creates included (what Keyless writes is also what users
 * then edit and scan: a created trust file found a fix title over 80 characters), by its path
 * below `fixes/`. Cases that differ only in their options share their input: a file one of them
 * seeded already is not seeded again.
 */
export function fixtureSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const seed = (file: string, below: string): void => {
    seeds.push({ path: slash(path.relative(below, file)), source: slash(path.relative(ROOT, file)), text: fs.readFileSync(file, 'utf8') });
  };
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.name === 'fixtures') for (const file of walk(full)) seed(file, full);
      else if (entry.name === 'fixes' && path.dirname(dir) === RULES) fixCaseSeeds(full, seed);
      else visit(full);
    }
  };
  visit(path.join(ROOT, 'test'));
  return seeds;
}

function fixCaseSeeds(fixes: string, seed: (file: string, below: string) => void): void {
  const seen = new Set<string>();
  for (const fixCase of fs.readdirSync(fixes, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    for (const side of ['input', 'expected']) {
      const dir = path.join(fixes, fixCase, side);
      if (!fs.existsSync(dir)) continue;
      for (const file of walk(dir)) {
        const key = `${side}/${slash(path.relative(dir, file))}\0${fs.readFileSync(file, 'utf8')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        seed(file, fixes);
      }
    }
  }
}

export function corpusSeeds(): Seed[] | undefined {
  if (!fs.existsSync(CORPUS)) return undefined;
  return walk(CORPUS).map((file) => ({
    path: slash(path.relative(CORPUS, file)),
    source: `shared/corpus/${slash(path.relative(CORPUS, file))}`,
    text: fs.readFileSync(file, 'utf8'),
  }));
}

/** A group of seeds, and why it is skipped (the corpus outside the workplace) or undefined. */
export interface SeedSet {
  label: string;
  skip: string | undefined;
  seeds: () => Seed[];
}

/**
 * The repository fixtures and the corpus as two sets, so a suite runs one test per set and the
 * corpus's is reported as skipped, with its reason, where ../shared/corpus is absent (instead of
 * passing on the fixtures alone as if it had checked both).
 */
export function seedSets(what: string): SeedSet[] {
  return [
    { label: 'repository fixtures', skip: undefined, seeds: fixtureSeeds },
    { label: 'corpus in ../shared/corpus', skip: unlessShared('corpus', `${what} on the corpus`), seeds: () => corpusSeeds() ?? [] },
  ];
}
