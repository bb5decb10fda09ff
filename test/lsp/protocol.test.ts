import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as protocol from '../../protocol/keyless';
import { SERVER_COMMANDS } from '../../server/src/lsp/commands';
import { ROOT } from './harness';

// protocol/keyless.ts is the one place a custom command or notification name is written: the
// client, the server and package.json's contributed commands all take theirs from it.

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

/** The source without comments, so a name mentioned in prose is not taken for one in code. */
function code(file: string): string {
  return read(file)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

const names = Object.entries(protocol as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
const commands = new Map(names.filter(([name]) => name.endsWith('_COMMAND')));
const notifications = new Map(names.filter(([name]) => name.endsWith('_NOTIFICATION')));
const client = code('client/src/extension.ts');
const serverFiles = sources('server/src');

/** The identifiers a call passes as its first argument, e.g. `registerCommand(NAME, …)`. */
function firstArguments(text: string, call: string): string[] {
  return [...text.matchAll(new RegExp(`\\b${call}\\(\\s*([^,)\\s]+)`, 'g'))].map((m) => m[1]!);
}

function protocolValue(identifier: string, kind: ReadonlyMap<string, string>, where: string): string {
  const value = kind.get(identifier);
  assert.ok(value !== undefined, `${where}: ${identifier} is not a name from protocol/keyless.ts`);
  return value;
}

describe('protocol/keyless.ts: every custom name, written once', () => {
  test('it holds commands (keyless.*) and notifications (keyless/*), each name once', () => {
    assert.deepEqual(names.filter(([name]) => !commands.has(name) && !notifications.has(name)), [], 'every name is a *_COMMAND or a *_NOTIFICATION');
    for (const value of commands.values()) assert.match(value, /^keyless\.[a-zA-Z]+$/);
    for (const value of notifications.values()) assert.match(value, /^keyless\/[a-zA-Z]+$/);
    const values = names.map(([, value]) => value);
    assert.equal(new Set(values).size, values.length);
  });

  test('package.json contributes exactly the commands the client registers, all from the protocol file', () => {
    const contributed = (JSON.parse(read('package.json')) as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const registered = firstArguments(client, 'registerCommand').map((identifier) => protocolValue(identifier, commands, 'client registerCommand'));
    assert.ok(registered.length >= 3);
    assert.deepEqual([...new Set(registered)].sort(), [...contributed].sort());
  });

  test('the server runs commands and handles notifications from the protocol file', () => {
    for (const command of SERVER_COMMANDS) assert.ok([...commands.values()].includes(command), `${command} (executeCommandProvider)`);
    const handled = serverFiles.flatMap((file) => firstArguments(code(file), 'onNotification').map((identifier) => protocolValue(identifier, notifications, file)));
    // Every notification the protocol defines goes from the client to the server.
    assert.deepEqual(handled.sort(), [...notifications.values()].sort());
  });

  test('the client sends notifications and commands from the protocol file', () => {
    const sent = firstArguments(client, 'sendNotification').map((identifier) => protocolValue(identifier, notifications, 'client sendNotification'));
    assert.deepEqual(sent.sort(), [...notifications.values()].sort());
    for (const [, identifier] of client.matchAll(/command: (\w+)/g)) protocolValue(identifier!, commands, 'client executeCommand');
  });

  test('no other file of the client or the server writes a name as a string', () => {
    for (const file of ['client/src/extension.ts', ...serverFiles]) {
      // File names (`keyless.json`, the report name `keyless merge` reads) are not protocol names.
      const literals = [...code(file).matchAll(/(['"`])(keyless[./][a-zA-Z]+)\1/g)].map((m) => m[2]!).filter((name) => !/^keyless\.(?:json|ya?ml)$/.test(name));
      assert.deepEqual(literals, [], `${file} writes ${literals.join(', ')} itself`);
    }
  });
});
