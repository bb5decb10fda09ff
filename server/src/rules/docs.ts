import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where a rule's page lives. The extension ships `docs/rules/` next to `dist/`, so the editor links
 * to the page of the installed version, offline; SARIF, read on a CI server, links to the web.
 */
export const RULE_DOCS_WEB_BASE = 'https://github.com/keyless-dev/keyless/blob/main/docs/rules/';

export function ruleDocsWebUrl(ruleId: string): string {
  return `${RULE_DOCS_WEB_BASE}${ruleId}.md`;
}

/** The bundled page as a file URI (bundles run from dist/, sources from server/src/rules/), else the web page. */
export function ruleDocsUrl(ruleId: string): string {
  for (const candidate of [path.join(__dirname, '..', 'docs', 'rules'), path.join(__dirname, '..', '..', '..', 'docs', 'rules')]) {
    const file = path.join(candidate, `${ruleId}.md`);
    if (fs.existsSync(file)) return pathToFileURL(file).href;
  }
  return ruleDocsWebUrl(ruleId);
}

/** The page's Markdown, for SARIF `help.markdown` and hovers; undefined when the docs are not shipped. */
export function ruleDocsMarkdown(ruleId: string): string | undefined {
  for (const candidate of [path.join(__dirname, '..', 'docs', 'rules'), path.join(__dirname, '..', '..', '..', 'docs', 'rules')]) {
    const file = path.join(candidate, `${ruleId}.md`);
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  }
  return undefined;
}
