import type { WorkspaceFolder } from './paths';
import type { Session } from './session';
import { warmUp } from './warm-up';

/**
 * Work the server does for the user without being asked (the engine's warm-up, each folder's
 * index and report), and how it keeps out of the way: one file per turn of the event loop, and
 * nothing while the user opens or types.
 */

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** How long the editor must be quiet (no open, no edit) before background work goes on. */
const TYPING_PAUSE_MS = 300;

/**
 * Between two files of a background build: a turn of the event loop, then, while the user opens
 * or types, until they pause and the documents' analyses are done, so a keystroke's analysis
 * never queues behind more than the one workspace file being read when it came.
 */
export async function backgroundPause(session: Session, analysesIdle: () => boolean): Promise<void> {
  await yieldToEventLoop();
  while (!session.shutdownRequested && (performance.now() - session.lastEditAt < TYPING_PAUSE_MS || !analysesIdle())) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(10, TYPING_PAUSE_MS - (performance.now() - session.lastEditAt))));
  }
}

/** The documents an editor restores at start arrive in the first moments: background builds start after them. */
const BACKGROUND_START_DELAY_MS = 1_000;

export interface BackgroundWork {
  /** Between files (`backgroundPause`). */
  pause: () => Promise<void>;
  /** Starts building a folder's index, in the background. */
  index: (folder: WorkspaceFolder) => void;
  /** Starts building a folder's workspace report, in the background. */
  report: (folder: WorkspaceFolder) => void;
}

/**
 * After initialization: the engine is warmed first (lsp/warm-up.ts: every dialect's path once, then
 * files of realistic size, one file per turn, pausing while the user opens or types, so the first
 * document's analysis and edit do not pay for it), then each folder's index and report are built
 * in the background. Diagnostics never wait for any of it.
 */
export async function startBackgroundWork(session: Session, work: BackgroundWork): Promise<void> {
  if (session.engine !== undefined) {
    try {
      // Between steps, the warm-up waits while the user opens or types (work.pause): a document's
      // own analysis warms its dialect, and must not queue behind a sample.
      const warm = await warmUp(session.engine, { pause: work.pause, stopped: () => session.shutdownRequested });
      session.channel.log.info(`Warmed the engine up: ${warm.steps} steps in ${Math.round(warm.milliseconds)} ms`);
    } catch (error) {
      session.logError('Warming the engine up failed (the first analyses are slower)', error);
    }
  }
  // The documents an editor restores at start go first; the builds below leave them to their own analyses.
  await new Promise((resolve) => setTimeout(resolve, BACKGROUND_START_DELAY_MS));
  await work.pause();
  for (const folder of session.folders) work.index(folder);
  // The workspace's findings, in the background too (one file per turn).
  for (const folder of session.folders) work.report(folder);
}
