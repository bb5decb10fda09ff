import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `../shared/` beside the repository: the public corpus, RULES.md and the SARIF schema, present in
 * the workplace and absent from a plain clone. KEYLESS_SHARED_DIR points elsewhere (a test uses it
 * to prove that every check needing this folder reports itself skipped when it is missing).
 */
export const SHARED_DIR = process.env.KEYLESS_SHARED_DIR
  ? path.resolve(process.env.KEYLESS_SHARED_DIR)
  : path.resolve(__dirname, '..', '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}

/**
 * The `skip` option of a test that needs `../shared/<relative>`: undefined when it is there, else
 * the reason the runner prints (and counts under "skipped"), so a test that could not check never
 * passes as if it had.
 */
export function unlessShared(relative: string, what: string): string | undefined {
  const file = sharedPath(relative);
  return fs.existsSync(file) ? undefined : `${file} not found (a clone outside the workplace): ${what} not checked`;
}
