/**
 * Paths as the workspace names its files (the adapter's names: `/` or `\`): a Terraform module is
 * the `.tf` files of one folder.
 */

/** The folder of a path (`infra/main.tf` → `infra`), `''` at the top. Both separators count. */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut === -1 ? '' : path.slice(0, cut);
}

/** A path in a folder, with the separator the folder uses. */
export function joinPath(folder: string, name: string): string {
  if (folder === '') return name;
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(separator) ? `${folder}${name}` : `${folder}${separator}${name}`;
}
