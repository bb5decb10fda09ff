import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocsWebUrl } from '../rules/docs';

/**
 * A rule's shipped page. The extension ships `docs/rules/` next to `dist/`, so the editor links to
 * the page of the installed version, offline; without it, the web page (`rules/docs.ts`).
 */

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

/** The page's Markdown, for SARIF `help.markdown`; undefined when the docs are not shipped. */
export function ruleDocsMarkdown(ruleId: string): string | undefined {
  const page = bundledPage(ruleId);
  return page ? fs.readFileSync(page, 'utf8') : undefined;
}
