/**
 * The write gate: the one unit of work every write goes through (STYLE "One write gate").
 *
 * `gate.run(actor, fn)` opens one transaction and hands `fn` a `WriteUnit`. Inside it:
 * - scope and the period-lock protocol: `w.agency(id, periods)` loads the agency (404 outside the
 *   caller's scope), takes the writers' KEY SHARE lock on its row and refuses a locked period with
 *   `period-locked`; `w.lockAgency(id)` is the FOR UPDATE side that lock, unlock and report
 *   submission take, so they wait for writes in flight and every later write sees their result;
 * - `w.audit(...)` writes the audit rows (and the change events) of the change;
 * - the Idempotency-Key of the request (see src/http/idempotency.ts) is claimed in the same
 *   transaction and its result stored with the work: the key and the work commit or roll back
 *   together, so a crash never strands a key, and a retry replays the committed result.
 */
import { sql } from 'drizzle-orm';
import { agencies, idempotencyKeys } from './schema/index.js';
import { driverOf, queryRows, type Db, type Tx } from './client.js';
import { isSerializationFailure, isUniqueViolation } from './errors.js';
import { inScope, type Actor } from '../http/access.js';
import { Problem, notFound, periodLocked } from '../http/problem.js';
import { writeAudit, type AuditEntry } from '../modules/audit/repository.js';
import { coveringPeriods, lockedPairs } from '../modules/locks/repository.js';

type AgencyRow = typeof agencies.$inferSelect;

/** The Idempotency-Key of the current request, set by the idempotency plugin on `actor.idempotency`. */
export type IdempotencyClaim = {
  owner: string;
  key: string;
  requestHash: string;
  /** A committed result found for the key: the gate answers it instead of doing the work again. */
  replay?: { result: unknown };
  /** The gate has claimed (or replayed) the key in this request; later units run without it. */
  settled?: boolean;
  /** Another attempt with this key is live: the 409 told to this one is not the key's answer. */
  inFlight?: boolean;
};

export type WriteUnit = {
  tx: Tx;
  actor: Actor;
  /** The agency the write is for: 404 outside the caller's scope; share-locks the agency row
   * (writers' side of the lock protocol) and refuses with `period-locked` when any of `periods`
   * (`YYYY`, `YYYYQn` or a year number; a quarter is locked by itself or its year) is locked. */
  agency(agencyId: string, periods?: ReadonlyArray<string | number>): Promise<AgencyRow>;
  /** The lock check of `agency()` for an agency already loaded (or checked for scope otherwise). */
  assertOpen(agencyId: string, periods: ReadonlyArray<string | number>, agencyCode?: string): Promise<void>;
  /** For batches: which `agencyId|period` pairs are locked (one query; share-locks the agencies). */
  lockedPairs(pairs: Array<{ agencyId: string; period: string }>): Promise<Set<string>>;
  /** The FOR UPDATE side of the protocol (period locks, unlocks, report submissions): waits for
   * the writes in flight on the agency to commit. Scope-checked like `agency()`. */
  lockAgency(agencyId: string): Promise<AgencyRow>;
  /** The audit rows of this change, written in this transaction. */
  audit(entry: AuditEntry | AuditEntry[]): Promise<void>;
};

export type RunOptions = {
  /** Retry the whole unit when it lost a race (unique violation of two first writers, deadlock). */
  retry?: boolean;
  /** false: this unit is one of several transactions of a request (chunks of a batch); the key is
   * recorded by `gate.exclusive` around them instead. */
  idempotent?: boolean;
};

/** A duplicate of a request that is still being worked on (same client and Idempotency-Key). */
export const idempotencyInFlight = () =>
  new Problem('conflict', 'A request with this Idempotency-Key is still being processed; retry shortly', {}, { retryAfter: 1 });

const reuse = () => new Problem('idempotency-key-reuse', 'This Idempotency-Key was used with a different request; use a new key');

/** JSON as stored: what a replay gets back, so the first answer is built from the same value. */
const asStored = <T>(result: T): T => (result === undefined ? result : JSON.parse(JSON.stringify(result)));

const lockKey = (c: IdempotencyClaim) => sql`hashtextextended(${`${c.owner}\n${c.key}`}::text, 0)`;

/**
 * Claims the key in `tx`: a transaction-scoped advisory lock says "an attempt is live" (a dead
 * attempt's lock went with its connection, so a retry never waits for it), and the key row is
 * inserted uncommitted. Answers the stored result when the key was completed meanwhile.
 */
async function claim(tx: Tx, c: IdempotencyClaim): Promise<{ stored: unknown } | null> {
  const [got] = await queryRows<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${lockKey(c)}) AS ok`);
  if (!got.ok) {
    c.inFlight = true;
    throw idempotencyInFlight();
  }
  const inserted = await tx.insert(idempotencyKeys).values({ owner: c.owner, key: c.key, requestHash: c.requestHash })
    .onConflictDoNothing().returning({ key: idempotencyKeys.key });
  if (inserted.length) return null;
  const [prior] = await queryRows<{ request_hash: string; result: unknown }>(tx, sql`
    SELECT request_hash, result FROM ${idempotencyKeys} WHERE owner = ${c.owner} AND key = ${c.key}`);
  if (prior.request_hash !== c.requestHash) throw reuse();
  return { stored: prior.result };
}

async function record(tx: Tx, c: IdempotencyClaim, result: unknown): Promise<void> {
  await tx.execute(sql`UPDATE ${idempotencyKeys} SET result = ${JSON.stringify(result ?? null)}::jsonb
    WHERE owner = ${c.owner} AND key = ${c.key}`);
}

const toPeriod = (p: string | number) => String(p);

function unitOf(tx: Tx, actor: Actor): WriteUnit {
  async function load(agencyId: string, mode: 'KEY SHARE' | 'UPDATE'): Promise<AgencyRow> {
    const [row] = mode === 'UPDATE'
      ? await tx.select().from(agencies).where(sql`${agencies.id} = ${agencyId}`).for('update')
      : await tx.select().from(agencies).where(sql`${agencies.id} = ${agencyId}`).for('key share');
    if (!row || !inScope(actor, row.path)) throw notFound('Agency');
    return row;
  }

  async function assertOpen(agencyId: string, periods: ReadonlyArray<string | number>, agencyCode?: string) {
    if (!periods.length) return;
    const wanted = [...new Set(periods.map(toPeriod))];
    const covering = [...new Set(wanted.flatMap(coveringPeriods))];
    const rows = await queryRows<{ period: string }>(tx, sql`
      SELECT period FROM period_locks WHERE agency_id = ${agencyId}::uuid AND period = ANY(${sql.param(covering)}::text[]) FOR SHARE`);
    if (!rows.length) return;
    const held = new Set(rows.map((r) => r.period));
    const hit = wanted.find((p) => coveringPeriods(p).some((c) => held.has(c)))!;
    throw periodLocked(hit, agencyCode);
  }

  return {
    tx,
    actor,
    async agency(agencyId, periods = []) {
      const row = await load(agencyId, 'KEY SHARE');
      await assertOpen(agencyId, periods, row.code);
      return row;
    },
    assertOpen: async (agencyId, periods, agencyCode) => {
      // Writers share-lock the agency first (see lockAgency); agency() does it while loading.
      await queryRows(tx, sql`SELECT 1 FROM agencies WHERE id = ${agencyId}::uuid FOR KEY SHARE`);
      await assertOpen(agencyId, periods, agencyCode);
    },
    lockedPairs: (pairs) => lockedPairs(tx, pairs),
    lockAgency: (agencyId) => load(agencyId, 'UPDATE'),
    audit: (entry) => writeAudit(tx, actor, entry),
  };
}

/** Retries a unit that lost a race (two first writers of one row, a deadlock). */
async function withRetry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !(isUniqueViolation(err) || isSerializationFailure(err))) throw err;
    }
  }
}

export function writeGate(db: Db) {
  const driver = driverOf(db);
  const claimOf = (actor: Actor, opts: RunOptions) =>
    (opts.idempotent === false || !actor.idempotency || actor.idempotency.settled ? null : actor.idempotency);

  return {
    /** Runs `fn` as one unit of work: one transaction with scope, locks, audit and the request's
     * Idempotency-Key. Answers what `fn` answers (as stored JSON when the request has a key). */
    async run<T>(actor: Actor, fn: (w: WriteUnit) => Promise<T>, opts: RunOptions = {}): Promise<T> {
      const claimed = claimOf(actor, opts);
      if (claimed?.replay) {
        claimed.settled = true;
        return claimed.replay.result as T;
      }
      const attempt = () => db.transaction(async (tx) => {
        if (claimed) {
          const prior = await claim(tx, claimed);
          if (prior) return prior.stored as T;
        }
        const result = await fn(unitOf(tx, actor));
        if (!claimed) return result;
        const stored = asStored(result);
        await record(tx, claimed, stored);
        return stored;
      });
      const result = opts.retry ? await withRetry(attempt) : await attempt();
      if (claimed) claimed.settled = true;
      return result;
    },

    /**
     * For work made of several transactions (a chunked batch, each chunk a `run(..., {idempotent:
     * false})`): the request's key is held for the whole work and recorded with its result at the
     * end. On PostgreSQL a holder transaction keeps the key's advisory lock, so a concurrent
     * duplicate gets 409 and a crashed attempt frees the key at once (its connection is gone); the
     * key row commits only with the complete result. A retry after a crash redoes the work, which
     * the caller must make safe to repeat (the batch: rows already written are `unchanged`).
     */
    async exclusive<T>(actor: Actor, fn: () => Promise<T>): Promise<T> {
      const claimed = claimOf(actor, {});
      if (!claimed) return fn();
      if (claimed.replay) {
        claimed.settled = true;
        return claimed.replay.result as T;
      }
      claimed.settled = true; // the units inside must not claim it
      if (driver === 'pglite') {
        // One connection, one process (the data directory is exclusive): no duplicate can run
        // alongside, and a holder transaction would block the work's own transactions.
        const result = asStored(await fn());
        return db.transaction(async (tx) => {
          const prior = await claim(tx, claimed);
          if (prior) return prior.stored as T;
          await record(tx, claimed, result);
          return result;
        });
      }
      return db.transaction(async (tx) => {
        const prior = await claim(tx, claimed);
        if (prior) return prior.stored as T;
        const result = asStored(await fn());
        await record(tx, claimed, result);
        return result;
      });
    },
  };
}

export type WriteGate = ReturnType<typeof writeGate>;
