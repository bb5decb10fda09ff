import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { HoverInfo } from '../engine/analyze';
import { ruleDocsUrl } from '../rules/docs';

/**
 * The engine's account of a place, as Markdown: what authenticates there and how, then the rules
 * that report it, each linked to its page. The findings' messages are left to the editor's own
 * diagnostic hover, which shows them next to this one.
 */
export function toHover(info: HoverInfo): Hover {
  const parts = ['**Keyless**', ...info.descriptions];
  const rules = [...new Map(info.findings.map((f) => [f.rule, f])).values()];
  if (rules.length > 0) {
    parts.push(rules.map((f) => `${f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Info'}: [\`${f.rule}\`](${ruleDocsUrl(f.rule)})`).join(' · '));
  }
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: info.range };
}
