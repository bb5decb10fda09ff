import type { LineIndex } from '../syntax/text';
import type { ParsedFile } from './parse';

/**
 * `# keyless-ignore <rule>[, <rule>]: <reason>` (or `// …` in HCL) silences those rules for one
 * finding: written at the end of the finding's line, or alone on the line above it. A finding
 * inside a multi-line string (a `run: |` script, a heredoc) can only be silenced above the
 * statement that holds the string, since a line inside would change the string itself.
 */
export const SUPPRESSION_MARKER = /(#|\/\/)\s*keyless-ignore\s+([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)\s*(?::\s*(.*))?$/;

export function isSuppressed(ruleId: string, offset: number, parsed: ParsedFile, index: LineIndex): boolean {
  const line = index.positionAt(offset).line;
  if (suppressesOn(ruleId, line, false, parsed, index)) return true;
  const statementStart = parsed.statementStartAt(offset);
  const statementLine = statementStart === undefined ? line : index.positionAt(statementStart).line;
  if (statementLine !== line && suppressesOn(ruleId, statementLine, false, parsed, index)) return true;
  return suppressesOn(ruleId, statementLine - 1, true, parsed, index);
}

function suppressesOn(ruleId: string, line: number, commentOnly: boolean, parsed: ParsedFile, index: LineIndex): boolean {
  if (line < 0 || line >= index.lineCount) return false;
  const text = index.lineText(line);
  if (!text.includes('keyless-ignore')) return false;
  const match = SUPPRESSION_MARKER.exec(text);
  if (!match) return false;
  if (commentOnly && text.slice(0, match.index).trim() !== '') return false;
  if (!parsed.isCommentAt(index.lineStart(line) + match.index)) return false;
  return match[2]!.split(',').some((id) => id.trim() === ruleId);
}

/**
 * Where "Suppress <rule> on this line" writes its comment: a new line above the finding (above
 * the statement, inside multi-line strings), indented like the line it annotates.
 */
export function suppressionInsertion(ruleId: string, offset: number, parsed: ParsedFile, index: LineIndex): { offset: number; text: string } | undefined {
  if (parsed.syntax === 'json') return undefined;
  const target = parsed.statementStartAt(offset) ?? offset;
  const line = index.positionAt(target).line;
  const lineStart = index.lineStart(line);
  const indentation = /^[ \t]*/.exec(index.lineText(line))![0];
  const eol = index.text.includes('\r\n') ? '\r\n' : '\n';
  return { offset: lineStart, text: `${indentation}# keyless-ignore ${ruleId}${eol}` };
}
