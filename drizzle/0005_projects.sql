CREATE TABLE "announcements" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"project_id" integer,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" serial PRIMARY KEY NOT NULL,
	"owner_id" integer NOT NULL,
	"created_by" integer NOT NULL,
	"service_code" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"budget_fen" bigint NOT NULL,
	"method" text NOT NULL,
	"winners" integer NOT NULL,
	"min_respondents" integer NOT NULL,
	"min_credit_grade" text,
	"quote_mode" text NOT NULL,
	"quote_base_fen" bigint,
	"options" jsonb NOT NULL,
	"avoid_firms" jsonb NOT NULL,
	"registration_closes_at" timestamp with time zone NOT NULL,
	"submission_closes_at" timestamp with time zone,
	"status" text NOT NULL,
	"terms_version" integer NOT NULL,
	"lottery_id" text,
	"tie_break_lottery_id" text,
	"result" jsonb,
	"outcome_reason" text,
	"cloned_from" integer,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "projects_budget_positive" CHECK ("projects"."budget_fen" > 0),
	CONSTRAINT "projects_method_check" CHECK ("projects"."method" in ('direct', 'lottery', 'inquiry', 'lottery_inquiry', 'comparison', 'bidding'))
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"firm_id" integer NOT NULL,
	"entropy" text,
	"status" text NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "submissions" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"firm_id" integer NOT NULL,
	"sealed" text NOT NULL,
	"received_at" timestamp (3) with time zone NOT NULL,
	"terms_version" integer NOT NULL,
	"receipt_hash" text NOT NULL,
	"idempotency_key" text,
	"status" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "announcements" ADD CONSTRAINT "announcements_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_owner_id_organizations_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "announcements_published_idx" ON "announcements" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "projects_status_idx" ON "projects" USING btree ("status");--> statement-breakpoint
CREATE INDEX "projects_owner_idx" ON "projects" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_active_unique" ON "registrations" USING btree ("project_id","firm_id") WHERE "registrations"."status" = 'active';--> statement-breakpoint
CREATE INDEX "registrations_firm_idx" ON "registrations" USING btree ("firm_id");--> statement-breakpoint
CREATE INDEX "submissions_project_idx" ON "submissions" USING btree ("project_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_current_unique" ON "submissions" USING btree ("project_id","firm_id") WHERE "submissions"."status" = 'current';--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_idempotency_unique" ON "submissions" USING btree ("project_id","firm_id","idempotency_key");