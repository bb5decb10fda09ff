/**
 * Where a rule's page lives on the web. SARIF, read on a CI server, links there; the editor links
 * to the page shipped with the extension, which the adapters find on disk (`workspace/rule-docs.ts`).
 */
export const RULE_DOCS_WEB_BASE = 'https://github.com/keyless-dev/keyless/blob/main/docs/rules/';

export function ruleDocsWebUrl(ruleId: string): string {
  return `${RULE_DOCS_WEB_BASE}${ruleId}.md`;
}
