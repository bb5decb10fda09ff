import { folderOf, joinPath } from '../../graph/paths';
import type { WorkspaceGraph } from '../../graph/graph';

/** Where a plan writes new IaC: in which dialect, and in which folder. */

export type IacDialect = 'terraform' | 'cloudformation';

/** Terraform when the workspace has any `.tf`; else CloudFormation when it has templates; else Terraform. */
export function iacDialect(graph: WorkspaceGraph): IacDialect {
  let templates = false;
  for (const { path, dialect } of graph.files) {
    if (dialect === 'terraform' && /\.tf$/.test(path)) return 'terraform';
    if (dialect === 'cloudformation') templates = true;
  }
  return templates ? 'cloudformation' : 'terraform';
}

/**
 * The folder with the most files of the dialect (ties: the shallower, then the first by name),
 * else `infra/` at the repository's top, found from the job's file (`<top>/.github/workflows/x.yml`,
 * `<top>/.gitlab-ci.yml`).
 */
export function targetFolder(graph: WorkspaceGraph, dialect: IacDialect, jobFile: string | undefined): string {
  const counts = new Map<string, number>();
  for (const file of graph.files) {
    const matches = dialect === 'terraform' ? file.dialect === 'terraform' && /\.tf$/.test(file.path) : file.dialect === 'cloudformation';
    if (matches) counts.set(folderOf(file.path), (counts.get(folderOf(file.path)) ?? 0) + 1);
  }
  const ranked = [...counts].sort(([a, n], [b, m]) => m - n || depth(a) - depth(b) || a.localeCompare(b));
  if (ranked[0]) return ranked[0][0];
  return joinPath(repositoryTop(jobFile), 'infra');
}

function depth(folder: string): number {
  return folder === '' ? 0 : folder.split(/[\\/]/).length;
}

/** The repository's top folder as seen from a CI file's path; `''` when it cannot be told. */
function repositoryTop(jobFile: string | undefined): string {
  if (!jobFile) return '';
  const github = /^(.*?)[\\/]?\.github[\\/]workflows[\\/][^\\/]+$/.exec(jobFile);
  if (github) return github[1]!;
  if (/(?:^|[\\/])\.gitlab-ci\.ya?ml$/.test(jobFile)) return folderOf(jobFile);
  return '';
}
