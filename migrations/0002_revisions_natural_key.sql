-- Dropping the surrogate id drops its primary key first; then (indicator, period, revision) becomes the key.
ALTER TABLE "measurement_revisions" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "measurement_revisions" DROP CONSTRAINT "measurement_revisions_uq";--> statement-breakpoint
ALTER TABLE "measurement_revisions" ADD CONSTRAINT "measurement_revisions_pkey" PRIMARY KEY("indicator_id","period","revision");
