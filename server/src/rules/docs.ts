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

/** The shipped page: next to dist/ when bundled, at the repository root when sources run. */
function bundledPage(ruleId: string): string | undefined {
  for (const docs of [path.join(__dirname, '..', 'docs', 'rules'), path.join(__dirname, '..', '..', '..', 'docs', 'rules')]) {
    const file = path.join(docs, `${ruleId}.md`);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/** The bundled page as a file URI, else the web page. */
export function ruleDocsUrl(ruleId: string): string {
  const page = bundledPage(ruleId);
  return page ? pathToFileURL(page).href : ruleDocsWebUrl(ruleId);
}

/** The page's Markdown, for SARIF `help.markdown` and hovers; undefined when the docs are not shipped. */
export function ruleDocsMarkdown(ruleId: string): string | undefined {
  const page = bundledPage(ruleId);
  return page ? fs.readFileSync(page, 'utf8') : undefined;
}
