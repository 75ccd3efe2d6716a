import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../../db/client.js';

/** A delivery claimed for sending, with what is needed to send it. */
export type Claimed = {
  id: string; subscription_id: string; attempt: number; url: string; secret: string; event_seq: string;
  event_id: string; type: string; entity_type: string; entity_id: string; agency_id: string | null; occurred_at: Date | string; data: unknown;
};

/**
 * Claims up to `limit` due deliveries for `leaseMs` (SQL only; the dispatcher sends them). A
 * delivery is due when it is pending, its retry time has come, nobody holds a live lease on it,
 * and no earlier delivery of the same entity to the same subscription is still pending (order per
 * entity). FOR UPDATE SKIP LOCKED: concurrent claimers (other processes) take disjoint rows; the
 * lease, committed with the claim, keeps the rows theirs until it runs out. A claimer that dies
 * leaves its lease to run out, and the delivery is claimed (and sent) again.
 */
export async function claimDue(db: DbOrTx, limit: number, leaseMs: number): Promise<Claimed[]> {
  // The CTE keeps the update to the claimed rows (by primary key) rather than a join over the table.
  return queryRows<Claimed>(db, sql`
    WITH picked AS (
      SELECT c.id FROM webhook_deliveries c
      WHERE c.status = 'pending' AND c.next_at <= now() AND (c.lease_until IS NULL OR c.lease_until < now())
        AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries p
          WHERE p.subscription_id = c.subscription_id AND p.entity_key = c.entity_key AND p.status = 'pending'
            AND (p.order_k, p.order_seq) < (c.order_k, c.order_seq))
      ORDER BY c.next_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE webhook_deliveries d SET attempt = d.attempt + 1, lease_until = now() + make_interval(secs => ${leaseMs / 1000})
      WHERE d.id = ANY(ARRAY(SELECT id FROM picked))
      RETURNING d.id, d.subscription_id, d.attempt, d.event_seq
    )
    SELECT c.id, c.subscription_id, c.attempt, s.url, s.secret, c.event_seq,
      e.id AS event_id, e.type, e.entity_type, e.entity_id, e.agency_id, e.occurred_at, e.data
    FROM claimed c JOIN webhook_subscriptions s ON s.id = c.subscription_id AND s.status = 'active'
    JOIN events e ON e.seq = c.event_seq`);
}
