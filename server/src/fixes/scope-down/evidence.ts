import type { Dialect } from '../../core/dialect';
import { readTemplate } from '../../dialects/cloudformation/model';
import type { PolicyDocument } from '../../facts/model';
import type { WorkspaceContext } from '../../facts/workspace';
import { folderOf } from '../../graph/paths';
import { actionPattern } from '../../iam/catalog';
import { CLOUDFORMATION_RESOURCE_ARNS, TERRAFORM_RESOURCE_ARNS } from '../../iam/resource-arns';
import { parseJson } from '../../syntax/json';
import { parseYaml } from '../../syntax/yaml';
import type { ListItem } from './statement-lists';

/**
 * What the workspace shows a statement's resources can be: the resources its Terraform module or
 * CloudFormation template defines for the statement's services, and the literal ARNs of those
 * services its other statements name. Evidence only: a scope-down built on it is still proven
 * narrower before it is offered.
 */

/** A resource the file (or its Terraform module) defines, and the `Resource` entries that name it and what lies under it. */
export interface DefinedResource {
  service: string;
  /** `aws_s3_bucket.logs`, or the logical id `Logs`. */
  name: string;
  plural: string;
  items: ListItem[];
}

export function definedResources(path: string, text: string, dialect: Dialect, workspace: WorkspaceContext): DefinedResource[] {
  if (dialect === 'terraform') return terraformResources(path, workspace);
  if (dialect === 'cloudformation') return cloudFormationResources(text);
  return [];
}


/** The resources of the module (the `.tf` files of the folder): a policy in `iam.tf` names the bucket of `s3.tf`. */
function terraformResources(path: string, workspace: WorkspaceContext): DefinedResource[] {
  const folder = folderOf(path);
  const found: DefinedResource[] = [];
  const seen = new Set<string>();
  for (const [filePath, file] of workspace.files) {
    if (file.dialect !== 'terraform' || folderOf(filePath) !== folder) continue;
    for (const declaration of file.facts.declarations) {
      const arns = declaration.block === 'resource' ? TERRAFORM_RESOURCE_ARNS[declaration.type] : undefined;
      const name = `${declaration.type}.${declaration.name}`;
      if (!arns || seen.has(name) || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(declaration.name)) continue;
      seen.add(name);
      found.push({ service: arns.service, name, plural: arns.plural, items: arns.suffixes.map((suffix) => ({ kind: 'terraform', expression: `${name}.arn`, suffix })) });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

function cloudFormationResources(text: string): DefinedResource[] {
  const json = text.trimStart().startsWith('{');
  const root = json ? parseJson(text).root : parseYaml(text).documents[0]?.root ?? null;
  const template = readTemplate(root, text);
  if (!template) return [];
  const found: DefinedResource[] = [];
  for (const resource of template.resources) {
    const arns = CLOUDFORMATION_RESOURCE_ARNS[resource.type];
    if (!arns || !/^[A-Za-z0-9]+$/.test(resource.logicalId)) continue;
    found.push({ service: arns.service, name: resource.logicalId, plural: arns.plural, items: arns.suffixes.map((suffix) => ({ kind: 'cloudformation', logicalId: resource.logicalId, arn: arns.arn, suffix })) });
  }
  return found;
}

/**
 * The literal ARNs of `services` that the file's other statements grant on, each once: what the
 * file already names (`arn:aws:s3:::artifacts/*` in a neighbour statement). Patterns with policy
 * variables or `*` in the service or account are left out: they name no one resource.
 */
export function namedArns(policies: readonly PolicyDocument[], services: ReadonlySet<string>, except: object): string[] {
  const found = new Set<string>();
  for (const document of policies) {
    for (const statement of document.statements) {
      if (statement === except || statement.effect !== 'Allow') continue;
      for (const resource of statement.resources) {
        const value = resource.value.trim();
        if ((resource as { computed?: boolean }).computed || /[$&]\{/.test(value)) continue;
        const parts = value.split(':');
        if (parts.length < 6 || parts[0] !== 'arn' || !services.has(parts[2]!) || /[*?]/.test(parts.slice(1, 5).join(':'))) continue;
        found.add(value);
      }
    }
  }
  return [...found].sort();
}

/** The service prefixes of a statement's actions, when every one names its service literally. */
export function servicesOf(actions: readonly string[]): Set<string> | undefined {
  const services = new Set<string>();
  for (const action of actions) {
    const pattern = actionPattern(action);
    if (pattern.malformed || /[*?]/.test(pattern.service)) return undefined;
    services.add(pattern.service);
  }
  return services;
}
