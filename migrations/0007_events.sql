-- Change events for integrators (outbox), derived from audit rows by a statement-level trigger, so
-- every write path (the gate, writeAudit, set-based batch SQL) records its events in the same
-- transaction as the change. See docs/events.md for the ordering and exactly-once argument.
CREATE TABLE "events" (
  "seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "txid" bigint NOT NULL,
  "k" bigint NOT NULL,
  "type" text NOT NULL,
  "entity_type" text NOT NULL,
  "entity_id" text NOT NULL,
  "agency_id" uuid,
  "occurred_at" timestamptz NOT NULL,
  "data" jsonb
);
--> statement-breakpoint
CREATE INDEX "events_order_idx" ON "events" ("k", "seq");
--> statement-breakpoint
CREATE INDEX "events_entity_idx" ON "events" ("entity_id", "entity_type", "k");
--> statement-breakpoint
-- `<entity>.<verb>` audit action -> `<entity>.<past tense>` event type.
CREATE FUNCTION "event_type"(action text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE action
    WHEN 'lock.create' THEN 'period.locked'
    WHEN 'lock.delete' THEN 'period.unlocked'
    WHEN 'recommendation.status' THEN 'recommendation.status_changed'
    WHEN 'evaluation.answers' THEN 'evaluation.answered'
    WHEN 'indicator.update-rules' THEN 'indicator.updated'
    ELSE replace(split_part(action, '.', 1), '-', '_') || '.' || (
      SELECT CASE
        WHEN v IN ('set', 'reset') THEN v
        WHEN v ~ '(submit|commit|admit|permit|omit|emit)$' THEN v || 'ted'
        WHEN v ~ 'e$' THEN v || 'd'
        WHEN v ~ '[^aeiou]y$' THEN left(v, -1) || 'ied'
        WHEN v ~ 'ed$' THEN v
        ELSE v || 'ed'
      END
      FROM (SELECT replace(substr(action, length(split_part(action, '.', 1)) + 2), '-', '_') AS v) verb)
  END
$$;
--> statement-breakpoint
CREATE FUNCTION "events_from_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  me bigint := pg_current_xact_id()::text::bigint;
BEGIN
  -- k: this transaction's id, raised to the k of the entity's previous event. A later revision of an
  -- entity is written under the row lock the earlier one held until it committed, so it sees that
  -- event here: per entity, (k, seq) follows the revision order even when xids do not.
  -- The type is computed once per distinct action (a batch has one or two), not per row.
  INSERT INTO events (txid, k, type, entity_type, entity_id, agency_id, occurred_at, data)
  SELECT me, GREATEST(me, COALESCE(p.k, 0)), t.type, n.entity_type, n.entity_id, n.agency_id, n.at,
    CASE WHEN pg_column_size(COALESCE(n.after, n.before)) > 16384 THEN jsonb_build_object('truncated', true)
      ELSE COALESCE(n.after, n.before) END
  FROM new_audit n
  JOIN (SELECT a.action, event_type(a.action) AS type FROM (SELECT DISTINCT action FROM new_audit) a) t ON t.action = n.action
  LEFT JOIN LATERAL (
    SELECT e.k FROM events e WHERE e.entity_id = n.entity_id AND e.entity_type = n.entity_type ORDER BY e.k DESC LIMIT 1
  ) p ON true
  WHERE n.entity_type <> 'client'
  ORDER BY n.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_events" AFTER INSERT ON "audit_log"
  REFERENCING NEW TABLE AS new_audit FOR EACH STATEMENT EXECUTE FUNCTION events_from_audit();
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
  "id" uuid PRIMARY KEY,
  "url" text NOT NULL,
  "events" text[] NOT NULL,
  "agency_id" uuid REFERENCES "agencies"("id"),
  "owner_client_id" text NOT NULL,
  "owner_agency_id" uuid REFERENCES "agencies"("id"),
  "secret" text NOT NULL,
  "status" text NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'disabled')),
  "cursor_k" bigint NOT NULL,
  "cursor_seq" bigint NOT NULL,
  "disabled_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
  "id" uuid PRIMARY KEY,
  "subscription_id" uuid NOT NULL REFERENCES "webhook_subscriptions"("id") ON DELETE CASCADE,
  "event_seq" bigint,
  "event_id" uuid,
  "entity_key" text NOT NULL,
  "order_k" bigint NOT NULL,
  "order_seq" bigint NOT NULL,
  "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'delivered', 'failed')),
  "attempt" integer NOT NULL DEFAULT 0,
  "next_at" timestamptz NOT NULL DEFAULT now(),
  "lease_until" timestamptz,
  "first_failed_at" timestamptz,
  "response_status" integer,
  "error" text,
  "at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_uq" ON "webhook_deliveries" ("subscription_id", "event_seq");
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_at") WHERE "status" = 'pending';
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_chain_idx" ON "webhook_deliveries" ("subscription_id", "entity_key", "order_k", "order_seq") WHERE "status" = 'pending';
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_list_idx" ON "webhook_deliveries" ("subscription_id", "id");
