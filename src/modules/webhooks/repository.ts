import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { arrayLiteral, type DbOrTx } from '../../db/client.js';
import { agencies, webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.js';
import type { EventRow } from '../changes/repository.js';

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** SQL only: subscriptions and deliveries. Dispatcher statements are in dispatch-sql.ts. */
export const webhookRepository = {
  async insert(tx: DbOrTx, row: Omit<typeof webhookSubscriptions.$inferInsert, 'cursorK' | 'cursorSeq'>) {
    // Events from now on, its own creation included: the cursor starts just below the oldest
    // running transaction (this one counted).
    const [created] = await tx.insert(webhookSubscriptions).values({
      ...row,
      cursorK: sql`LEAST(pg_snapshot_xmin(pg_current_snapshot()), pg_current_xact_id())::text::bigint - 1`,
      cursorSeq: Number.MAX_SAFE_INTEGER,
    }).returning();
    return created;
  },

  /** With the path of its agency (null when it covers every agency), for the scope check. */
  async find(tx: DbOrTx, id: string, forUpdate = false) {
    const q = tx.select({ sub: webhookSubscriptions, path: agencies.path }).from(webhookSubscriptions)
      .leftJoin(agencies, eq(agencies.id, webhookSubscriptions.agencyId))
      .where(eq(webhookSubscriptions.id, id));
    const [row] = forUpdate ? await q.for('update', { of: webhookSubscriptions }) : await q;
    return row;
  },

  async update(tx: DbOrTx, id: string, set: Partial<Pick<SubscriptionRow, 'url' | 'events' | 'status' | 'disabledAt'>>) {
    const [row] = await tx.update(webhookSubscriptions).set({ ...set, updatedAt: new Date() })
      .where(eq(webhookSubscriptions.id, id)).returning();
    return row;
  },

  async remove(tx: DbOrTx, id: string) {
    const [row] = await tx.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).returning();
    return row;
  },

  /** In id order after `after`; `scope`: the caller's agency (subscriptions of its subtree). */
  async list(db: DbOrTx, scope: string | null, after: string | undefined, limit: number) {
    const where: SQL[] = [];
    if (scope) where.push(sql`${scope}::uuid = ANY(${agencies.path})`);
    if (after) where.push(sql`${webhookSubscriptions.id} > ${after}::uuid`);
    const rows = await db.select({ sub: webhookSubscriptions }).from(webhookSubscriptions)
      .leftJoin(agencies, eq(agencies.id, webhookSubscriptions.agencyId))
      .where(and(...where)).orderBy(webhookSubscriptions.id).limit(limit + 1);
    return rows.map((r) => r.sub);
  },

  /** Newest first. */
  async deliveries(db: DbOrTx, subscriptionId: string, before: string | undefined, limit: number) {
    return db.select().from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), before ? lt(webhookDeliveries.id, before) : undefined))
      .orderBy(desc(webhookDeliveries.id)).limit(limit + 1);
  },

  async insertDelivery(db: DbOrTx, row: typeof webhookDeliveries.$inferInsert) {
    const [created] = await db.insert(webhookDeliveries).values(row).returning();
    return created;
  },

  /** Fans events out into pending deliveries of one subscription (a repeat is ignored). */
  async enqueue(tx: DbOrTx, subscriptionId: string, ids: string[], events: EventRow[]) {
    if (!events.length) return;
    const plain = (v: Array<string | number>) => sql.param(arrayLiteral(v.map(String), true));
    await tx.execute(sql`
      INSERT INTO webhook_deliveries (id, subscription_id, event_seq, event_id, entity_key, order_k, order_seq)
      SELECT u.id, ${subscriptionId}::uuid, u.seq, u.event_id, u.entity_key, u.k, u.seq
      FROM unnest(${plain(ids)}::uuid[], ${plain(events.map((e) => e.seq))}::bigint[], ${plain(events.map((e) => e.id))}::uuid[],
        ${sql.param(arrayLiteral(events.map((e) => `${e.entity_type}:${e.entity_id}`)))}::text[], ${plain(events.map((e) => e.k))}::bigint[])
        AS u(id, seq, event_id, entity_key, k)
      ON CONFLICT (subscription_id, event_seq) DO NOTHING`);
  },

  async advance(tx: DbOrTx, subscriptionId: string, cursor: { k: number; s: number }) {
    await tx.update(webhookSubscriptions).set({ cursorK: cursor.k, cursorSeq: cursor.s })
      .where(eq(webhookSubscriptions.id, subscriptionId));
  },
};
