import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, isKeylessDiagnosticData, type DiagnosticFix, type DiagnosticFixEdit } from './diagnostics';

/** Applies every safe fix of a document: for `editor.codeActionsOnSave` and "Fix all". */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.keyless`;

export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND];

/** Whether the client asked for a kind (`only` lists prefixes: `source` asks for `source.fixAll.keyless`). */
export function wantsKind(only: readonly string[] | undefined, kind: string): boolean {
  return only === undefined || only.some((prefix) => kind === prefix || kind.startsWith(`${prefix}.`));
}

export interface EditOptions {
  /** Whether the client takes `documentChanges` (versioned edits) rather than `changes`. */
  documentChanges: boolean;
  /** The version of each open document the edits were computed against; null when unknown. */
  versionOf: (uri: string) => number | null;
}

/** Edits grouped by document, in the form the client understands. */
export function toWorkspaceEdit(edits: readonly DiagnosticFixEdit[], options: EditOptions): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  for (const edit of edits) {
    const list = byUri.get(edit.uri) ?? [];
    list.push({ range: edit.range, newText: edit.newText });
    byUri.set(edit.uri, list);
  }
  if (options.documentChanges) {
    // The version makes the client refuse the edit if the document moved on since the analysis.
    return { documentChanges: [...byUri].map(([uri, textEdits]) => ({ textDocument: { uri, version: options.versionOf(uri) }, edits: textEdits })) };
  }
  return { changes: Object.fromEntries(byUri) };
}

/**
 * The quick fixes of the Keyless diagnostics in a code action request, from the fixes that ride on
 * each diagnostic. The first safe fix of a diagnostic is the preferred one (what "auto fix" applies).
 */
export function quickFixes(documentUri: string, diagnostics: readonly Diagnostic[], options: Pick<EditOptions, 'documentChanges'>): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || !isKeylessDiagnosticData(diagnostic.data)) continue;
    const { version, fixes } = diagnostic.data;
    const versionOf = (uri: string): number | null => (uri === documentUri ? version : null);
    const preferred = fixes.findIndex((fix) => fix.safe);
    fixes.forEach((fix, index) => {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: toWorkspaceEdit(fix.edits, { documentChanges: options.documentChanges, versionOf }),
      };
      if (index === preferred) action.isPreferred = true;
      actions.push(action);
    });
  }
  return actions;
}

function comparePositions(a: Range['start'], b: Range['start']): number {
  return a.line - b.line || a.character - b.character;
}

/** Whether two edits touch the same text; insertions at the boundary of a replacement do not. */
function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

/**
 * The edits of every safe fix that can be applied together. A fix is all or nothing: one whose edits
 * collide with an earlier fix's is left for the next round (the diagnostics after the edit show it
 * again), since edits that overlap cannot be applied in one WorkspaceEdit.
 */
export function safeFixEdits(fixes: readonly DiagnosticFix[]): DiagnosticFixEdit[] {
  const accepted: DiagnosticFixEdit[] = [];
  for (const fix of fixes) {
    if (!fix.safe || fix.edits.length === 0) continue;
    const collides = fix.edits.some((edit) => accepted.some((other) => other.uri === edit.uri && overlaps(other.range, edit.range)));
    if (!collides) accepted.push(...fix.edits);
  }
  return accepted;
}
