CREATE TABLE "blacklist_appeals" (
	"id" serial PRIMARY KEY NOT NULL,
	"entry_id" integer NOT NULL,
	"firm_id" integer NOT NULL,
	"grounds" text NOT NULL,
	"filed_by" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"decision" text,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "blacklist_appeals_decision_check" CHECK ("blacklist_appeals"."decision" is null or "blacklist_appeals"."decision" in ('upheld', 'dismissed'))
);
--> statement-breakpoint
CREATE TABLE "blacklist_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"firm_id" integer NOT NULL,
	"reason" text NOT NULL,
	"basis" text NOT NULL,
	"evidence" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"decided_by" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"revoke_reason" text,
	CONSTRAINT "blacklist_entries_period_check" CHECK ("blacklist_entries"."ends_at" is null or "blacklist_entries"."ends_at" > "blacklist_entries"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "credit_disputes" (
	"id" serial PRIMARY KEY NOT NULL,
	"event_id" integer NOT NULL,
	"firm_id" integer NOT NULL,
	"grounds" text NOT NULL,
	"filed_by" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"decision" text,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "credit_disputes_decision_check" CHECK ("credit_disputes"."decision" is null or "credit_disputes"."decision" in ('upheld', 'dismissed'))
);
--> statement-breakpoint
CREATE TABLE "credit_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"firm_id" integer NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"note" text NOT NULL,
	"corrects_event_id" integer,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "credit_events_correction_check" CHECK (("credit_events"."kind" = 'correction') = ("credit_events"."corrects_event_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "credit_rule_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"rules" jsonb NOT NULL,
	"note" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "blacklist_appeals" ADD CONSTRAINT "blacklist_appeals_entry_id_blacklist_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."blacklist_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_appeals" ADD CONSTRAINT "blacklist_appeals_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_entries" ADD CONSTRAINT "blacklist_entries_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_disputes" ADD CONSTRAINT "credit_disputes_event_id_credit_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."credit_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_disputes" ADD CONSTRAINT "credit_disputes_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_events" ADD CONSTRAINT "credit_events_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "blacklist_appeals_entry_idx" ON "blacklist_appeals" USING btree ("entry_id");--> statement-breakpoint
CREATE UNIQUE INDEX "blacklist_appeals_open_unique" ON "blacklist_appeals" USING btree ("entry_id") WHERE "blacklist_appeals"."decision" is null;--> statement-breakpoint
CREATE INDEX "blacklist_entries_firm_idx" ON "blacklist_entries" USING btree ("firm_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_disputes_event_unique" ON "credit_disputes" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "credit_disputes_firm_idx" ON "credit_disputes" USING btree ("firm_id");--> statement-breakpoint
CREATE INDEX "credit_events_firm_idx" ON "credit_events" USING btree ("firm_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_rule_versions_version_unique" ON "credit_rule_versions" USING btree ("version");--> statement-breakpoint
-- Hand-written (drizzle-kit does not model triggers): credit events are append-only (a correction
-- is a new event), and a blacklist entry is never deleted; its only change is being revoked, once.
CREATE FUNCTION "credit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'credit event % is append-only: record a compensating event instead', OLD."id" USING ERRCODE = 'integrity_constraint_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "credit_events_append_only" BEFORE UPDATE OR DELETE ON "credit_events"
	FOR EACH ROW EXECUTE FUNCTION "credit_events_append_only"();
--> statement-breakpoint
CREATE FUNCTION "blacklist_entries_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'blacklist entry % cannot be deleted', OLD."id" USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	IF OLD."revoked_at" IS NOT NULL
		OR NEW."revoked_at" IS NULL
		OR (to_jsonb(NEW) - 'revoked_at' - 'revoked_by' - 'revoke_reason')
			IS DISTINCT FROM (to_jsonb(OLD) - 'revoked_at' - 'revoked_by' - 'revoke_reason')
	THEN
		RAISE EXCEPTION 'blacklist entry % can only be revoked, once', OLD."id" USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "blacklist_entries_revoke_only" BEFORE UPDATE OR DELETE ON "blacklist_entries"
	FOR EACH ROW EXECUTE FUNCTION "blacklist_entries_guard"();
