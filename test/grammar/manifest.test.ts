import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import picomatch from 'picomatch';
import { RULES } from '../../server/src/rules';

/**
 * The extension manifest against the code it describes: commands the client registers are the
 * ones contributed, every setting is documented and defaulted, the rule list matches the rules
 * that ship, and every file the manifest points at exists and survives packaging.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

interface Setting {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, Setting>;
  additionalProperties?: Setting;
  items?: Setting;
}

interface Manifest {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes: {
    languages: { id: string; extensions?: string[]; configuration?: string }[];
    grammars: { language?: string; scopeName: string; path: string; injectTo?: string[] }[];
    commands: { command: string; title: string; category?: string }[];
    configuration: { title: string; properties: Record<string, Setting> };
  };
}

const manifest = JSON.parse(read('package.json')) as Manifest;
const client = read('client/src/extension.ts');
const settings = manifest.contributes.configuration.properties;

/** String constants of the client and of the protocol file it takes its names from (`const NAME = '...'`), to resolve the ids it registers. */
const clientConstants = new Map([...`${client}\n${read('protocol/keyless.ts')}`.matchAll(/const (\w+) = '([^']*)'/g)].map((m) => [m[1]!, m[2]!]));

function registeredCommands(): string[] {
  return [...client.matchAll(/registerCommand\(\s*(\w+|'[^']*')/g)].map((m) => {
    const ref = m[1]!;
    if (ref.startsWith("'")) return ref.slice(1, -1);
    const id = clientConstants.get(ref);
    assert.ok(id !== undefined, `registerCommand(${ref}): no string constant ${ref} in the client`);
    return id;
  });
}

describe('commands', () => {
  test('every command the client registers is contributed, and every contributed one is registered', () => {
    const registered = registeredCommands();
    assert.ok(registered.length >= 2, `found only ${registered.length} registerCommand calls in the client`);
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.deepEqual([...new Set(registered)].sort(), [...contributed].sort());
  });

  test('commands are in the Keyless category and listed without onCommand activation events', () => {
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'Keyless', command.command);
      assert.ok(command.title.trim() !== '', command.command);
    }
    // VS Code 1.100 activates on contributed commands by itself.
    assert.deepEqual(manifest.activationEvents.filter((e) => e.startsWith('onCommand:')), []);
  });

  test('every language of the client document selector activates the extension', () => {
    const list = /const LANGUAGES = \[([^\]]*)\]/.exec(client);
    assert.ok(list, 'no LANGUAGES list in the client');
    const languages = [...list[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    assert.ok(languages.length > 0);
    for (const language of languages) assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), `no onLanguage:${language}`);
  });
});

describe('settings', () => {
  const keyless = Object.entries(settings).filter(([key]) => key.startsWith('keyless.'));

  test('every keyless.* setting has a description and a default of its type', () => {
    assert.ok(keyless.length >= 4);
    for (const [key, setting] of keyless) {
      const description = setting.description ?? setting.markdownDescription;
      assert.ok(description !== undefined && description.trim() !== '', `${key} has no description`);
      assert.ok('default' in setting, `${key} has no default`);
      const value = setting.default;
      const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
      assert.equal(actual, setting.type, `${key}: default ${JSON.stringify(value)} is not a ${setting.type}`);
      if (setting.enum) assert.ok(setting.enum.includes(value), `${key}: default ${JSON.stringify(value)} is not one of its values`);
    }
  });

  test('keyless.rules lists the rules that ship, each with its default severity', () => {
    const rules = settings['keyless.rules'];
    const properties: Record<string, Setting> = rules?.properties ?? {};
    assert.deepEqual(Object.keys(properties).sort(), RULES.map((r) => r.id).sort());
    for (const rule of RULES) {
      const entry: Setting = properties[rule.id]!;
      assert.deepEqual(entry.enum, ['off', 'error', 'warning', 'info'], rule.id);
      assert.ok(entry.description?.endsWith(`Default: ${rule.severity}.`), `${rule.id}: the description should end with "Default: ${rule.severity}."`);
    }
    assert.deepEqual(rules?.additionalProperties?.enum, ['off', 'error', 'warning', 'info']);
  });

  test('restricted settings in untrusted workspaces exist and the limitation is explained', () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    assert.ok((trust.description ?? '').length > 0);
    for (const key of trust.restrictedConfigurations ?? []) assert.ok(key in settings, `${key} is restricted but not contributed`);
  });
});

describe('files', () => {
  test('grammars exist, parse, and declare the scope the manifest gives them', () => {
    for (const grammar of manifest.contributes.grammars) {
      assert.ok(existsSync(path.join(ROOT, grammar.path)), `${grammar.path} is missing`);
      const parsed = JSON.parse(read(grammar.path)) as { scopeName?: string };
      assert.equal(parsed.scopeName, grammar.scopeName, grammar.path);
      if (grammar.language !== undefined) {
        assert.ok(manifest.contributes.languages.some((l) => l.id === grammar.language), `${grammar.path}: unknown language ${grammar.language}`);
      }
    }
  });

  test('language configurations exist and parse', () => {
    for (const language of manifest.contributes.languages) {
      assert.ok(language.configuration, `${language.id} has no configuration`);
      assert.doesNotThrow(() => JSON.parse(read(language.configuration!)), language.configuration);
    }
  });

  test('.vscodeignore starts with a deny-all and lets back what the manifest points at', () => {
    const patterns = read('.vscodeignore')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    assert.equal(patterns[0], '**', '.vscodeignore must start with "**"');
    // vsce's reading: patterns apply in order; "!" takes a file back.
    const packaged = (file: string): boolean => {
      let ignored = false;
      for (const pattern of patterns) {
        const negated = pattern.startsWith('!');
        if (picomatch(negated ? pattern.slice(1) : pattern, { dot: true })(file)) ignored = !negated;
      }
      return !ignored;
    };
    const needed = [
      manifest.main.replace(/^\.\//, ''),
      'dist/server.js',
      ...manifest.contributes.grammars.map((g) => g.path.replace(/^\.\//, '')),
      ...manifest.contributes.languages.map((l) => l.configuration!.replace(/^\.\//, '')),
      'package.json',
      'README.md',
    ];
    for (const file of needed) assert.ok(packaged(file), `${file} would be left out of the package`);
    for (const file of ['client/src/extension.ts', 'dist/client.js.map', 'node_modules/vscode-languageclient/package.json', 'test/grammar/terraform.test.tf']) {
      assert.ok(!packaged(file), `${file} would be packaged`);
    }
  });
});
