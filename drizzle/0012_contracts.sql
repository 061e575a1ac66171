CREATE TABLE "contracts" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"award_id" integer NOT NULL,
	"firm_id" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"signed_on" date NOT NULL,
	"promised_days" integer NOT NULL,
	"file_id" integer NOT NULL,
	"recorded_by" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"delivery_note" text,
	"delivery_file_ids" jsonb,
	"delivered_by" integer,
	"completed_at" timestamp with time zone,
	"completed_by" integer,
	"overdue" text,
	CONSTRAINT "contracts_amount_positive" CHECK ("contracts"."amount_fen" > 0),
	CONSTRAINT "contracts_promised_days_positive" CHECK ("contracts"."promised_days" > 0),
	CONSTRAINT "contracts_overdue_check" CHECK ("contracts"."overdue" is null or "contracts"."overdue" in ('on_time', 'overdue')),
	CONSTRAINT "contracts_completed_after_delivery" CHECK ("contracts"."completed_at" is null or "contracts"."delivered_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"id" serial PRIMARY KEY NOT NULL,
	"contract_id" integer NOT NULL,
	"project_id" integer NOT NULL,
	"firm_id" integer NOT NULL,
	"owner_id" integer NOT NULL,
	"quality" smallint NOT NULL,
	"timeliness" smallint NOT NULL,
	"attitude" smallint NOT NULL,
	"fees" smallint NOT NULL,
	"conduct" smallint NOT NULL,
	"comment" text NOT NULL,
	"rated_by" integer NOT NULL,
	"rated_at" timestamp with time zone NOT NULL,
	"comment_hidden_at" timestamp with time zone,
	"comment_hidden_reason" text,
	"comment_hidden_by" integer,
	"reply" text,
	"replied_at" timestamp with time zone,
	"replied_by" integer,
	CONSTRAINT "ratings_scores_check" CHECK ("ratings"."quality" between 1 and 5 and "ratings"."timeliness" between 1 and 5 and "ratings"."attitude" between 1 and 5 and "ratings"."fees" between 1 and 5 and "ratings"."conduct" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_delivered_by_users_id_fk" FOREIGN KEY ("delivered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_completed_by_users_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_owner_id_organizations_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_rated_by_users_id_fk" FOREIGN KEY ("rated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_comment_hidden_by_users_id_fk" FOREIGN KEY ("comment_hidden_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_replied_by_users_id_fk" FOREIGN KEY ("replied_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_award_unique" ON "contracts" USING btree ("award_id");--> statement-breakpoint
CREATE INDEX "contracts_project_idx" ON "contracts" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "contracts_firm_idx" ON "contracts" USING btree ("firm_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ratings_contract_unique" ON "ratings" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "ratings_firm_idx" ON "ratings" USING btree ("firm_id","rated_at");