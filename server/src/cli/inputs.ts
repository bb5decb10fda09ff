import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readsFile } from '../dialects/detect';
import { CONFIG_FILE_NAME, parseConfig, pathMatcher, type KeylessConfig } from '../engine/config';
import { unanalyzedFile, type ConfigMessage, type ScannedFile } from '../output/report';
import { gitIgnoredAbove, gitRootOf, loadConfig, toPosix, walkFiles } from '../workspace/files';
import { InputError } from './args';
import { describeFsError, type Candidate } from './scan-file';

/**
 * What a command reads before any analysis, the same for `keyless scan` and `keyless fix`: the
 * paths named on the command line, the settings, and the files those paths select.
 */

export type PathTarget = { kind: 'file' | 'folder'; given: string; absolute: string };

/** Every path must exist before anything is read: a typo is a usage error, not an empty report. */
export async function resolveTargets(paths: readonly string[], cwd: string): Promise<PathTarget[]> {
  const targets: PathTarget[] = [];
  const problems: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    try {
      const stat = await fs.stat(absolute);
      // A FIFO or a device would block the read or never end: only files and folders are read.
      if (stat.isDirectory()) targets.push({ kind: 'folder', given, absolute });
      else if (stat.isFile()) targets.push({ kind: 'file', given, absolute });
      else problems.push(`not a file or folder: ${given}`);
    } catch (error) {
      problems.push(isNotFound(error) ? `no such file or directory: ${given}` : `cannot read ${given}: ${describeFsError(error)}`);
    }
  }
  if (problems.length > 0) throw new InputError(problems.join('\nkeyless: '));
  return targets;
}

export interface LoadedSettings {
  config: KeylessConfig;
  /** How messages name the settings file. */
  configFile: string;
  messages: ConfigMessage[];
}

/** `--config FILE`, else `./.keyless.yaml` (absent: defaults). A problem in it is a message, not a failure. */
export async function readConfig(file: string | undefined, cwd: string): Promise<LoadedSettings> {
  if (file === undefined) {
    const loaded = await loadConfig(cwd);
    return { config: loaded.config, configFile: CONFIG_FILE_NAME, messages: loaded.problems.map((p) => ({ file: CONFIG_FILE_NAME, ...p })) };
  }
  let text: string;
  try {
    text = await fs.readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new InputError(isNotFound(error) ? `no such file or directory: ${file}` : `cannot read ${file}: ${describeFsError(error)}`);
  }
  const { config, problems } = parseConfig(text);
  return { config, configFile: toPosix(file), messages: problems.map((p) => ({ file: toPosix(file), ...p })) };
}

export interface Selection {
  /** Named files that are not read, each with the note saying why. */
  skipped: ScannedFile[];
  /** The files to read, named ones first, then the folders' walked lazily. */
  candidates: AsyncGenerator<Candidate>;
}

/**
 * The files to read: named files first (each once, unless the config ignores it or Keyless does
 * not read its kind, which gets a note instead), then the folders' files, walked lazily so that a
 * large tree is never listed in memory. A folder below the repository root also honours the
 * .gitignore files above it, so `keyless scan infra` skips what `keyless scan .` skips there.
 * `verb` says in a note what did not happen to a skipped file ("scanned", "fixed").
 */
export function selectFiles(targets: readonly PathTarget[], cwd: string, settings: Pick<LoadedSettings, 'config' | 'configFile'>, verb: string): Selection {
  const isIgnored = ignoreGlobsMatcher(settings.config);
  const seen = new Set<string>();
  const skipped: ScannedFile[] = [];
  const named: Candidate[] = [];
  for (const target of targets) {
    if (target.kind !== 'file' || seen.has(target.absolute)) continue;
    seen.add(target.absolute);
    const file = path.posix.normalize(toPosix(target.given));
    if (isIgnored(toPosix(path.relative(cwd, target.absolute)))) skipped.push(unanalyzedFile(file, undefined, [`not ${verb}: matches an "ignore" glob in ${settings.configFile}`]));
    else if (!readsFile(target.absolute)) skipped.push(unanalyzedFile(file, undefined, [`not ${verb}: ${READS}`]));
    else named.push({ absolute: target.absolute, file, enginePath: enginePathOf(cwd, target.absolute, file) });
  }
  async function* candidates(): AsyncGenerator<Candidate> {
    yield* named;
    const top = (await gitRootOf(cwd)) ?? cwd;
    for (const target of targets) {
      if (target.kind !== 'folder') continue;
      const given = toPosix(target.given);
      // The .gitignore files above the folder apply as git applies them (`gitTop`), under the walk's own.
      for await (const absolute of walkFiles(target.absolute, { relativeTo: cwd, isIgnored, gitTop: top })) {
        if (seen.has(absolute)) continue;
        seen.add(absolute);
        const file = path.posix.join(given, toPosix(path.relative(target.absolute, absolute)));
        yield { absolute, file, enginePath: enginePathOf(cwd, absolute, file) };
      }
    }
  }
  return { skipped, candidates: candidates() };
}

/** What a note says of a named file Keyless does not read. */
const READS = 'Keyless reads .tf, .tfvars, .hcl, .json, .yml, .yaml, .env and CloudFormation .template files';

/** The config's ignore globs, relative to the workspace root: a path outside it cannot match them. */
export function ignoreGlobsMatcher(config: KeylessConfig): (relative: string) => boolean {
  const matchesIgnore = pathMatcher(config.ignore);
  return (relative) => !isOutside(relative) && matchesIgnore(relative);
}

/**
 * What a walk of `folder` skips: the ignore globs, and the .gitignore files above it up to the
 * repository's `top` — unless git ignores the folder itself: a folder named on the command line is
 * read even when git ignores it, as a named file is. One predicate, for walks that take only that
 * (`WorkspaceIndex.build` without `gitTop`): a `!` below `folder` cannot re-include what a
 * .gitignore above it excludes. `walkFiles`'s `gitTop` is exact.
 */
export async function folderIgnores(top: string, folder: string, cwd: string, isIgnored: (relative: string) => boolean): Promise<(relative: string) => boolean> {
  const ignoredAbove = await gitIgnoredAbove(top, folder);
  const honourAbove = !ignoredAbove(`${toPosix(path.relative(top, folder))}/`);
  return (relative) => isIgnored(relative) || (honourAbove && ignoredAbove(toPosix(path.relative(top, path.resolve(cwd, relative)))));
}

/** What the engine calls a file: relative to the current folder when inside it, else as the user reads it. */
export function enginePathOf(cwd: string, absolute: string, file: string): string {
  const relative = toPosix(path.relative(cwd, absolute));
  return isOutside(relative) ? file : relative;
}

export function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith('../') || path.isAbsolute(relative);
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
