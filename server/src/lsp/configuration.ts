import { promises as fs } from 'node:fs';
import { DEFAULT_CONFIG, mergeConfigs, parseConfig, type KeylessConfig } from '../engine/config';
import { loadConfig } from '../workspace/files';
import { ConfigProblemNotices, type ConfigProblemsState } from './config-problems';
import type { OpenDocuments } from './documents';
import { configFileOf, pathToUri, type WorkspaceFolder } from './paths';
import type { Session } from './session';
import { DEFAULT_SETTINGS, readSettings, type EditorSettings } from './settings';

/** What the client watches for config changes (registered by server.ts). */
export const CONFIG_WATCH_PATTERN = '**/.keyless.yaml';

interface FolderConfig extends ConfigProblemsState {
  config: KeylessConfig;
}

/** What applies to a folder's documents. */
export interface EffectiveConfig {
  enable: boolean;
  config: KeylessConfig;
}

/**
 * The configuration of each folder: defaults < `.keyless.yaml` of the folder < editor settings.
 * Each layer is read once and cached until what it comes from changes; `changed` (server.ts) then
 * redoes what depends on it. An open `.keyless.yaml` counts as it is typed, before it is saved.
 *
 * The editor settings are asked for with `workspace/configuration` (or taken from the last
 * didChangeConfiguration for clients without it). In an untrusted workspace VS Code answers the
 * restricted ones (package.json `restrictedConfigurations`) without the workspace's own values;
 * when trust is granted the client says so (`keyless/trustChanged`), and they are asked for again.
 */
export class Configuration {
  private readonly folderConfigs = new Map<string, Promise<FolderConfig>>();
  private readonly settingsByScope = new Map<string, Promise<EditorSettings>>();
  /** Merged per folder ('' outside folders); cleared with every config change. */
  private readonly effectiveConfigs = new Map<string, Promise<EffectiveConfig>>();
  /** `settings.keyless` of the last didChangeConfiguration, for clients without workspace/configuration. */
  private notifiedSettings: unknown;
  private readonly loggedSettingsProblems = new Set<string>();
  private readonly problemNotices: ConfigProblemNotices;
  private currentGeneration = 0;
  /** Workspace Trust as the client last said it; undefined when it never did (editors without it). */
  private trust: boolean | undefined;

  constructor(
    private readonly session: Session,
    private readonly documents: OpenDocuments,
    /** Something the analysis depends on changed (after `invalidate`, the caller redoes the rest). */
    private readonly changed: () => void,
  ) {
    this.problemNotices = new ConfigProblemNotices(session.channel);
  }

  /** Bumped on every config change: a result computed under an older generation is stale. */
  get generation(): number {
    return this.currentGeneration;
  }

  get trusted(): boolean | undefined {
    return this.trust;
  }

  /** The trust state the client sent with `initialize`, before any setting is read. */
  startTrust(trusted: boolean | undefined): void {
    this.trust = trusted;
  }

  settingsFor(folder: WorkspaceFolder | undefined): Promise<EditorSettings> {
    const key = scopeKey(folder);
    let settings = this.settingsByScope.get(key);
    if (settings === undefined) {
      settings = this.session.client.configuration
        ? this.session.channel.keylessSettings(folder?.uri).then(
            (raw: unknown) => readSettings(raw),
            (error: unknown) => {
              this.session.logError('Reading the keyless settings failed; using the defaults', error);
              return DEFAULT_SETTINGS;
            },
          )
        : Promise.resolve(readSettings(this.notifiedSettings));
      settings = settings.then((read) => {
        for (const problem of read.problems) {
          if (this.loggedSettingsProblems.has(problem)) continue;
          this.loggedSettingsProblems.add(problem);
          this.session.channel.log.warn(`Settings: ${problem} (ignored)`);
        }
        return read;
      });
      this.settingsByScope.set(key, settings);
    }
    return settings;
  }

  folderConfigFor(folder: WorkspaceFolder): Promise<FolderConfig> {
    let loading = this.folderConfigs.get(folder.uri);
    if (loading === undefined) {
      const attempt: Promise<FolderConfig> = this.readFolderConfig(folder).catch((error: unknown) => {
        // Not cached: the next change of the file (or of anything) tries again.
        if (this.folderConfigs.get(folder.uri) === attempt) this.folderConfigs.delete(folder.uri);
        this.session.logError(`Reading ${configFileOf(folder)} failed; using the defaults`, error);
        return { config: DEFAULT_CONFIG, problems: [], text: undefined, fromEditor: false };
      });
      loading = attempt;
      this.folderConfigs.set(folder.uri, loading);
    }
    return loading;
  }

  effectiveConfigFor(folder: WorkspaceFolder | undefined): Promise<EffectiveConfig> {
    const key = scopeKey(folder);
    let effective = this.effectiveConfigs.get(key);
    if (effective === undefined) {
      effective = Promise.all([this.settingsFor(folder), folder === undefined ? undefined : this.folderConfigFor(folder)]).then(([settings, file]) => ({
        enable: settings.enable,
        config: mergeConfigs(DEFAULT_CONFIG, file?.config ?? DEFAULT_CONFIG, settings.config),
      }));
      this.effectiveConfigs.set(key, effective);
    }
    return effective;
  }

  /** Every merged config is stale: the next reader merges again, under a new generation. */
  invalidate(): void {
    this.currentGeneration++;
    this.effectiveConfigs.clear();
  }

  /** The folder's `.keyless.yaml` is read again (changed on disk, typed in, closed); a change of it is a config change. */
  async reloadFolderConfig(folder: WorkspaceFolder): Promise<void> {
    const before = await this.folderConfigs.get(folder.uri)?.catch(() => undefined);
    this.folderConfigs.delete(folder.uri);
    const after = await this.folderConfigFor(folder);
    if (before === undefined || JSON.stringify(before.config) !== JSON.stringify(after.config)) this.changed();
  }

  /** didChangeConfiguration: the settings are read again (`settings` is its `settings` field). */
  settingsNotified(settings: unknown): void {
    this.notifiedSettings = typeof settings === 'object' && settings !== null && 'keyless' in settings ? settings.keyless : undefined;
    this.rereadSettings();
  }

  /**
   * `keyless/trustChanged`: the restricted settings now have other values (the workspace's own
   * once trusted), so the settings are read again. Unchanged trust changes nothing.
   */
  trustChanged(trusted: boolean): void {
    if (this.trust === trusted) return;
    this.trust = trusted;
    this.session.channel.log.info(`Workspace trust ${trusted ? 'granted' : 'withdrawn'}: reading the keyless settings again`);
    this.rereadSettings();
  }

  /** The folder left the workspace. */
  folderRemoved(folderUri: string): void {
    this.folderConfigs.delete(folderUri);
    this.settingsByScope.delete(folderUri);
    this.problemNotices.folderRemoved(folderUri);
  }

  private rereadSettings(): void {
    this.settingsByScope.clear();
    this.loggedSettingsProblems.clear();
    this.changed();
  }

  private async readFolderConfig(folder: WorkspaceFolder): Promise<FolderConfig> {
    const file = configFileOf(folder);
    const open = this.documents.openAt(file);
    let state: FolderConfig;
    if (open !== undefined) {
      const text = open.getText();
      state = { ...parseConfig(text), text, fromEditor: true };
    } else {
      const loaded = await loadConfig(folder.path);
      const text = loaded.problems.length > 0 && loaded.file !== undefined ? await fs.readFile(loaded.file, 'utf8').catch(() => undefined) : undefined;
      state = { config: loaded.config, problems: loaded.problems, text, fromEditor: false };
    }
    this.problemNotices.announce(folder, state, open?.uri ?? pathToUri(file));
    return state;
  }
}

function scopeKey(folder: WorkspaceFolder | undefined): string {
  return folder?.uri ?? '';
}
