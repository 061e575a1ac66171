ALTER TABLE "announcements" ADD COLUMN "entity_type" text;--> statement-breakpoint
ALTER TABLE "announcements" ADD COLUMN "entity_id" text;--> statement-breakpoint
CREATE INDEX "announcements_kind_idx" ON "announcements" USING btree ("kind","published_at");