import { kubernetesObjects } from '../dialects/detect';
import { cloudFormationFacts } from '../dialects/cloudformation/facts';
import { policyFileFacts } from '../dialects/iam-policy/facts';
import { readTemplate } from '../dialects/cloudformation/model';
import { githubActionsAuthentications, githubJobs } from '../dialects/github-actions/facts';
import { readWorkflow } from '../dialects/github-actions/model';
import { workflowTokenPermissions } from '../dialects/github-actions/permissions';
import { gitlabAuthentications, gitlabJobs } from '../dialects/gitlab-ci/facts';
import { readPipeline } from '../dialects/gitlab-ci/model';
import { kubernetesFacts, secretUses } from '../dialects/kubernetes/facts';
import { readObject, type KubeObject } from '../dialects/kubernetes/model';
import { terraformFacts } from '../dialects/terraform/facts';
import { terraformFromHcl } from '../dialects/terraform/hcl-reader';
import { terraformFromJson } from '../dialects/terraform/model';
import type { ParsedFile } from './parse';
import { scanText } from '../secrets/scan';
import { textLocator } from '../secrets/locators';
import { DIALECT_NAMES } from '../dialects/detect';
import { AliasBudgetExceeded } from '../syntax/tree';
import { emptyFacts, mergeFacts, type Facts } from '../facts/model';

/**
 * The facts of one parsed file: its dialect's reader, then the secret scan every dialect gets.
 * What only the workspace graph reads of other files — IaC `declarations`, CI jobs, the Secrets
 * manifests use — is read only when asked for (`forGraph`): a workspace index wants it, an
 * analysis does not (its fixers read their own file live).
 *
 * A reader that fails (it throws, or follows aliases past the file's budget) stops there: the facts
 * it had merged stay, `onFailure` hears why in words that never quote the file, and the secret scan
 * still runs. A scan whose tree lookups fail runs again over the text alone, every candidate
 * counting: a file that defeats the tree must not hide the credential in it.
 */
export function extractFacts(parsed: ParsedFile, text: string, options: { forGraph?: boolean; onFailure?: (message: string) => void } = {}): Facts {
  const facts = emptyFacts();
  try {
    readDialect(parsed, text, facts, options.forGraph === true);
  } catch (error) {
    const reader = parsed.dialect === null ? 'the reader' : `the ${DIALECT_NAMES[parsed.dialect]} reader`;
    options.onFailure?.(
      error instanceof AliasBudgetExceeded
        ? `${error.message}; the secret scan still ran`
        : `${reader} failed (${error instanceof Error ? error.name : typeof error}): only part of the file was analyzed; the secret scan still ran`,
    );
  }
  try {
    facts.credentials.push(...scanText(text, parsed.locator));
  } catch (error) {
    options.onFailure?.(`the syntax tree could not place credential candidates (${error instanceof Error ? error.name : typeof error}): every candidate in the text is reported`);
    facts.credentials.push(...scanText(text, textLocator(text)));
  }
  return facts;
}

function readDialect(parsed: ParsedFile, text: string, facts: Facts, forGraph: boolean): void {
  const merge = (more: Partial<Facts>): void => mergeFacts(facts, more);
  switch (parsed.dialect) {
    case 'github-actions':
      for (const doc of parsed.documents) {
        const workflow = readWorkflow(doc.root);
        if (!workflow) continue;
        facts.authentications.push(...githubActionsAuthentications(workflow, text));
        const permissions = workflowTokenPermissions(workflow);
        if (permissions) facts.githubTokenPermissions.push(permissions);
        if (forGraph) facts.ciJobs.push(...githubJobs(workflow, text));
      }
      break;
    case 'gitlab-ci':
      for (const doc of parsed.documents) {
        const pipeline = readPipeline(doc.root);
        if (!pipeline) continue;
        facts.authentications.push(...gitlabAuthentications(pipeline, text));
        if (forGraph) facts.ciJobs.push(...gitlabJobs(pipeline, text));
      }
      break;
    case 'kubernetes': {
      const objects = parsed.documents
        .flatMap((doc) => kubernetesObjects(doc.root))
        .map((node) => readObject(node, text))
        .filter((o): o is KubeObject => o !== null);
      merge(kubernetesFacts(objects, text));
      if (forGraph) facts.secretUses.push(...secretUses(parsed.documents.map((doc) => doc.root)));
      break;
    }
    case 'cloudformation':
      for (const doc of parsed.documents) {
        const template = readTemplate(doc.root, text);
        if (template) merge(cloudFormationFacts(template, text));
      }
      break;
    case 'terraform': {
      const file = parsed.hcl ? terraformFromHcl(parsed.hcl.rootNode, text, { treeOfText: !parsed.hclOpaque }) : terraformFromJson(parsed.documents[0]?.root ?? null, text);
      merge(terraformFacts(file, text, forGraph));
      break;
    }
    case 'iam-policy':
      merge(policyFileFacts(parsed.documents[0]?.root ?? null, text));
      break;
    case null:
      break;
  }
}
