-- Ranged targets (target rentang): a target is a value or a range [min, max] with 0 < min < max.
ALTER TABLE "targets" ALTER COLUMN "value" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "min_value" numeric(24, 4);
--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "max_value" numeric(24, 4);
--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_value_or_range_chk" CHECK (
  ("value" IS NOT NULL AND "min_value" IS NULL AND "max_value" IS NULL)
  OR ("value" IS NULL AND "min_value" IS NOT NULL AND "max_value" IS NOT NULL AND "min_value" > 0 AND "min_value" < "max_value"));
--> statement-breakpoint
ALTER TABLE "agreement_items" ALTER COLUMN "target" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "agreement_items" ADD COLUMN "target_min" numeric(24, 4);
--> statement-breakpoint
ALTER TABLE "agreement_items" ADD COLUMN "target_max" numeric(24, 4);
--> statement-breakpoint
ALTER TABLE "agreement_items" ADD CONSTRAINT "agreement_items_target_or_range_chk" CHECK (
  ("target" IS NOT NULL AND "target_min" IS NULL AND "target_max" IS NULL)
  OR ("target" IS NULL AND "target_min" IS NOT NULL AND "target_max" IS NOT NULL AND "target_min" > 0 AND "target_min" < "target_max"));
--> statement-breakpoint
-- The national root (kind national): at most one agency.
CREATE UNIQUE INDEX "agencies_one_national_uq" ON "agencies" ((true)) WHERE "kind" = 'national';
--> statement-breakpoint
-- Rencana Aksi: versions per agency and year, items per indicator.
CREATE TABLE "action_plans" (
	"agency_id" uuid NOT NULL REFERENCES "agencies"("id"),
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" text,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_plans_pk" PRIMARY KEY("agency_id","year","version"),
	CONSTRAINT "action_plans_status_chk" CHECK ("status" IN ('draft', 'submitted', 'approved', 'returned'))
);
--> statement-breakpoint
CREATE TABLE "action_plan_items" (
	"agency_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"version" integer NOT NULL,
	"indicator_id" uuid NOT NULL REFERENCES "indicators"("id"),
	"position" integer NOT NULL,
	"q1" numeric(24, 4) NOT NULL,
	"q2" numeric(24, 4) NOT NULL,
	"q3" numeric(24, 4) NOT NULL,
	"q4" numeric(24, 4) NOT NULL,
	"activities" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deviation_reason" text,
	CONSTRAINT "action_plan_items_pk" PRIMARY KEY("agency_id","year","version","indicator_id"),
	CONSTRAINT "action_plan_items_plan_fk" FOREIGN KEY ("agency_id","year","version") REFERENCES "action_plans"("agency_id","year","version") ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX "action_plan_items_indicator_idx" ON "action_plan_items" ("indicator_id");
--> statement-breakpoint
-- Analisis capaian per indicator and year.
CREATE TABLE "analyses" (
	"indicator_id" uuid NOT NULL REFERENCES "indicators"("id"),
	"year" integer NOT NULL,
	"causes" text NOT NULL DEFAULT '',
	"supporting_factors" text NOT NULL DEFAULT '',
	"inhibiting_factors" text NOT NULL DEFAULT '',
	"solutions" text NOT NULL DEFAULT '',
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "analyses_pk" PRIMARY KEY("indicator_id","year")
);
--> statement-breakpoint
-- Lintas sektor: an element contributes to an element of a non-ancestor agency's plan.
CREATE TABLE "crosscutting_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"from_element_id" uuid NOT NULL REFERENCES "elements"("id"),
	"to_element_id" uuid NOT NULL REFERENCES "elements"("id"),
	"from_agency_id" uuid NOT NULL REFERENCES "agencies"("id"),
	"to_agency_id" uuid NOT NULL REFERENCES "agencies"("id"),
	"status" text NOT NULL,
	"note" text,
	"reason" text,
	"created_by" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crosscutting_status_chk" CHECK ("status" IN ('pending', 'accepted', 'rejected'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "crosscutting_open_uq" ON "crosscutting_links" ("from_element_id","to_element_id") WHERE "status" IN ('pending', 'accepted');
--> statement-breakpoint
CREATE INDEX "crosscutting_to_idx" ON "crosscutting_links" ("to_element_id") WHERE "status" = 'accepted';
--> statement-breakpoint
CREATE INDEX "crosscutting_from_agency_idx" ON "crosscutting_links" ("from_agency_id");
--> statement-breakpoint
CREATE INDEX "crosscutting_to_agency_idx" ON "crosscutting_links" ("to_agency_id");
--> statement-breakpoint
CREATE INDEX "elements_supports_gin" ON "elements" USING gin ("supports");
