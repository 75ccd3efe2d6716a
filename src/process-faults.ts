import { isDatabaseError } from './db/errors.js';

type FaultDeps = {
  log: { error(obj: object, msg: string): void };
  /** Closes the server gracefully (finishing requests in flight). */
  close(): Promise<void>;
  exit(code: number): void;
  graceMs?: number;
};

/**
 * What the process does with an uncaught exception or an unhandled rejection. One from the
 * database (a dropped connection, a background clean-up that failed) is logged and the process
 * serves on: requests answer 503 until the database is back, and /readyz says so. Anything else
 * is a bug that may have left the process in a bad state: close gracefully and exit 1, so that a
 * supervisor starts a clean one.
 */
export function processFaultHandler({ log, close, exit, graceMs = 15_000 }: FaultDeps) {
  let closing = false;
  return (origin: 'uncaughtException' | 'unhandledRejection') => (err: unknown) => {
    if (isDatabaseError(err)) {
      log.error({ err, origin }, 'database error outside a request; still serving');
      return;
    }
    log.error({ err, origin }, 'closing after an error');
    if (closing) return exit(1);
    closing = true;
    setTimeout(() => exit(1), graceMs).unref();
    close().finally(() => exit(1));
  };
}
