CREATE TABLE "sealed_audit_entries" (
	"commitment" text PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"salt" text NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "sealed_project_id" integer;--> statement-breakpoint
CREATE INDEX "sealed_audit_entries_project_idx" ON "sealed_audit_entries" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "sealed_audit_entries_entity_idx" ON "sealed_audit_entries" USING btree ("entity_type","entity_id");
--> statement-breakpoint
-- The audit log is append-only for every role the application uses: no UPDATE, DELETE or
-- TRUNCATE of its events. A later migration that must touch them drops these triggers by name
-- and says so. (A database owner can still disable them: signed checkpoints catch that.)
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
-- The head only moves forward, and is never removed.
CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.seq > OLD.seq THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit head only moves forward: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
--> statement-breakpoint
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only();
--> statement-breakpoint
-- A stored sealed submission never changes and is never removed; only its status moves on, once,
-- from current to replaced (a later quote of the firm) or invalidated (the terms changed).
CREATE FUNCTION submissions_sealed_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
    AND NEW.id = OLD.id AND NEW.project_id = OLD.project_id AND NEW.firm_id = OLD.firm_id
    AND NEW.sealed = OLD.sealed AND NEW.received_at = OLD.received_at
    AND NEW.terms_version = OLD.terms_version AND NEW.receipt_hash = OLD.receipt_hash
    AND NEW.idempotency_key IS NOT DISTINCT FROM OLD.idempotency_key
    AND OLD.status = 'current' AND NEW.status IN ('replaced', 'invalidated') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a sealed submission never changes: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER submissions_sealed_immutable BEFORE UPDATE OR DELETE ON submissions
  FOR EACH ROW EXECUTE FUNCTION submissions_sealed_immutable();
--> statement-breakpoint
CREATE TRIGGER submissions_no_truncate BEFORE TRUNCATE ON submissions
  FOR EACH STATEMENT EXECUTE FUNCTION submissions_sealed_immutable();
--> statement-breakpoint
CREATE TRIGGER sealed_audit_entries_append_only BEFORE UPDATE OR DELETE ON sealed_audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER sealed_audit_entries_no_truncate BEFORE TRUNCATE ON sealed_audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
