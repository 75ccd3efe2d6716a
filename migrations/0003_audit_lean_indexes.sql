DROP INDEX "audit_actor_idx";--> statement-breakpoint
DROP INDEX "audit_at_idx";--> statement-breakpoint
CREATE INDEX "audit_at_brin" ON "audit_log" USING brin ("at");