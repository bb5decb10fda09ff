import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readsFile, type Syntax } from '../dialects/detect';
import { CONFIG_FILE_NAME } from '../engine/config';
import { toPosix } from '../workspace/files';

/**
 * Between the editor's world (URIs, language ids, workspace folders) and the engine's (paths and
 * syntaxes). No LSP connection here: the server hands these functions what the client sent.
 */

/** Language ids an editor gives documents Keyless reads, for documents without a telling name. */
const LANGUAGE_SYNTAX: ReadonlyMap<string, Syntax> = new Map([
  ['yaml', 'yaml'],
  // The GitHub Actions extension gives workflow files their own language id.
  ['github-actions-workflow', 'yaml'],
  ['json', 'json'],
  ['jsonc', 'json'],
  ['terraform', 'hcl'],
  ['terraform-vars', 'hcl'],
]);

/** The file-system path of a `file:` URI; undefined for other schemes (untitled, git, …). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

/** The path part of any URI, for naming documents that have no file behind them. */
function uriPathName(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

export interface WorkspaceFolder {
  uri: string;
  /** File-system path, without a trailing separator. */
  path: string;
}

export function toWorkspaceFolder(uri: string): WorkspaceFolder | undefined {
  const folderPath = uriToPath(uri);
  return folderPath === undefined ? undefined : { uri, path: path.resolve(folderPath) };
}

/** The innermost folder holding `file`, when folders nest (multi-root workspaces allow it). */
export function folderOf(file: string, folders: readonly WorkspaceFolder[]): WorkspaceFolder | undefined {
  let best: WorkspaceFolder | undefined;
  for (const folder of folders) {
    const relative = path.relative(folder.path, file);
    const inside = relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
    if (inside && (best === undefined || folder.path.length > best.path.length)) best = folder;
  }
  return best;
}

/** The workspace config file of a folder. */
export function configFileOf(folder: WorkspaceFolder): string {
  return path.join(folder.path, CONFIG_FILE_NAME);
}

/**
 * How a document is handed to the engine: its path (workspace-relative inside a folder, as the CLI
 * names files, so path-based detection sees `.github/workflows/…` and not the user's home folder),
 * the syntax to parse it with, and the folder whose config applies. Undefined: not a file Keyless
 * reads.
 */
export interface DocumentTarget {
  uri: string;
  enginePath: string;
  /** Set only when the name alone does not tell the syntax (untitled documents, odd extensions). */
  syntaxOverride: Syntax | undefined;
  folder: WorkspaceFolder | undefined;
  /** Relative to the folder with `/` separators, for `ignore` globs; undefined outside folders. */
  relativePath: string | undefined;
}

export function documentTarget(uri: string, languageId: string, folders: readonly WorkspaceFolder[]): DocumentTarget | undefined {
  const file = uriToPath(uri);
  const name = file ?? uriPathName(uri);
  // By name first: a `.env` is `dotenv`, `properties` or `plaintext` to editors, and a `*.template`
  // is whatever an extension calls it; the engine takes the syntax from the name (and a template's text).
  const byName = readsFile(name);
  const byLanguage = LANGUAGE_SYNTAX.get(languageId);
  if (!byName && byLanguage === undefined) return undefined;
  const folder = file === undefined ? undefined : folderOf(file, folders);
  const relativePath = file !== undefined && folder !== undefined ? toPosix(path.relative(folder.path, file)) : undefined;
  return { uri, enginePath: relativePath ?? name, syntaxOverride: byName ? undefined : byLanguage, folder, relativePath };
}

/** Where an edit of a fix lands: the analyzed document itself, or another file of its folder. */
export function editTargetUri(editPath: string, target: DocumentTarget): string {
  return otherFileUri(editPath, target) ?? target.uri;
}

/**
 * The URI of a path a fix names, undefined when it cannot be placed: a relative path other than
 * the document's own, for a document outside every folder (a fix must never land on the wrong file).
 */
export function otherFileUri(editPath: string, target: DocumentTarget): string | undefined {
  if (editPath === target.enginePath) return target.uri;
  if (target.folder !== undefined && !path.isAbsolute(editPath)) return pathToUri(path.join(target.folder.path, ...editPath.split('/')));
  return path.isAbsolute(editPath) ? pathToUri(editPath) : undefined;
}

/** Whether two file paths name the same file, the way the platform compares them. */
export function samePath(a: string, b: string): boolean {
  const left = path.resolve(a);
  const right = path.resolve(b);
  return process.platform === 'win32' || process.platform === 'darwin' ? left.toLowerCase() === right.toLowerCase() : left === right;
}
