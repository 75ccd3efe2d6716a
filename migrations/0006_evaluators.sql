-- Self-assessment (nilai mandiri): the agency's own answer per criterion, with its evidence (bukti dukung).
CREATE TABLE "evaluation_self_answers" (
	"evaluation_id" uuid NOT NULL REFERENCES "evaluations"("id"),
	"criterion_id" text NOT NULL,
	"answer" text NOT NULL,
	"note" text,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "evaluation_self_answers_pkey" PRIMARY KEY ("evaluation_id", "criterion_id")
);
--> statement-breakpoint
-- Due dates of a year (dates in WIB); a year without a row uses the defaults of src/domain/schedule.ts.
CREATE TABLE "schedules" (
	"year" integer PRIMARY KEY NOT NULL,
	"q1_due" date NOT NULL,
	"q2_due" date NOT NULL,
	"q3_due" date NOT NULL,
	"q4_due" date NOT NULL,
	"report_due_regional" date NOT NULL,
	"report_due_central" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
-- Region summaries read final evaluations by year.
CREATE INDEX "evaluations_year_idx" ON "evaluations" ("year", "status");
