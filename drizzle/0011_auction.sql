CREATE TABLE "stored_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"media_type" text NOT NULL,
	"filename" text NOT NULL,
	"uploaded_by" integer NOT NULL,
	"organization_id" integer,
	"purpose" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"content" "bytea" NOT NULL,
	CONSTRAINT "stored_files_size_check" CHECK ("stored_files"."size_bytes" = octet_length("stored_files"."content"))
);
--> statement-breakpoint
CREATE TABLE "auction_actions" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"firm_id" integer NOT NULL,
	"round" integer,
	"turn" integer,
	"kind" text NOT NULL,
	"amount_fen" bigint,
	"at" timestamp (3) with time zone NOT NULL,
	"idempotency_key" text,
	CONSTRAINT "auction_actions_kind_check" CHECK ("auction_actions"."kind" in ('bid', 'pass', 'withdraw')),
	CONSTRAINT "auction_actions_bid_amount" CHECK (("auction_actions"."kind" = 'bid') = ("auction_actions"."amount_fen" is not null))
);
--> statement-breakpoint
CREATE TABLE "auction_events" (
	"project_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auctions" (
	"project_id" integer PRIMARY KEY NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"rounds" integer NOT NULL,
	"turn_seconds" integer NOT NULL,
	"min_step_fen" bigint NOT NULL,
	"bidders" jsonb NOT NULL,
	"opening" jsonb NOT NULL,
	"announced_turn" text,
	"ended_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auction_actions" ADD CONSTRAINT "auction_actions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auction_actions" ADD CONSTRAINT "auction_actions_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auction_events" ADD CONSTRAINT "auction_events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auctions" ADD CONSTRAINT "auctions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stored_files_organization_idx" ON "stored_files" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "auction_actions_turn_unique" ON "auction_actions" USING btree ("project_id","round","turn");--> statement-breakpoint
CREATE UNIQUE INDEX "auction_actions_idempotency_unique" ON "auction_actions" USING btree ("project_id","firm_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "auction_actions_project_idx" ON "auction_actions" USING btree ("project_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "auction_events_seq_unique" ON "auction_events" USING btree ("project_id","seq");