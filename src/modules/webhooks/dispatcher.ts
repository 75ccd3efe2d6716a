import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import { arrayLiteral, queryRows, type Db } from '../../db/client.js';
import { newId } from '../../db/schema/columns.js';
import { retryDelayMs } from '../../domain/network.js';
import type { Actor } from '../../http/access.js';
import { writeAudit } from '../audit/repository.js';
import { pageOfEvents, readEvents, type EventRow } from '../changes/repository.js';
import { toEventDto } from '../changes/service.js';
import { claimDue, type Claimed } from './dispatch-repository.js';
import { webhookRepository as repo } from './repository.js';
import { createSender, type SendResult } from './sender.js';
import { signedHeaders } from './signature.js';

const FAN_OUT_PAGE = 2000;
const SYSTEM: Actor = { subject: 'system', clientId: 'system', role: 'admin', agencyId: null, requestId: 'webhook-dispatcher' };


export type DispatcherOptions = Pick<Config, 'WEBHOOK_POLL_MS' | 'WEBHOOK_CONCURRENCY' | 'WEBHOOK_TIMEOUT_MS'
  | 'WEBHOOK_RETRY_BASE_MS' | 'WEBHOOK_RETRY_MAX_MS' | 'WEBHOOK_RETRY_WINDOW_MS' | 'WEBHOOK_ALLOW_PRIVATE'>;

/**
 * The webhook dispatcher of one process (docs/events.md). Each round:
 * 1. fan-out: for each active subscription it can lock (FOR UPDATE SKIP LOCKED: one process per
 *    subscription at a time), the events past its cursor that the subscription may see become
 *    pending deliveries, and the cursor moves on, in one transaction;
 * 2. delivery: due deliveries that are first in line for their (subscription, entity) are claimed
 *    with FOR UPDATE SKIP LOCKED and a lease, sent with bounded concurrency and a timeout, then
 *    recorded: delivered, or retried later with exponential backoff; after the retry window the
 *    subscription is disabled and a `webhook.disabled` event is recorded. A process that dies
 *    mid-delivery leaves a lease that runs out: the delivery is sent again (at least once).
 */
export function webhookDispatcher(db: Db, opts: DispatcherOptions, log?: FastifyBaseLogger) {
  const sender = createSender({ timeoutMs: opts.WEBHOOK_TIMEOUT_MS, allowPrivate: opts.WEBHOOK_ALLOW_PRIVATE });
  const perWorker = 16;
  const claimSize = opts.WEBHOOK_CONCURRENCY * perWorker;
  // Long enough for a whole claimed batch to be sent through the pool, a timeout each.
  const leaseMs = opts.WEBHOOK_TIMEOUT_MS * perWorker + 30_000;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let current: Promise<unknown> | null = null;

  /** One fan-out pass; answers whether some subscription has more events waiting. */
  async function fanOut(): Promise<boolean> {
    return db.transaction(async (tx) => {
      const subs = await queryRows<{ id: string; events: string[]; agency_id: string | null; owner_agency_id: string | null; cursor_k: string; cursor_seq: string }>(tx, sql`
        SELECT s.id, s.events, s.agency_id, s.owner_agency_id, s.cursor_k, s.cursor_seq
        FROM webhook_subscriptions s
        WHERE s.status = 'active' AND EXISTS (SELECT 1 FROM clients c WHERE c.client_id = s.owner_client_id AND c.revoked_at IS NULL)
        ORDER BY s.updated_at LIMIT 50 FOR UPDATE OF s SKIP LOCKED`);
      let more = false;
      for (const s of subs) {
        const after = { k: Number(s.cursor_k), s: Number(s.cursor_seq) };
        const { rows, horizon } = await readEvents(tx, {
          after, limit: FAN_OUT_PAGE, types: s.events.includes('*') ? undefined : s.events,
          within: [s.agency_id, s.owner_agency_id].filter((a): a is string => a !== null),
        });
        const { page, next } = pageOfEvents(rows, horizon, after, FAN_OUT_PAGE);
        await repo.enqueue(tx, s.id, page.map(() => newId()), page);
        if (next.k !== after.k || next.s !== after.s) await repo.advance(tx, s.id, next);
        if (rows.length > FAN_OUT_PAGE) more = true;
      }
      return more;
    });
  }

  const claim = () => claimDue(db, claimSize, leaseMs);

  async function send(d: Claimed): Promise<SendResult> {
    const body = JSON.stringify(toEventDto({ ...d, id: d.event_id, seq: Number(d.event_seq), k: 0 } as EventRow));
    return sender.post(d.url, body, signedHeaders(d.secret, d.event_id, body));
  }

  /** Records the outcome of a claimed batch in one statement; disables exhausted subscriptions. */
  async function record(batch: Claimed[], results: SendResult[]) {
    const plain = (v: Array<string | number | boolean>) => sql.param(arrayLiteral(v.map(String), true));
    // By primary key (= ANY), each row's outcome found by its position in the arrays.
    const at = sql`array_position(${plain(batch.map((d) => d.id))}::uuid[], d.id)`;
    const oks = sql`(${plain(results.map((r) => r.ok))}::boolean[])[${at}]`;
    const outcome = await queryRows<{ subscription_id: string; status: string }>(db, sql`
      UPDATE webhook_deliveries d SET
        status = CASE WHEN ${oks} THEN 'delivered'
          WHEN COALESCE(d.first_failed_at, now()) <= now() - make_interval(secs => ${opts.WEBHOOK_RETRY_WINDOW_MS / 1000}) THEN 'failed'
          ELSE 'pending' END,
        response_status = (${sql.param(arrayLiteral(results.map((r) => (r.status === null ? null : String(r.status)))))}::int[])[${at}],
        error = NULLIF((${sql.param(arrayLiteral(results.map((r) => r.error ?? '')))}::text[])[${at}], ''),
        at = now(), lease_until = NULL,
        first_failed_at = CASE WHEN ${oks} THEN d.first_failed_at ELSE COALESCE(d.first_failed_at, now()) END,
        next_at = CASE WHEN ${oks} THEN d.next_at
          ELSE now() + make_interval(secs => (${plain(batch.map((d) => retryDelayMs(d.attempt, opts.WEBHOOK_RETRY_BASE_MS, opts.WEBHOOK_RETRY_MAX_MS)))}::bigint[])[${at}] / 1000.0) END
      WHERE d.id = ANY(${plain(batch.map((d) => d.id))}::uuid[])
        AND d.attempt = (${plain(batch.map((d) => d.attempt))}::int[])[${at}]
      RETURNING d.subscription_id, d.status`);
    const exhausted = [...new Set(outcome.filter((o) => o.status === 'failed').map((o) => o.subscription_id))];
    for (const id of exhausted) await disable(id);
  }

  async function disable(id: string) {
    await db.transaction(async (tx) => {
      const row = await repo.find(tx, id, true);
      if (!row || row.sub.status !== 'active') return;
      const after = await repo.update(tx, id, { status: 'disabled', disabledAt: new Date() });
      await writeAudit(tx, SYSTEM, {
        action: 'webhook.disable', entityType: 'webhook', entityId: id, agencyId: after.agencyId ?? after.ownerAgencyId,
        before: { status: 'active' }, after: { id, status: 'disabled', reason: 'deliveries failed for the whole retry window' },
      });
    });
    log?.warn({ subscription: id }, 'webhook subscription disabled after failing for the retry window');
  }

  /** Sends one claimed batch through a pool of WEBHOOK_CONCURRENCY workers. */
  async function deliver(batch: Claimed[]) {
    const results: SendResult[] = new Array(batch.length);
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const i = next++;
        results[i] = await send(batch[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.WEBHOOK_CONCURRENCY, batch.length) }, worker));
    await record(batch, results);
  }

  /** Work until nothing is due (bounded); answers how many deliveries were attempted. */
  async function runOnce(): Promise<number> {
    let attempted = 0;
    // Idle service: one cheap read per poll, no transaction.
    const [active] = await queryRows<{ any: boolean }>(db, sql`SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE status = 'active') AS any`);
    if (!active.any) return 0;
    for (let round = 0; round < 100 && !stopped; round++) {
      const more = await fanOut();
      const batch = await claim();
      if (batch.length) await deliver(batch);
      attempted += batch.length;
      if (!more && batch.length < claimSize) break;
    }
    return attempted;
  }

  const loop = () => {
    timer = null;
    if (stopped) return;
    current = runOnce()
      .catch((err) => log?.error({ err }, 'webhook dispatch round failed'))
      .finally(() => {
        current = null;
        if (!stopped) timer = setTimeout(loop, opts.WEBHOOK_POLL_MS).unref();
      });
  };

  return {
    start() {
      stopped = false;
      if (!timer && !current) timer = setTimeout(loop, opts.WEBHOOK_POLL_MS).unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current;
      sender.close();
    },
    runOnce,
    fanOut,
    /** For the test delivery: one signed message, sent now. */
    sendMessage: (url: string, secret: string, id: string, body: string) => sender.post(url, body, signedHeaders(secret, id, body)),
  };
}

export type WebhookDispatcher = ReturnType<typeof webhookDispatcher>;
