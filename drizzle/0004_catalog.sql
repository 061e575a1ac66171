CREATE TABLE "service_item_versions" (
	"item_id" integer NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"changed_fields" jsonb NOT NULL,
	"published_at" timestamp (3) with time zone NOT NULL,
	"published_by" text NOT NULL,
	CONSTRAINT "service_item_versions_item_id_version_pk" PRIMARY KEY("item_id","version"),
	CONSTRAINT "service_item_versions_version_check" CHECK ("service_item_versions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "service_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"basis" text NOT NULL,
	"time_limit_days" integer NOT NULL,
	"fee_mode" text NOT NULL,
	"fee_min_fen" bigint,
	"fee_max_fen" bigint,
	"fee_basis" text NOT NULL,
	"qualification_requirements" text NOT NULL,
	"related_approval" text NOT NULL,
	"revision" jsonb,
	"search_text" text NOT NULL,
	"search_bigrams" text[] NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"published_at" timestamp (3) with time zone,
	"retired_at" timestamp (3) with time zone,
	CONSTRAINT "service_items_status_check" CHECK ("service_items"."status" in ('draft', 'published', 'retired')),
	CONSTRAINT "service_items_category_check" CHECK ("service_items"."category" in ('投资建设类', '商事类', '社会事业类', '综合类')),
	CONSTRAINT "service_items_fee_mode_check" CHECK ("service_items"."fee_mode" in ('government', 'guided', 'market')),
	CONSTRAINT "service_items_time_limit_check" CHECK ("service_items"."time_limit_days" > 0),
	CONSTRAINT "service_items_version_check" CHECK ("service_items"."version" >= 0 and ("service_items"."status" <> 'published' or "service_items"."version" >= 1)),
	CONSTRAINT "service_items_fee_range_check" CHECK (coalesce("service_items"."fee_min_fen", 0) >= 0 and ("service_items"."fee_max_fen" is null or "service_items"."fee_max_fen" >= coalesce("service_items"."fee_min_fen", 0))),
	CONSTRAINT "service_items_fee_max_check" CHECK ("service_items"."fee_mode" = 'market' or "service_items"."fee_max_fen" is not null)
);
--> statement-breakpoint
ALTER TABLE "service_item_versions" ADD CONSTRAINT "service_item_versions_item_id_service_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."service_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "service_items_code_unique" ON "service_items" USING btree ("code");--> statement-breakpoint
CREATE INDEX "service_items_status_code_idx" ON "service_items" USING btree ("status","code");--> statement-breakpoint
CREATE INDEX "service_items_bigrams_idx" ON "service_items" USING gin ("search_bigrams");