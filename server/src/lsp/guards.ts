import { ResponseError } from 'vscode-languageserver';

/**
 * Every handler goes through one of these: a failure is logged, the server keeps serving. A
 * request's protocol error (cancelled, content modified) is its answer and passes through.
 */

export type LogError = (what: string, error: unknown) => void;

/** A notification handler that logs what it throws or rejects with. */
export function guarded<A extends unknown[]>(logError: LogError, what: string, handler: (...args: A) => void | Promise<void>): (...args: A) => void {
  return (...args) => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) result.catch((error: unknown) => logError(`${what} failed`, error));
    } catch (error) {
      logError(`${what} failed`, error);
    }
  };
}

/** A request's answer, or `fallback` (logged) when computing it failed for any reason but a protocol error. */
export async function guardedRequest<R>(logError: LogError, what: string, fallback: R, handler: () => R | Promise<R>): Promise<R> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof ResponseError) throw error;
    logError(`${what} failed`, error);
    return fallback;
  }
}
