import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CancellationTokenSource,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  FileChangeType,
  WorkspaceDiagnosticRequest,
  type PreviousResultId,
  type WorkspaceDiagnosticReport,
  type WorkspaceFullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient, ROOT, scratchFolder, WAIT_MS, WORKSPACE } from './harness';

// The whole workspace is reported, not only the open files: workspace diagnostics (pull) or
// published diagnostics (push) for every file `keyless scan` selects in the folder, kept current
// as files change; "Scan workspace" counts the same files and findings as `keyless scan`.

const SCAN_COMMAND = 'keyless.scanWorkspace';

interface ScanCounts {
  files: number;
  findings: number;
}

function scan(client: LspClient, workDoneToken?: string): Promise<ScanCounts> {
  return client.request(
    () => client.connection.sendRequest(ExecuteCommandRequest.type, { command: SCAN_COMMAND, arguments: [], ...(workDoneToken ? { workDoneToken } : {}) }) as Promise<ScanCounts>,
    SCAN_COMMAND,
  );
}

/** What `keyless scan` says run in `folder`: its summary's counts, and findings per file. */
function cliScan(folder: string): { counts: ScanCounts; byFile: Map<string, number> } {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const run = (format: string): { stdout: string; stderr: string } => {
    const done = spawnSync(process.execPath, [cli, 'scan', '--format', format, '--fail-on', 'never'], { cwd: folder, encoding: 'utf8' });
    return { stdout: done.stdout, stderr: done.stderr };
  };
  // The text report's summary is its last line on standard error.
  const summary = run('text').stderr.trim().split('\n').at(-1)!;
  const match = /^(?:no findings|(\d+) findings?.*?) in (\d+) files?$/.exec(summary);
  assert.ok(match, `a summary line: ${summary}`);
  const report = JSON.parse(run('json').stdout) as { findings: { file?: string; path?: string; location?: { file?: string } }[] };
  const byFile = new Map<string, number>();
  for (const finding of report.findings) {
    const file = finding.file ?? finding.path ?? finding.location?.file;
    assert.ok(typeof file === 'string', JSON.stringify(finding));
    byFile.set(file, (byFile.get(file) ?? 0) + 1);
  }
  return { counts: { files: Number(match[2]), findings: Number(match[1] ?? 0) }, byFile };
}

/**
 * A workspace that exercises the selection: a nested folder, a .gitignore'd file with a finding,
 * a file the .keyless.yaml ignore glob excludes, a file Keyless does not read, and a file with no
 * finding.
 */
function selectionWorkspace(): { folder: string; remove: () => void } {
  const scratch = scratchFolder(WORKSPACE);
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(scratch.folder, file)), { recursive: true });
    writeFileSync(path.join(scratch.folder, file), text);
  };
  write('.gitignore', 'generated/\n');
  write('generated/keys.tf', 'resource "aws_iam_access_key" "gen" {\n  user = "gen"\n}\n');
  write('.keyless.yaml', 'ignore:\n  - vendor/**\n');
  write('vendor/mod/main.tf', 'resource "aws_iam_access_key" "vendored" {\n  user = "v"\n}\n');
  write('infra/nested/iam.tf', 'resource "aws_iam_access_key" "ci" {\n  user = "ci"\n}\n\nprovider "aws" {\n  region = "eu-west-1"\n}\n');
  write('infra/clean.tf', 'variable "region" {}\n');
  write('notes.txt', 'AWS_ACCESS_KEY_ID in a text file is not read\n');
  return scratch;
}

/** Workspace pulls, each with the previous answers' result ids, until `accept` holds of what is known. */
async function pullUntil(
  client: LspClient,
  known: Map<string, { resultId: string; items: number }>,
  accept: () => boolean,
  description: string,
): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!accept()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}: ${JSON.stringify([...known])}`);
    const previousResultIds: PreviousResultId[] = [...known].map(([uri, entry]) => ({ uri, value: entry.resultId }));
    const source = new CancellationTokenSource();
    const timer = setTimeout(() => source.cancel(), 2_000);
    let report: WorkspaceDiagnosticReport;
    try {
      report = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }, source.token);
    } catch {
      continue; // held with nothing new, and cancelled: ask again
    } finally {
      clearTimeout(timer);
    }
    for (const item of report.items) {
      if (item.kind === DocumentDiagnosticReportKind.Full) known.set(item.uri, { resultId: item.resultId!, items: (item as WorkspaceFullDocumentDiagnosticReport).items.length });
    }
  }
}

function countsOf(known: Map<string, { items: number }>, folder: string): Map<string, number> {
  const byFile = new Map<string, number>();
  for (const [uri, entry] of known) if (entry.items > 0) byFile.set(path.relative(folder, new URL(uri).pathname).split(path.sep).join('/'), entry.items);
  return byFile;
}

describe('workspace diagnostics (pull client)', () => {
  let client: LspClient;
  let scratch: { folder: string; remove: () => void };
  const known = new Map<string, { resultId: string; items: number }>();
  before(async () => {
    scratch = selectionWorkspace();
    client = await LspClient.start({ workspaceFolder: scratch.folder, pull: true });
  });
  after(async () => {
    await client.dispose();
    scratch.remove();
  });

  test('declared; every file keyless scan reports is reported, file for file and finding for finding', async () => {
    assert.equal((client.initializeResult.capabilities.diagnosticProvider as { workspaceDiagnostics: boolean }).workspaceDiagnostics, true);
    const cli = cliScan(scratch.folder);
    assert.ok(cli.byFile.has('infra/nested/iam.tf') && !cli.byFile.has('generated/keys.tf') && !cli.byFile.has('vendor/mod/main.tf'), JSON.stringify([...cli.byFile]));
    await pullUntil(client, known, () => JSON.stringify([...countsOf(known, scratch.folder)].sort()) === JSON.stringify([...cli.byFile].sort()), 'the CLI findings');
  });

  test('"Scan workspace" counts what keyless scan counts', async () => {
    assert.deepEqual(await scan(client), cliScan(scratch.folder).counts);
  });

  test('a pull with nothing new is held, and answered when a file changes on disk', async () => {
    const previousResultIds: PreviousResultId[] = [...known].map(([uri, entry]) => ({ uri, value: entry.resultId }));
    let answered = false;
    const held = client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }).then((report) => {
      answered = true;
      return report;
    });
    // A round trip: the pull has been read by now, and not answered.
    await client.request(() => client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: fileUri(path.join(scratch.folder, 'x.tf')) } }), 'a round trip');
    assert.equal(answered, false, 'nothing changed: the pull waits');

    // The key resource removed on disk: the file is sent again, empty.
    const iam = path.join(scratch.folder, 'infra', 'nested', 'iam.tf');
    writeFileSync(iam, 'provider "aws" {\n  region = "eu-west-1"\n}\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(iam), type: FileChangeType.Changed }] });
    const report = await client.request(() => held, 'the held pull');
    const item = report.items.find((i) => i.uri === fileUri(iam));
    assert.ok(item && item.kind === DocumentDiagnosticReportKind.Full);
    assert.deepEqual((item as WorkspaceFullDocumentDiagnosticReport).items, []);
    // Unchanged files are "unchanged", not sent again.
    assert.ok(report.items.filter((i) => i.uri !== fileUri(iam)).every((i) => i.kind === DocumentDiagnosticReportKind.Unchanged));
    known.set(fileUri(iam), { resultId: item.resultId!, items: 0 });

    // A new file with a finding, and a deleted one.
    const created = path.join(scratch.folder, 'infra', 'new.tf');
    writeFileSync(created, 'resource "aws_iam_access_key" "new" {\n  user = "n"\n}\n');
    rmSync(path.join(scratch.folder, 'template.yaml'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [
        { uri: fileUri(created), type: FileChangeType.Created },
        { uri: fileUri(path.join(scratch.folder, 'template.yaml')), type: FileChangeType.Deleted },
      ],
    });
    await pullUntil(client, known, () => known.get(fileUri(created))?.items === 1 && known.get(fileUri(path.join(scratch.folder, 'template.yaml')))?.items === 0, 'the new file and the deleted one');
    assert.deepEqual(await scan(client), cliScan(scratch.folder).counts);
  });

  test('an open file is left to its document pull; closed again, its saved findings come back', async () => {
    const pod = path.join(scratch.folder, 'pod.yaml');
    const uri = fileUri(pod);
    assert.equal(known.get(uri)?.items, 1);
    await client.open(uri, readFileSync(pod, 'utf8').replace(/- name: AWS_SECRET_ACCESS_KEY[\s\S]*$/, '- name: PORT\n          value: "80"\n'));
    const live = await client.request(() => client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }), 'the document pull');
    assert.equal(live.kind === DocumentDiagnosticReportKind.Full && live.items.length, 0, 'the editor text has no finding');
    await client.close(uri);
    // The client pulls the closed document once more, then relies on the workspace pull.
    const closed = await client.request(() => client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }), 'the pull of the closed file');
    assert.equal(closed.kind === DocumentDiagnosticReportKind.Full && closed.items.length, 1, 'the saved text has the finding');
    const previousId = known.get(uri)!.resultId;
    await pullUntil(client, known, () => known.get(uri)!.resultId !== previousId, 'the closed file sent anew');
    assert.equal(known.get(uri)!.items, 1);
  });

  test('keyless.diagnostics.scope = openFiles: the closed files are withdrawn', async () => {
    await client.changeSettings({ diagnostics: { scope: 'openFiles' } });
    await pullUntil(client, known, () => [...known.values()].every((entry) => entry.items === 0), 'every closed file withdrawn');
    await client.changeSettings({});
    await pullUntil(client, known, () => [...known.values()].some((entry) => entry.items > 0), 'the workspace reported again');
  });
});

describe('workspace diagnostics (push client) and the scan', () => {
  let client: LspClient;
  let scratch: { folder: string; remove: () => void };
  before(async () => {
    scratch = selectionWorkspace();
    client = await LspClient.start({ workspaceFolder: scratch.folder });
  });
  after(async () => {
    await client.dispose();
    scratch.remove();
  });

  test('the commands are advertised', () => {
    assert.deepEqual(client.initializeResult.capabilities.executeCommandProvider, { commands: [SCAN_COMMAND, 'keyless.fixApplied'] });
  });

  test('closed files are published without a scan, as keyless scan reports them', async () => {
    const cli = cliScan(scratch.folder);
    const expected = JSON.stringify([...cli.byFile].sort());
    const current = (): string => {
      const latest = new Map<string, number>();
      for (const p of client.published) latest.set(path.relative(scratch.folder, new URL(p.uri).pathname).split(path.sep).join('/'), p.diagnostics.length);
      return JSON.stringify([...latest].filter(([, n]) => n > 0).sort());
    };
    await client.waitFor(`the published diagnostics to be ${expected}`, () => current() === expected);
    assert.ok(client.published.every((p) => p.version === undefined), 'files from disk have no version');
  });

  test('the scan returns the CLI counts whatever is open, and reports progress', async () => {
    const open = fileUri(path.join(scratch.folder, 'main.tf'));
    await client.open(open, 'variable "x" {}\n');
    const counts = await scan(client, 'scan-progress');
    assert.deepEqual(counts, cliScan(scratch.folder).counts);
    const kinds = client.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    await client.close(open);
  });

  test('the scan honours keyless.ignore, as keyless scan honours the ignore globs', async () => {
    await client.changeSettings({ ignore: ['pod.yaml', '.github'] });
    writeFileSync(path.join(scratch.folder, '.keyless.yaml'), 'ignore:\n  - vendor/**\n  - pod.yaml\n  - .github\n');
    try {
      assert.deepEqual(await scan(client), cliScan(scratch.folder).counts);
    } finally {
      writeFileSync(path.join(scratch.folder, '.keyless.yaml'), 'ignore:\n  - vendor/**\n');
      await client.changeSettings({});
    }
  });
});

describe('keyless.diagnostics.scope = openFiles (push client)', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: WORKSPACE, settings: { diagnostics: { scope: 'openFiles' } } });
  });
  after(() => client.dispose());

  test('nothing is reported for closed files until the scan; then they are', async () => {
    // The index is built in the background like the report would be: once it is, a report would have run too.
    await client.waitFor('the index', () => client.logs.find((l) => l.message.startsWith('Indexed ')));
    await client.request(() => client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: fileUri(path.join(WORKSPACE, 'x.tf')) } }), 'a round trip');
    assert.equal(client.published.length, 0, "no file published");
    const counts = await scan(client);
    assert.ok(counts.findings > 0);
    assert.ok(client.published.some((p) => p.uri === fileUri(path.join(WORKSPACE, 'pod.yaml')) && p.diagnostics.length === 1));
  });
});
