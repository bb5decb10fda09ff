// The VS Code side of Keyless: it starts the bundled language server and passes on what only the
// editor knows (Workspace Trust, two commands). All analysis happens in the server, and nothing
// here touches the file system or desktop-only APIs, so the client runs unchanged in a remote Node
// extension host (code-server's web UI). Every command and notification name it shares with the
// server comes from protocol/keyless.ts.
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  OPEN_EXAMPLE_COMMAND,
  RESTART_SERVER_COMMAND,
  SCAN_WORKSPACE_COMMAND,
  TRUST_CHANGED_NOTIFICATION,
  type InitializationOptions,
  type ScanWorkspaceResult,
  type TrustChangedParams,
} from '../../protocol/keyless';

const LANGUAGES = ['yaml', 'json', 'jsonc', 'terraform', 'terraform-vars'];
const DOCUMENT_SELECTOR: DocumentSelector = [
  ...LANGUAGES.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]),
  // `.tf.json` is analyzed even when another extension gives it a language other than JSON.
  { scheme: 'file', pattern: '**/*.tf.json' },
  // Files whose language id varies or tells nothing, taken by name as the server does (readsFile):
  // `.env` files (`dotenv`, `properties` or `plaintext`, by extension), non-Terraform HCL, and
  // CloudFormation `*.template` (the server reads only those whose text is a template).
  { scheme: 'file', pattern: '**/{.env,.env.*,*.env}' },
  { scheme: 'file', pattern: '**/*.hcl' },
  { scheme: 'file', pattern: '**/*.template' },
];

// The walkthrough's example workflow, inlined from walkthrough/example-workflow.yml by esbuild's
// text loader (scripts/build.mjs): the walkthrough page shows the same file, so the two cannot drift.
const EXAMPLE_WORKFLOW: string = require('../../walkthrough/example-workflow.yml');

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel('Keyless', { log: true });
  const traceOutputChannel = vscode.window.createOutputChannel('Keyless Trace', { log: true });
  const configWatcher = vscode.workspace.createFileSystemWatcher('**/.keyless.yaml');
  context.subscriptions.push(outputChannel, traceOutputChannel, configWatcher);

  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { configurationSection: 'keyless', fileEvents: configWatcher },
    // A function, so that a restarted server learns the trust state of that moment. VS Code shows
    // the diagnostics under the pointer in the hover: the server's hover leaves out what they say.
    initializationOptions: (): InitializationOptions => ({ trusted: vscode.workspace.isTrusted, hoverShowsDiagnostics: true }),
    outputChannel,
    traceOutputChannel,
    middleware: {
      // Runs when the server lists keyless.scanWorkspace itself (see startServer).
      executeCommand: (command, args, next) =>
        command === SCAN_WORKSPACE_COMMAND ? scanWorkspace(async () => next(command, args)) : next(command, args),
    },
  };
  // The id `keyless` makes the client read `keyless.trace.server`.
  const createClient = (): LanguageClient => new LanguageClient('keyless', 'Keyless', serverOptions, clientOptions);

  // vscode-languageclient registers a VS Code command for each command the server lists in its
  // executeCommandProvider, and registering an id twice throws. So keyless.scanWorkspace is
  // registered here only while the running server does not list it, and dropped before each
  // (re)start; otherwise the middleware above adds the summary to the library's command.
  let ownScanCommand: vscode.Disposable | undefined;
  context.subscriptions.push({ dispose: () => ownScanCommand?.dispose() });
  const startServer = async (start: () => Promise<LanguageClient>, failure: string): Promise<void> => {
    ownScanCommand?.dispose();
    ownScanCommand = undefined;
    let started: LanguageClient | undefined;
    try {
      started = await start();
    } catch (error) {
      // Keep going: the restart command stays available, and the output channel has the cause.
      showError(failure, error, outputChannel);
    }
    const listed = started?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    if (!listed.includes(SCAN_WORKSPACE_COMMAND)) ownScanCommand = vscode.commands.registerCommand(SCAN_WORKSPACE_COMMAND, () => scanThroughClient(outputChannel));
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(RESTART_SERVER_COMMAND, () =>
      startServer(async () => {
        if (client?.isRunning()) {
          await client.restart();
          return client;
        }
        // A client whose start failed refuses to start again; a fresh one can.
        await client?.dispose().catch(() => undefined);
        client = createClient();
        await client.start();
        return client;
      }, 'Keyless: the language server could not be restarted'),
    ),
    // Trust can only be granted within a session (taking it back reloads the window); the state at
    // start goes in `initializationOptions.trusted`.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (client?.isRunning()) {
        const params: TrustChangedParams = { trusted: true };
        client.sendNotification(TRUST_CHANGED_NOTIFICATION, params).catch((error: unknown) => outputChannel.error('Keyless: sending the trust change failed', error));
      }
    }),
  );
  context.subscriptions.push(vscode.commands.registerCommand(OPEN_EXAMPLE_COMMAND, openExample));

  await startServer(async () => {
    client = createClient();
    await client.start();
    return client;
  }, 'Keyless: the language server did not start');
}

export function deactivate(): Thenable<void> | undefined {
  return client?.isRunning() ? client.stop() : undefined;
}

/** keyless.scanWorkspace when the client registers it: the request goes through the client. */
async function scanThroughClient(outputChannel: vscode.LogOutputChannel): Promise<unknown> {
  const running = client;
  if (!running?.isRunning()) {
    showError('Keyless: the language server is not running', undefined, outputChannel);
    return undefined;
  }
  try {
    return await scanWorkspace(() => running.sendRequest(ExecuteCommandRequest.type, { command: SCAN_WORKSPACE_COMMAND, arguments: [] }));
  } catch (error) {
    showError('Keyless: the workspace scan failed', error, outputChannel);
    return undefined;
  }
}

function isScanSummary(value: unknown): value is ScanWorkspaceResult {
  if (typeof value !== 'object' || value === null) return false;
  const { files, findings } = value as Record<string, unknown>;
  return typeof files === 'number' && typeof findings === 'number';
}

/** Runs the scan under a progress notification and reports the server's `{ files, findings }`. */
async function scanWorkspace(run: () => Promise<unknown>): Promise<unknown> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Keyless: scanning the workspace…' },
    run,
  );
  if (!isScanSummary(result)) {
    void vscode.window.showWarningMessage('Keyless: the scan finished but the server sent no summary.');
    return result;
  }
  const files = `${result.files} ${result.files === 1 ? 'file' : 'files'}`;
  const findings = `${result.findings} ${result.findings === 1 ? 'finding' : 'findings'}`;
  const showProblems = 'Show Problems';
  // Not awaited: a message with a button stays pending until dismissed, and the command (which
  // tests and other extensions may await) should finish with the scan.
  void vscode.window
    .showInformationMessage(`Keyless scanned ${files}: ${findings}.`, ...(result.findings > 0 ? [showProblems] : []))
    .then((choice) => (choice === showProblems ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
  return result;
}

/**
 * keyless.openExample, the walkthrough's first step: the example in an untitled YAML editor, so
 * nothing is written to the workspace. The server knows a workflow by its content, and the
 * document selector includes untitled documents, so the finding appears as for a saved file.
 */
async function openExample(): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: EXAMPLE_WORKFLOW });
  // The cursor starts on the step Keyless reports, so that Ctrl+. (or the walkthrough's "Show
  // quick fixes" button) offers that finding's fixes without the user looking for the line.
  const reported = document.positionAt(Math.max(0, EXAMPLE_WORKFLOW.indexOf('uses: aws-actions/configure-aws-credentials')));
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(reported, reported) });
  return document;
}

function showError(message: string, error: unknown, outputChannel: vscode.LogOutputChannel): void {
  if (error !== undefined) outputChannel.error(message, error);
  void vscode.window.showErrorMessage(`${message}. See the Keyless output for details.`);
}
