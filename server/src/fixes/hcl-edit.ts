import type { TfBlock } from '../dialects/terraform/model';
import type { Span } from '../core/text';
import type { ProposedEdit } from './fixer';
import { eolOf, indentationAt, lineEndAt, lineStartAt, startsLine, wholeLines } from './text';

/**
 * Edits of HCL that keep the rest of the file byte for byte: attributes removed with their lines,
 * lines added inside a block at the indentation its body uses. Undefined where the block is
 * written on one line (`provider "aws" { region = "x" }`), which would need a reformat.
 */

/** Removes an attribute (or nested block) that starts its own line, with its lines. */
export function deleteLines(text: string, span: Span): ProposedEdit | undefined {
  if (!startsLine(text, span.start)) return undefined;
  const rest = text.slice(span.end, lineEndAt(text, span.end)).trim();
  if (rest !== '' && !rest.startsWith('#') && !rest.startsWith('//')) return undefined;
  return { span: wholeLines(text, span), newText: '' };
}

/** The indentation of a block's body: its first attribute's, else the block's own plus two spaces. */
export function bodyIndentation(text: string, block: TfBlock): string {
  const first = block.attributes()[0] ?? block.blocks()[0];
  if (first && startsLine(text, first.span.start)) return indentationAt(text, first.span.start);
  return `${indentationAt(text, block.span.start)}  `;
}

/** Adds lines at the end of a multi-line block's body, before its closing brace. */
export function appendToBlock(text: string, block: TfBlock, lines: readonly string[]): ProposedEdit | undefined {
  const close = block.span.end - 1;
  if (text[close] !== '}' || !startsLine(text, close)) return undefined;
  const indent = bodyIndentation(text, block);
  const eol = eolOf(text);
  const at = lineStartAt(text, close);
  return { span: { start: at, end: at }, newText: lines.map((line) => (line === '' ? eol : `${indent}${line}${eol}`)).join('') };
}
