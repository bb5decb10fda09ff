import type { TextDocument } from 'vscode-languageserver-textdocument';
import { YamlParseCache } from '../syntax/yaml-incremental';
import { configFileOf, documentTarget, folderOf, samePath, uriToPath, type DocumentTarget, type WorkspaceFolder } from './paths';

/** The open documents, as the connection's `TextDocuments` keeps them. */
export interface DocumentSource {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

/**
 * The documents open in the editor, and what each is to the engine: its target (path, syntax,
 * folder), whether it is a folder's `.keyless.yaml`, and its YAML pieces from the last analysis.
 * What is kept per document is dropped by `forget` when it closes.
 */
export class OpenDocuments {
  /**
   * Per open document, what it is to the engine, computed once per folder set and language id:
   * every change and request asks, and turning a URI into a path and its folder is not free at
   * the pace of a burst of edits.
   */
  private readonly targets = new Map<string, { folders: WorkspaceFolder[]; languageId: string; target: DocumentTarget | undefined; isConfig: boolean }>();
  /** Per open document, its YAML pieces from the last analysis: a keystroke re-parses one piece. */
  private readonly yamlCaches = new Map<string, YamlParseCache>();

  constructor(
    private readonly source: DocumentSource,
    /** The workspace folders now (replaced, never mutated, when they change). */
    private readonly folders: () => WorkspaceFolder[],
  ) {}

  get(uri: string): TextDocument | undefined {
    return this.source.get(uri);
  }

  all(): TextDocument[] {
    return this.source.all();
  }

  /** The open document of a file, by path (an editor may spell its URI differently). */
  openAt(file: string): TextDocument | undefined {
    return this.source.all().find((document) => {
      const documentPath = uriToPath(document.uri);
      return documentPath !== undefined && samePath(documentPath, file);
    });
  }

  /** The folder whose `.keyless.yaml` this URI is, if it is one (open or not). */
  configFolderOf(uri: string): WorkspaceFolder | undefined {
    const file = uriToPath(uri);
    if (file === undefined) return undefined;
    const folder = folderOf(file, this.folders());
    return folder !== undefined && samePath(file, configFileOf(folder)) ? folder : undefined;
  }

  targetOf(document: TextDocument): DocumentTarget | undefined {
    return this.targetEntry(document).target;
  }

  /** Whether Keyless analyzes the document: a file it reads, and not a `.keyless.yaml`. */
  isAnalyzable(document: TextDocument): boolean {
    const entry = this.targetEntry(document);
    return !entry.isConfig && entry.target !== undefined;
  }

  yamlCacheFor(uri: string): YamlParseCache {
    let cache = this.yamlCaches.get(uri);
    if (!cache) {
      cache = new YamlParseCache();
      this.yamlCaches.set(uri, cache);
    }
    return cache;
  }

  /** The document closed: what was kept for it goes. */
  forget(uri: string): void {
    this.targets.delete(uri);
    this.yamlCaches.delete(uri);
  }

  private targetEntry(document: TextDocument): { target: DocumentTarget | undefined; isConfig: boolean } {
    const folders = this.folders();
    let entry = this.targets.get(document.uri);
    if (entry === undefined || entry.folders !== folders || entry.languageId !== document.languageId) {
      entry = { folders, languageId: document.languageId, target: documentTarget(document.uri, document.languageId, folders), isConfig: this.configFolderOf(document.uri) !== undefined };
      this.targets.set(document.uri, entry);
    }
    return entry;
  }
}
