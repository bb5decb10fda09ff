import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Golden files of the fix tests. `KEYLESS_UPDATE_GOLDEN=1` writes them from what the fixes
 * produce instead of comparing (review the diff before committing it).
 */
export const UPDATE_GOLDEN = process.env.KEYLESS_UPDATE_GOLDEN === '1';

/** The golden text of `file` under `dir`, written first from `actual` when updating. */
export function readOrWriteGolden(dir: string, file: string, actual: string): string {
  const full = path.join(dir, file);
  if (UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, actual);
  }
  return fs.readFileSync(full, 'utf8');
}
