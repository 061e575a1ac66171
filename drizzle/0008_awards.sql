CREATE TABLE "awards" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"firm_id" integer NOT NULL,
	"rank" integer NOT NULL,
	"amount_fen" bigint,
	"promised_days" integer,
	"status" text NOT NULL,
	"offered_at" timestamp with time zone,
	"respond_by" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"reason" text,
	CONSTRAINT "awards_status_check" CHECK ("awards"."status" in ('offered', 'accepted', 'declined', 'lapsed', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "result_objections" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"firm_id" integer NOT NULL,
	"grounds" text NOT NULL,
	"filed_by" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"decision" text,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome" text,
	CONSTRAINT "result_objections_decision_check" CHECK ("result_objections"."decision" is null or "result_objections"."decision" in ('upheld', 'dismissed')),
	CONSTRAINT "result_objections_outcome_check" CHECK (("result_objections"."outcome" is null and ("result_objections"."decision" is null or "result_objections"."decision" = 'dismissed')) or ("result_objections"."decision" = 'upheld' and "result_objections"."outcome" in ('reselect', 'fail')))
);
--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_objections" ADD CONSTRAINT "result_objections_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_objections" ADD CONSTRAINT "result_objections_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "awards_project_firm_unique" ON "awards" USING btree ("project_id","firm_id");--> statement-breakpoint
CREATE INDEX "awards_project_idx" ON "awards" USING btree ("project_id","status");--> statement-breakpoint
CREATE INDEX "awards_firm_idx" ON "awards" USING btree ("firm_id");--> statement-breakpoint
CREATE UNIQUE INDEX "result_objections_project_firm_unique" ON "result_objections" USING btree ("project_id","firm_id");--> statement-breakpoint
CREATE INDEX "result_objections_pending_idx" ON "result_objections" USING btree ("project_id") WHERE "result_objections"."decision" is null;