import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readsFile } from '../dialects/detect';
import { CONFIG_FILE_NAME, parseConfig, pathMatcher, type KeylessConfig } from '../engine/config';
import { unanalyzedFile, type ConfigMessage, type ScannedFile } from '../output/report';
import { gitIgnoredAbove, isOutside, loadConfig, toPosix, walkFileEntries, workspaceRootOf } from '../workspace/files';
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

/**
 * The repository (or folder) a run works in for some of its PATHs: see `workspaceRootOf`. Each
 * PATH belongs to exactly one; PATHs in different repositories make several, each with its own
 * settings, git remote and files.
 */
export interface Workspace {
  /** Absolute. */
  root: string;
  /** The PATHs inside it, in command-line order. */
  targets: PathTarget[];
  settings: LoadedSettings;
}

/**
 * The workspaces of the PATHs, in the order they are first named. Settings come from `--config
 * FILE` when given (the same for every workspace), else from each root's `.keyless.yaml`.
 */
export async function workspacesOf(targets: readonly PathTarget[], cwd: string, configOption: string | undefined): Promise<Workspace[]> {
  const explicit = configOption === undefined ? undefined : await readConfigFile(configOption, cwd);
  const found = await Promise.all(targets.map((target) => workspaceRootOf(target.kind === 'folder' ? target.absolute : path.dirname(target.absolute))));
  // Outside any repository and config, a PATH is its own root, unless another PATH's root holds
  // it (`keyless scan infra .`): then they are one workspace, walked once.
  const roots = found.map(({ root, by }) => {
    if (by !== 'path') return root;
    const holders = found.map((f) => f.root).filter((other) => !isOutside(toPosix(path.relative(other, root))));
    return holders.reduce((outer, other) => (other.length < outer.length ? other : outer), root);
  });
  const byRoot = new Map<string, Workspace>();
  for (const [i, target] of targets.entries()) {
    const root = roots[i]!;
    let workspace = byRoot.get(root);
    if (workspace === undefined) {
      workspace = { root, targets: [], settings: explicit ?? (await rootConfig(root, cwd)) };
      byRoot.set(root, workspace);
    }
    workspace.targets.push(target);
  }
  return [...byRoot.values()];
}

/** The config messages of a run, each settings file's once (`--config` is shared by every workspace). */
export function configMessagesOf(workspaces: readonly Workspace[]): ConfigMessage[] {
  const seen = new Set<LoadedSettings>();
  const messages: ConfigMessage[] = [];
  for (const { settings } of workspaces) {
    if (seen.has(settings)) continue;
    seen.add(settings);
    messages.push(...settings.messages);
  }
  return messages;
}

/** `.keyless.yaml` of a workspace root (absent: defaults), named as the user reads paths: from the current folder. */
async function rootConfig(root: string, cwd: string): Promise<LoadedSettings> {
  const loaded = await loadConfig(root);
  const configFile = displayPath(cwd, path.join(root, CONFIG_FILE_NAME));
  return { config: loaded.config, configFile, messages: loaded.problems.map((p) => ({ file: configFile, ...p })) };
}

/** `--config FILE`: read relative to the current folder. A problem in it is a message, not a failure. */
async function readConfigFile(file: string, cwd: string): Promise<LoadedSettings> {
  let text: string;
  try {
    text = await fs.readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new InputError(isNotFound(error) ? `no such file or directory: ${file}` : `cannot read ${file}: ${describeFsError(error)}`);
  }
  const { config, problems } = parseConfig(text);
  return { config, configFile: toPosix(file), messages: problems.map((p) => ({ file: toPosix(file), ...p })) };
}

/**
 * A path as reports print it when no PATH as typed names it (a file a fix edits or creates, a
 * settings file): relative to the current folder when inside it, else absolute; with `/`.
 */
export function displayPath(cwd: string, absolute: string): string {
  const relative = toPosix(path.relative(cwd, absolute));
  return isOutside(relative) ? toPosix(absolute) : relative || '.';
}

export interface Selection {
  /** Named files that are not read, each with the note saying why. */
  skipped: ScannedFile[];
  /** The files to read, named ones first, then the folders' walked lazily. */
  candidates: AsyncGenerator<Candidate>;
}

/**
 * The files of one workspace to read: named files first (each once, unless the config ignores it
 * or Keyless does not read its kind, which gets a note instead), then the folders' files, walked
 * lazily so that a large tree is never listed in memory. A folder below the workspace root also
 * honours the .gitignore files above it, so `keyless scan infra` skips what `keyless scan .` skips
 * there. Ignore globs and the engine's paths are relative to the root; `file` is as the user named
 * it. `verb` says in a note what did not happen to a skipped file ("scanned", "fixed"). `seen` (the
 * absolute paths already selected) is shared by a run's workspaces, so that a file of a nested
 * repository named through both is read once.
 */
export function selectFiles(workspace: Workspace, verb: string, seen: Set<string> = new Set()): Selection {
  const { root, targets, settings } = workspace;
  const isIgnored = ignoreGlobsMatcher(settings.config);
  const skipped: ScannedFile[] = [];
  const named: Candidate[] = [];
  for (const target of targets) {
    if (target.kind !== 'file' || seen.has(target.absolute)) continue;
    seen.add(target.absolute);
    const file = path.posix.normalize(toPosix(target.given));
    const enginePath = toPosix(path.relative(root, target.absolute));
    if (isIgnored(enginePath)) skipped.push(unanalyzedFile(file, undefined, [`not ${verb}: matches an "ignore" glob in ${settings.configFile}`]));
    else if (!readsFile(target.absolute)) skipped.push(unanalyzedFile(file, undefined, [`not ${verb}: ${READS}`]));
    else named.push({ absolute: target.absolute, file, enginePath });
  }
  async function* candidates(): AsyncGenerator<Candidate> {
    yield* named;
    for (const target of targets) {
      if (target.kind !== 'folder') continue;
      const given = toPosix(target.given);
      // The .gitignore files between the root and the folder apply as git applies them (`gitTop`):
      // a deeper one's `!` re-includes what they exclude.
      // Where the folder lies below the root: the engine's paths extend it (`path.relative` per
      // file only for a folder outside the root, which a workspace never has).
      const folderFromRoot = toPosix(path.relative(root, target.absolute));
      const enginePrefix = isOutside(folderFromRoot) ? undefined : folderFromRoot === '' ? '' : `${folderFromRoot}/`;
      for await (const { absolute, fromRoot } of walkFileEntries(target.absolute, { relativeTo: root, isIgnored, gitTop: root })) {
        if (seen.has(absolute)) continue;
        seen.add(absolute);
        const file = given === '.' ? fromRoot : path.posix.join(given, fromRoot);
        yield { absolute, file, enginePath: enginePrefix === undefined ? toPosix(path.relative(root, absolute)) : enginePrefix + fromRoot };
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
 * workspace `root` — unless git ignores the folder itself: a folder named on the command line is
 * read even when git ignores it, as a named file is. Paths are relative to `root`. One predicate,
 * for walks that take only that: a `!` below `folder` cannot re-include what a .gitignore above it
 * excludes (`walkFiles`'s `gitTop` is exact; with `folder` = `root` the two agree).
 */
export async function folderIgnores(root: string, folder: string, isIgnored: (relative: string) => boolean): Promise<(relative: string) => boolean> {
  const ignoredAbove = await gitIgnoredAbove(root, folder);
  const honourAbove = !ignoredAbove(`${toPosix(path.relative(root, folder))}/`);
  return (relative) => isIgnored(relative) || (honourAbove && ignoredAbove(relative));
}

export { isOutside };

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
