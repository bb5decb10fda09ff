import * as path from 'node:path';
import { ErrorCodes, MessageType, ResponseError, type CancellationToken, type ExecuteCommandParams, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { FIX_APPLIED_COMMAND, SCAN_WORKSPACE_COMMAND, type ScanWorkspaceResult } from '../../../protocol/keyless';
import { followUpMessage, readFixAppliedArguments } from './after-fix';
import { guardedRequest } from './guards';
import type { Session } from './session';
import type { WorkspaceReports } from './workspace-report';

/** The commands the server runs (its `executeCommandProvider`); the client's own are in client/. */
export const SERVER_COMMANDS = [SCAN_WORKSPACE_COMMAND, FIX_APPLIED_COMMAND];

/** `workspace/executeCommand`: each command's handler, or InvalidParams for a name it does not know. */
export function executeCommand(session: Session, reports: WorkspaceReports, params: ExecuteCommandParams, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<unknown> {
  if (params.command === FIX_APPLIED_COMMAND) return guardedRequest<null>(session.logError, 'Showing what a fix left', null, () => afterFixApplied(session, params.arguments?.[0]));
  if (params.command !== SCAN_WORKSPACE_COMMAND) {
    throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command: ${params.command}`);
  }
  return guardedRequest<ScanWorkspaceResult>(session.logError, 'The workspace scan', { files: 0, findings: 0 }, () => scanWorkspace(session, reports, token, progress));
}

/**
 * After a fix's edit is applied: the files it created are opened (the first, the trust the user
 * will want to read, last and focused), and what is left to do is shown as a message. Neither is
 * awaited beyond its sending: a message box stays open until dismissed.
 */
async function afterFixApplied(session: Session, argument: unknown): Promise<null> {
  const args = readFixAppliedArguments(argument);
  if (args === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `${FIX_APPLIED_COMMAND} takes { created, followUps }`);
  if (session.client.showDocument && args.created.length > 0) {
    const [first, ...others] = args.created;
    for (const uri of others) await session.channel.showDocument({ uri, takeFocus: false });
    await session.channel.showDocument({ uri: first!, takeFocus: true });
  }
  const message = followUpMessage(args.followUps);
  // A notification (window/showMessage), not the library's showInformationMessage (a request that
  // waits for the box to be dismissed): there is nothing to answer.
  if (message !== undefined) session.channel.showMessage(MessageType.Info, message);
  return null;
}

/**
 * "Keyless: Scan workspace": every folder's report, rebuilt now (also where the scope is open
 * files), and its counts: the files `keyless scan` run in the folder selects and their findings,
 * as saved. The results reach the Problems panel as workspace diagnostics (pushed to clients
 * without pull).
 */
async function scanWorkspace(session: Session, reports: WorkspaceReports, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<ScanWorkspaceResult> {
  const counts: ScanWorkspaceResult = { files: 0, findings: 0 };
  if (session.engine === undefined) return counts;
  progress.begin('Keyless: scanning the workspace', undefined, undefined, false);
  try {
    for (const folder of session.folders) {
      progress.report(path.basename(folder.path));
      const report = await reports.build(folder, true);
      if (token.isCancellationRequested || session.shutdownRequested) return counts;
      if (report === undefined) continue;
      counts.files += report.entries.size;
      for (const entry of report.entries.values()) counts.findings += entry.findings;
    }
    return counts;
  } finally {
    progress.done();
  }
}
