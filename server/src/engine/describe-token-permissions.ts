import { spanCovers, type Span } from '../core/text';
import { code } from '../rules/wording';
import type { Facts, TokenPermissionsBlock } from '../facts/model';
import { scopeLevels, TOKEN_SCOPES, TOKEN_SHORTHANDS } from '../iam/github-token';

/**
 * What a workflow's `permissions:` give its GITHUB_TOKEN, for hovers: on a block, whose token it
 * is and what it gets; on a scope, what that level lets the token do (from `iam/github-token.ts`).
 */
export function describeTokenPermissionsAt(facts: Facts, offset: number): { span: Span; line: string }[] {
  const hits: { span: Span; line: string }[] = [];
  for (const workflow of facts.githubTokenPermissions) {
    const blocks: [TokenPermissionsBlock | undefined, string][] = [
      [workflow.workflow, 'every job without its own `permissions:`'],
      ...workflow.jobs.map((job): [TokenPermissionsBlock | undefined, string] => [job.permissions, `job ${code(job.job)}`]),
    ];
    for (const [block, whose] of blocks) {
      if (!block || !spanCovers(block.span, offset)) continue;
      const scope = block.scopes.find((s) => spanCovers(s.span, offset));
      if (scope) hits.push({ span: scope.span, line: describeScope(scope.scope, scope.level) });
      else if (spanCovers(block.keySpan, offset) || block.kind !== 'scopes') hits.push({ span: block.kind === 'scopes' ? block.keySpan : block.span, line: describePermissions(block, whose) });
    }
  }
  return hits;
}

/** What a `permissions:` entry gives the GITHUB_TOKEN, and whose token it is. */
function describePermissions(block: TokenPermissionsBlock, whose: string): string {
  switch (block.kind) {
    case 'write-all':
    case 'read-all':
      return `The GITHUB_TOKEN of ${whose} gets ${TOKEN_SHORTHANDS[block.kind]}.`;
    case 'none':
      return `The GITHUB_TOKEN of ${whose} gets ${TOKEN_SHORTHANDS['{}']}.`;
    case 'scopes': {
      const granted = block.scopes.filter((s) => TOKEN_SCOPES[s.scope] && (scopeLevels(TOKEN_SCOPES[s.scope]!) as string[]).includes(s.level)).map((s) => `${s.scope}: ${s.level}`);
      return `The GITHUB_TOKEN of ${whose} gets ${granted.length > 0 ? code(granted.join(', ')) : 'no scope'}; every scope not named is none.`;
    }
    case 'other':
      return `GitHub reads this \`permissions:\` when the run starts: it is not a scope map, \`read-all\`, \`write-all\` or \`{}\`.`;
  }
}

/** What one scope at one level lets the token do. */
function describeScope(scope: string, level: string): string {
  const known = TOKEN_SCOPES[scope];
  if (!known) return `${code(scope)} is not a scope of the GITHUB_TOKEN.`;
  if (level === 'none') return `${code(`${scope}: none`)}: no access to ${known.subject}.`;
  const levels: string[] = scopeLevels(known);
  if (!levels.includes(level)) return `${code(scope)} takes ${[...levels, 'none'].join(' or ')}, not ${code(level)}.`;
  return `${code(`${scope}: ${level}`)}: ${level === 'write' ? `${known.write}${known.read ? ' (write includes read)' : ''}` : known.read}.`;
}

