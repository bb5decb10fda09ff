import { kubernetesObjects } from '../dialects/detect';
import { cloudFormationFacts } from '../dialects/cloudformation/facts';
import { policyFileFacts } from '../dialects/iam-policy/facts';
import { readTemplate } from '../dialects/cloudformation/model';
import { githubActionsAuthentications } from '../dialects/github-actions/facts';
import { readWorkflow } from '../dialects/github-actions/model';
import { gitlabAuthentications } from '../dialects/gitlab-ci/facts';
import { readPipeline } from '../dialects/gitlab-ci/model';
import { kubernetesFacts } from '../dialects/kubernetes/facts';
import { readObject, type KubeObject } from '../dialects/kubernetes/model';
import { terraformFacts } from '../dialects/terraform/facts';
import { terraformFromHcl, terraformFromJson } from '../dialects/terraform/model';
import type { ParsedFile } from './parse';
import { scanText } from '../secrets/scan';
import { textLocator } from '../secrets/locators';
import { DIALECT_NAMES } from '../dialects/detect';
import { AliasBudgetExceeded } from '../syntax/tree';
import { emptyFacts, mergeFacts, type Facts } from '../facts/model';

/**
 * The facts of one parsed file: its dialect's reader, then the secret scan every dialect gets.
 * `declarations` (the IaC blocks fixes look up in other files) are read only when asked for: a
 * workspace index wants them, an analysis does not (its fixers read their own file's live).
 *
 * A reader that fails (it throws, or follows aliases past the file's budget) stops there: the facts
 * it had merged stay, `onFailure` hears why in words that never quote the file, and the secret scan
 * still runs. A scan whose tree lookups fail runs again over the text alone, every candidate
 * counting: a file that defeats the tree must not hide the credential in it.
 */
export function extractFacts(parsed: ParsedFile, text: string, options: { declarations?: boolean; onFailure?: (message: string) => void } = {}): Facts {
  const facts = emptyFacts();
  try {
    readDialect(parsed, text, facts, options.declarations === true);
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

function readDialect(parsed: ParsedFile, text: string, facts: Facts, declarations: boolean): void {
  const merge = (more: Partial<Facts>): void => mergeFacts(facts, more);
  switch (parsed.dialect) {
    case 'github-actions':
      for (const doc of parsed.documents) {
        const workflow = readWorkflow(doc.root);
        if (workflow) facts.authentications.push(...githubActionsAuthentications(workflow, text));
      }
      break;
    case 'gitlab-ci':
      for (const doc of parsed.documents) {
        const pipeline = readPipeline(doc.root);
        if (pipeline) facts.authentications.push(...gitlabAuthentications(pipeline, text));
      }
      break;
    case 'kubernetes': {
      const objects = parsed.documents
        .flatMap((doc) => kubernetesObjects(doc.root))
        .map((node) => readObject(node, text))
        .filter((o): o is KubeObject => o !== null);
      merge(kubernetesFacts(objects, text));
      break;
    }
    case 'cloudformation':
      for (const doc of parsed.documents) {
        const template = readTemplate(doc.root, text);
        if (template) merge(cloudFormationFacts(template, text));
      }
      break;
    case 'terraform': {
      const file = parsed.hcl ? terraformFromHcl(parsed.hcl.rootNode, text) : terraformFromJson(parsed.documents[0]?.root ?? null, text);
      merge(terraformFacts(file, text, declarations));
      break;
    }
    case 'iam-policy':
      merge(policyFileFacts(parsed.documents[0]?.root ?? null, text));
      break;
    case null:
      break;
  }
}
