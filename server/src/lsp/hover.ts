import { MarkupKind, type CancellationToken, type Hover, type HoverParams } from 'vscode-languageserver';
import type { HoverInfo } from '../engine/analyze';
import { ruleDocsUrl } from '../workspace/rule-docs';
import type { DocumentAnalyses } from './document-analyses';
import type { OpenDocuments } from './documents';

export interface HoverOptions {
  /** The editor shows the diagnostics under the pointer in the same hover (VS Code does). */
  diagnosticsShown: boolean;
}

/**
 * The engine's account of a place, as Markdown: what authenticates there and how, and the pages
 * of the rules that report it. Where the editor already shows a finding's diagnostic in the hover
 * (its message, its severity and its code linked to the rule page), ours adds only what that box
 * does not say: a sentence that restates a finding under the pointer is left out, and where
 * nothing else is left there is no hover at all (null), never a second, thinner box saying the
 * same thing. Editors that keep diagnostics out of the hover get every sentence, and the
 * findings' severities.
 */
export function toHover(info: HoverInfo, options: HoverOptions): Hover | null {
  const messages = options.diagnosticsShown ? info.findings.map((f) => contentWords(f.message)) : [];
  const facts = info.descriptions.filter((line) => !messages.some((message) => restates(line, message)));
  const rules = [...new Map(info.findings.map((f) => [f.rule, f])).values()];
  if (facts.length === 0 && (options.diagnosticsShown || rules.length === 0)) return null;
  const parts = ['**Keyless**', ...facts];
  if (rules.length > 0) {
    // With the diagnostics beside it, the rule pages are for the sentences shown (the severity is
    // the diagnostic's icon); alone, the hover says how serious each finding is too.
    parts.push(
      options.diagnosticsShown
        ? `Rule${rules.length > 1 ? 's' : ''}: ${rules.map((f) => `[\`${f.rule}\`](${ruleDocsUrl(f.rule)})`).join(' · ')}`
        : rules.map((f) => `${f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Info'}: [\`${f.rule}\`](${ruleDocsUrl(f.rule)})`).join(' · '),
    );
  }
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: info.range };
}

/** Words that carry no fact: their presence in both texts says nothing about a repetition. */
const FILLER = new Set(['a', 'an', 'the', 'is', 'are', 'to', 'with', 'through', 'in', 'of', 'here', 'and', 'or', 'by', 'it', 'its', 'this', 'for', 'on', 'as']);

/** Lower-case words with quotes, backticks and punctuation gone: `deploy`, "deploy" and deploy match. */
function contentWords(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .replace(/[`"'()[\],.:;!?*]/g, ' ')
    .split(/\s+/)
    .filter((word) => word !== '' && !FILLER.has(word));
  return new Set(words);
}

/**
 * Whether a hover sentence says what a finding's message already says: most of its fact-bearing
 * words (who, to what, which credential names) are in the message. The engine words facts and
 * findings separately ("Job `deploy` authenticates to AWS with long-lived credentials" against
 * "Job "deploy" authenticates to AWS with long-lived credentials … assume a role"), so the test is
 * on words, not on the exact text; a sentence about something else under the pointer shares
 * too few of them.
 */
function restates(line: string, message: ReadonlySet<string>): boolean {
  const words = [...contentWords(line)];
  if (words.length === 0) return true;
  const shared = words.filter((word) => message.has(word)).length;
  return shared / words.length >= RESTATEMENT_SHARE;
}

/** The share of a sentence's words found in a message above which it counts as restating it. */
const RESTATEMENT_SHARE = 0.6;

/**
 * `textDocument/hover`, from the version's shared analysis (a disabled or ignored document's says
 * nothing): null where Keyless has nothing to add.
 */
export async function answerHover(documents: OpenDocuments, analyses: DocumentAnalyses, options: HoverOptions, params: HoverParams, token: CancellationToken): Promise<Hover | null> {
  const document = documents.get(params.textDocument.uri);
  if (document === undefined || !documents.isAnalyzable(document)) return null;
  const result = await analyses.resultFor(document, token, 'other');
  const info = result.hoverAt(params.position);
  return info ? toHover(info, options) : null;
}
