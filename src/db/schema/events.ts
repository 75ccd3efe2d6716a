import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id, updatedAt } from './columns.js';
import { agencies } from './core.js';

/**
 * Change events for integrators (the outbox). Rows are written only by the `audit_log_events`
 * trigger (migration 0007_events), in the transaction of the audited change. `seq` is the insertion
 * order; `k` is the ordering horizon key (the writing transaction's id, raised to the entity's
 * previous event's `k`): the changes feed hands out events ordered by (k, seq) with k below the
 * oldest transaction still running. docs/events.md has the argument.
 */
export const events = pgTable('events', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  id: uuid('id').notNull().default(sql`gen_random_uuid()`),
  txid: bigint('txid', { mode: 'number' }).notNull(),
  k: bigint('k', { mode: 'number' }).notNull(),
  type: text('type').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  agencyId: uuid('agency_id'),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  data: jsonb('data'),
}, (t) => [
  index('events_order_idx').on(t.k, t.seq),
]);

export const WEBHOOK_STATUSES = ['active', 'disabled'] as const;

/** A webhook subscription. `ownerAgencyId` is the scope of the client that made it (null = all):
 * it only receives what that client could read. `cursorK`/`cursorSeq`: how far its events have
 * been fanned out into deliveries. The secret is kept to sign deliveries and never answered again. */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: id(),
  url: text('url').notNull(),
  events: text('events').array().notNull(),
  agencyId: uuid('agency_id').references(() => agencies.id),
  ownerClientId: text('owner_client_id').notNull(),
  ownerAgencyId: uuid('owner_agency_id').references(() => agencies.id),
  secret: text('secret').notNull(),
  status: text('status', { enum: WEBHOOK_STATUSES }).notNull().default('active'),
  cursorK: bigint('cursor_k', { mode: 'number' }).notNull(),
  cursorSeq: bigint('cursor_seq', { mode: 'number' }).notNull(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One event to one subscription (or a test message: no event). `attempt` counts the tries. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: id(),
  subscriptionId: uuid('subscription_id').notNull().references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
  eventSeq: bigint('event_seq', { mode: 'number' }),
  eventId: uuid('event_id'),
  entityKey: text('entity_key').notNull(),
  orderK: bigint('order_k', { mode: 'number' }).notNull(),
  orderSeq: bigint('order_seq', { mode: 'number' }).notNull(),
  status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
  attempt: integer('attempt').notNull().default(0),
  nextAt: timestamp('next_at', { withTimezone: true }).notNull().defaultNow(),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  firstFailedAt: timestamp('first_failed_at', { withTimezone: true }),
  responseStatus: integer('response_status'),
  error: text('error'),
  at: timestamp('at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('webhook_deliveries_event_uq').on(t.subscriptionId, t.eventSeq),
  index('webhook_deliveries_due_idx').on(t.nextAt).where(sql`${t.status} = 'pending'`),
  index('webhook_deliveries_chain_idx').on(t.subscriptionId, t.entityKey, t.orderK, t.orderSeq).where(sql`${t.status} = 'pending'`),
  index('webhook_deliveries_list_idx').on(t.subscriptionId, t.id),
]);
