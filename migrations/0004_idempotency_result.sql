ALTER TABLE "idempotency_keys" ADD COLUMN "result" jsonb;
