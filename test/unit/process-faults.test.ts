import { describe, expect, it, vi } from 'vitest';
import { processFaultHandler } from '../../src/process-faults.js';

function harness() {
  const log = { error: vi.fn() };
  const close = vi.fn(() => Promise.resolve());
  const exit = vi.fn();
  return { log, close, exit, onFault: processFaultHandler({ log, close, exit, graceMs: 60_000 }) };
}

describe('faults outside requests', () => {
  it('a database error is logged and the process serves on', async () => {
    const h = harness();
    const dropped = Object.assign(new Error('Failed query: delete from "idempotency_keys"'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    h.onFault('unhandledRejection')(dropped);
    h.onFault('uncaughtException')(new Error('Connection terminated unexpectedly'));
    await Promise.resolve();
    expect(h.log.error).toHaveBeenCalledTimes(2);
    expect(h.close).not.toHaveBeenCalled();
    expect(h.exit).not.toHaveBeenCalled();
  });

  it('anything else closes gracefully and exits 1', async () => {
    const h = harness();
    h.onFault('unhandledRejection')(new TypeError('undefined is not a function'));
    expect(h.close).toHaveBeenCalledTimes(1);
    await new Promise((r) => setImmediate(r));
    expect(h.exit).toHaveBeenCalledWith(1);
  });
});
