import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { writeGate } from '../../db/gate.js';
import { newId } from '../../db/schema/columns.js';
import { inScope, type Actor } from '../../http/access.js';
import { assertIfMatch } from '../../http/etag.js';
import { decodeIdCursor, pageOf } from '../../http/pagination.js';
import { badRequest, notFound } from '../../http/problem.js';
import type { WebhookDispatcher } from './dispatcher.js';
import { webhookRepository as repo, type DeliveryRow, type SubscriptionRow } from './repository.js';
import { checkTarget } from './sender.js';
import { newSecret } from './signature.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toWebhookDto = (s: SubscriptionRow) => ({
  id: s.id, url: s.url, events: s.events, agencyId: s.agencyId, status: s.status,
  disabledAt: iso(s.disabledAt), createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(),
});

/** What audit entries (and so change events, which viewers in scope read) say about a
 * subscription: its URL without user info and query, where receivers often put a token. */
const auditView = (dto: ReturnType<typeof toWebhookDto>) => {
  const u = new URL(dto.url);
  return { ...dto, url: `${u.protocol}//${u.host}${u.pathname}` };
};

export const toDeliveryDto = (d: DeliveryRow) => ({
  id: d.id, eventId: d.eventId, attempt: d.attempt, status: d.status, responseStatus: d.responseStatus,
  error: d.error, at: iso(d.at), nextAt: d.status === 'pending' ? iso(d.nextAt) : null,
});

/** Webhook subscriptions (API.md "Changes and webhooks"): admins, and operators in their scope. */
export function webhookService(db: Db, dispatcher: WebhookDispatcher, opts: { allowPrivate: boolean }) {
  const gate = writeGate(db);

  async function safeUrl(url: string) {
    try {
      await checkTarget(url, opts.allowPrivate);
    } catch (err) {
      const message = (err as Error).message;
      throw badRequest(`The webhook URL cannot be used: ${message}`, [{ path: 'url', message }]);
    }
  }

  /** A subscription the caller may manage: 404 otherwise (also for one covering every agency
   * when the caller is scoped). */
  const visible = (actor: Actor, row: Awaited<ReturnType<typeof repo.find>>) => {
    if (!row) throw notFound('Webhook');
    if (actor.agencyId !== null && !(row.path && inScope(actor, row.path))) throw notFound('Webhook');
    return row.sub;
  };

  return {
    async create(actor: Actor, body: { url: string; events: string[]; agencyId?: string }) {
      await safeUrl(body.url);
      return gate.run(actor, async (w) => {
        const agencyId = body.agencyId ?? actor.agencyId;
        if (agencyId) await w.agency(agencyId);
        const secret = newSecret();
        const row = await repo.insert(w.tx, {
          url: body.url, events: [...new Set(body.events)], agencyId, ownerClientId: actor.clientId, ownerAgencyId: actor.agencyId, secret,
        });
        const dto = toWebhookDto(row);
        await w.audit({ action: 'webhook.create', entityType: 'webhook', entityId: row.id, agencyId, after: auditView(dto) });
        return { ...dto, secret };
      });
    },

    async get(actor: Actor, id: string) {
      return toWebhookDto(visible(actor, await repo.find(db, id)));
    },

    async list(actor: Actor, q: { cursor?: string; limit: number }) {
      const rows = await repo.list(db, actor.agencyId, decodeIdCursor(q.cursor), q.limit);
      return pageOf(rows, q.limit, (r) => r.id, toWebhookDto);
    },

    async update(actor: Actor, id: string, ifMatch: string | undefined, patch: { url?: string; events?: string[]; status?: 'active' | 'disabled' }) {
      if (patch.url) await safeUrl(patch.url);
      return gate.run(actor, async (w) => {
        const current = visible(actor, await repo.find(w.tx, id, true));
        const before = toWebhookDto(current);
        assertIfMatch(ifMatch, before);
        const status = patch.status ?? current.status;
        const row = await repo.update(w.tx, id, {
          url: patch.url ?? current.url,
          events: patch.events ? [...new Set(patch.events)] : current.events,
          status,
          disabledAt: status === 'disabled' ? (current.disabledAt ?? new Date()) : null,
        });
        if (current.status === 'disabled' && status === 'active') {
          // Deliveries given up on when it was disabled are tried again (at least once).
          await w.tx.execute(sql`UPDATE webhook_deliveries SET status = 'pending', next_at = now(), first_failed_at = NULL
            WHERE subscription_id = ${id}::uuid AND status = 'failed' AND event_seq IS NOT NULL`);
        }
        const after = toWebhookDto(row);
        await w.audit({ action: 'webhook.update', entityType: 'webhook', entityId: id, agencyId: row.agencyId, before: auditView(before), after: auditView(after) });
        return after;
      });
    },

    async remove(actor: Actor, id: string, ifMatch: string | undefined) {
      await gate.run(actor, async (w) => {
        const current = visible(actor, await repo.find(w.tx, id, true));
        assertIfMatch(ifMatch, toWebhookDto(current));
        await repo.remove(w.tx, id);
        await w.audit({ action: 'webhook.delete', entityType: 'webhook', entityId: id, agencyId: current.agencyId, before: auditView(toWebhookDto(current)) });
      });
    },

    async deliveries(actor: Actor, id: string, q: { cursor?: string; limit: number }) {
      visible(actor, await repo.find(db, id));
      const rows = await repo.deliveries(db, id, decodeIdCursor(q.cursor), q.limit);
      return pageOf(rows, q.limit, (r) => r.id, toDeliveryDto);
    },

    /** Sends a signed `webhook.test` message now and logs it as a delivery. */
    async test(actor: Actor, id: string) {
      const sub = visible(actor, await repo.find(db, id));
      const messageId = newId();
      const body = JSON.stringify({
        id: messageId, type: 'webhook.test', entityType: 'webhook', entityId: sub.id, agencyId: sub.agencyId,
        occurredAt: new Date().toISOString(), data: { message: 'Test delivery from sakip' },
      });
      const result = await dispatcher.sendMessage(sub.url, sub.secret, messageId, body);
      const row = await repo.insertDelivery(db, {
        subscriptionId: sub.id, entityKey: 'webhook.test', orderK: 0, orderSeq: 0,
        status: result.ok ? 'delivered' : 'failed', attempt: 1, responseStatus: result.status, error: result.error, at: new Date(),
      });
      return toDeliveryDto(row);
    },
  };
}
