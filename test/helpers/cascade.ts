import { vi } from 'vitest';
import type { Db } from '../../src/db/client.js';

/**
 * Counts the statements the app sends to the database while `fn` runs: a spy on the query method
 * of the driver client drizzle holds (the node-postgres pool, or the PGlite instance), through
 * which every statement outside a transaction goes.
 */
export async function countQueries<T>(db: Db, fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const client = (db as unknown as { session: { client: { query: (...args: unknown[]) => unknown } } }).session.client;
  const spy = vi.spyOn(client, 'query');
  try {
    const result = await fn();
    return { result, queries: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}
