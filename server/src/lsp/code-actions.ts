import { CodeActionKind, type CodeAction, type CreateFile, type Diagnostic, type Range, type TextDocumentEdit, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { fixAppliedCommand } from './after-fix';
import type { DiagnosticFix, DiagnosticFixEdit } from './diagnostics';

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

/**
 * Edits grouped by document, in the form the client understands. Files in `creates` come first,
 * each as a CreateFile that fails if the file exists (a fix never overwrites a file) followed by
 * the edit that writes its text; they need `documentChanges`, which the caller has checked.
 */
export function toWorkspaceEdit(edits: readonly DiagnosticFixEdit[], options: EditOptions, creates: readonly string[] = []): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  for (const uri of creates) byUri.set(uri, []);
  for (const edit of edits) {
    const list = byUri.get(edit.uri) ?? [];
    list.push({ range: edit.range, newText: edit.newText });
    byUri.set(edit.uri, list);
  }
  if (options.documentChanges) {
    const created = new Set(creates);
    const changes: (CreateFile | TextDocumentEdit)[] = [];
    for (const [uri, textEdits] of byUri) {
      if (created.has(uri)) {
        changes.push({ kind: 'create', uri, options: { ignoreIfExists: false, overwrite: false } });
        changes.push({ textDocument: { uri, version: null }, edits: textEdits });
      }
    }
    // The version makes the client refuse the edit if the document moved on since the analysis.
    for (const [uri, textEdits] of byUri) if (!created.has(uri)) changes.push({ textDocument: { uri, version: options.versionOf(uri) }, edits: textEdits });
    return { documentChanges: changes };
  }
  return { changes: Object.fromEntries(byUri) };
}

export interface QuickFixOptions {
  documentChanges: boolean;
  /** The client creates files in a WorkspaceEdit (`resourceOperations` includes `create`). */
  createFiles?: boolean;
  /**
   * Another file's version, for the edits a fix makes there: the open document's version when the
   * edits were positioned on its current text, null when the file is not open, undefined when
   * they were positioned on a text the document has since left (the fix is then not offered; the
   * analysis that follows offers it anew).
   */
  otherVersion?: (uri: string) => number | null | undefined;
  /** The server runs `keyless.fixApplied` (lsp/after-fix.ts): fixes carry it as their command. */
  afterFix?: boolean;
}

/** A Keyless diagnostic of a code action request, with the fixes computed for it. */
export interface DiagnosticWithFixes {
  diagnostic: Diagnostic;
  fixes: readonly DiagnosticFix[];
  /** The version of the document the fixes' ranges belong to (null: the file on disk). */
  version: number | null;
}

/**
 * The quick fixes of the Keyless diagnostics in a code action request. The first safe fix offered
 * is the preferred one (what "auto fix" applies). A fix that creates files is offered only to
 * clients that can create them.
 */
export function quickFixes(documentUri: string, requested: readonly DiagnosticWithFixes[], options: QuickFixOptions): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const { diagnostic, fixes, version } of requested) {
    let preferred = false;
    for (const fix of fixes) {
      const versions = fixVersions(fix, documentUri, version, options);
      if (versions === undefined) continue;
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: toWorkspaceEdit(fix.edits, { documentChanges: options.documentChanges, versionOf: (uri) => versions.get(uri) ?? null }, fix.creates),
      };
      // Run by the editor after the edit: opens what the fix created, says what is left to do.
      const command = options.afterFix === true ? fixAppliedCommand([fix]) : undefined;
      if (command !== undefined) action.command = command;
      if (fix.safe && !preferred) {
        action.isPreferred = true;
        preferred = true;
      }
      actions.push(action);
    }
  }
  return actions;
}

/** The version of every file a fix edits, or undefined when the client cannot apply the fix as it is. */
function fixVersions(fix: DiagnosticFix, documentUri: string, documentVersion: number | null, options: QuickFixOptions): Map<string, number | null> | undefined {
  const creates = fix.creates ?? [];
  if (creates.length > 0 && !(options.documentChanges && options.createFiles === true)) return undefined;
  const versions = new Map<string, number | null>();
  for (const edit of fix.edits) {
    if (versions.has(edit.uri) || creates.includes(edit.uri)) continue;
    const version = edit.uri === documentUri ? documentVersion : options.otherVersion === undefined ? null : options.otherVersion(edit.uri);
    if (version === undefined) return undefined;
    versions.set(edit.uri, version);
  }
  return versions;
}

function comparePositions(a: Range['start'], b: Range['start']): number {
  return a.line - b.line || a.character - b.character;
}

/** Whether two edits touch the same text; insertions at the boundary of a replacement do not. */
function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

/**
 * The safe fixes that can be applied together. A fix is all or nothing: one whose edits collide
 * with an earlier fix's is left for the next round (the diagnostics after the edit show it again),
 * since edits that overlap cannot be applied in one WorkspaceEdit. A file two fixes create, or one
 * creates and another edits, is a collision too; fixes that create files are left out for clients
 * that cannot create them.
 */
export function safeFixes(fixes: readonly DiagnosticFix[], options: { createFiles: boolean } = { createFiles: false }): DiagnosticFix[] {
  const accepted: DiagnosticFix[] = [];
  const edits: DiagnosticFixEdit[] = [];
  const touched = new Set<string>();
  const created = new Set<string>();
  for (const fix of fixes) {
    if (!fix.safe || fix.edits.length === 0) continue;
    const creates = fix.creates ?? [];
    if (creates.length > 0 && !options.createFiles) continue;
    if (creates.some((uri) => touched.has(uri))) continue;
    const collides = fix.edits.some(
      (edit) => (created.has(edit.uri) && !creates.includes(edit.uri)) || edits.some((other) => other.uri === edit.uri && overlaps(other.range, edit.range)),
    );
    if (collides) continue;
    accepted.push(fix);
    edits.push(...fix.edits);
    for (const edit of fix.edits) touched.add(edit.uri);
    for (const uri of creates) {
      created.add(uri);
      touched.add(uri);
    }
  }
  return accepted;
}
