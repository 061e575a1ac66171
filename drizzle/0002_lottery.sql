CREATE SEQUENCE "public"."lottery_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "lotteries" (
	"id" text PRIMARY KEY NOT NULL,
	"algorithm" text NOT NULL,
	"status" text NOT NULL,
	"subject_type" text,
	"subject_id" text,
	"winner_count" integer NOT NULL,
	"server_seed" text,
	"seed_commitment" text,
	"commitment_published_at" timestamp (3) with time zone NOT NULL,
	"external_declaration" jsonb NOT NULL,
	"external_value" text,
	"external_reference" text,
	"external_beacon" jsonb,
	"external_entered_at" timestamp (3) with time zone,
	"candidates" jsonb,
	"candidates_hash" text,
	"candidates_fixed_at" timestamp (3) with time zone,
	"entropy" jsonb,
	"seed_hex" text,
	"draw_order" jsonb,
	"drawn_at" timestamp (3) with time zone,
	"witnesses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"invalidation_reason" text,
	"invalidated_at" timestamp (3) with time zone,
	"created_by" text NOT NULL,
	CONSTRAINT "lotteries_algorithm_check" CHECK ("lotteries"."algorithm" in ('lottery-v1', 'rfc3797')),
	CONSTRAINT "lotteries_status_check" CHECK ("lotteries"."status" in ('committed', 'awaiting_external', 'drawn', 'invalidated')),
	CONSTRAINT "lotteries_subject_check" CHECK (("lotteries"."subject_type" is null) = ("lotteries"."subject_id" is null)),
	CONSTRAINT "lotteries_winner_count_check" CHECK ("lotteries"."winner_count" >= 1),
	CONSTRAINT "lotteries_seed_check" CHECK ("lotteries"."algorithm" <> 'lottery-v1' or ("lotteries"."server_seed" is not null and "lotteries"."seed_commitment" is not null)),
	CONSTRAINT "lotteries_drawn_check" CHECK ("lotteries"."status" <> 'drawn' or ("lotteries"."draw_order" is not null and "lotteries"."drawn_at" is not null and "lotteries"."candidates" is not null)),
	CONSTRAINT "lotteries_invalidated_check" CHECK ("lotteries"."status" <> 'invalidated' or "lotteries"."invalidation_reason" is not null),
	CONSTRAINT "lotteries_witnesses_check" CHECK (jsonb_array_length("lotteries"."witnesses") <= 3)
);
--> statement-breakpoint
CREATE INDEX "lotteries_subject_idx" ON "lotteries" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "lotteries_published_idx" ON "lotteries" USING btree ("commitment_published_at");--> statement-breakpoint
-- Hand-written (drizzle-kit does not model triggers): a drawn record is immutable. The only change
-- a drawn row accepts is being marked invalidated (status, reason, time); an invalidated row and
-- a drawn row are never deleted.
CREATE FUNCTION "lotteries_guard_drawn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF OLD."status" IN ('drawn', 'invalidated') THEN
			RAISE EXCEPTION 'lottery % is %: its record cannot be deleted', OLD."id", OLD."status" USING ERRCODE = 'integrity_constraint_violation';
		END IF;
		RETURN OLD;
	END IF;
	IF OLD."status" = 'invalidated' THEN
		RAISE EXCEPTION 'lottery % is invalidated and can no longer change', OLD."id" USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	IF OLD."status" = 'drawn' AND (
		NEW."status" <> 'invalidated'
		OR (to_jsonb(NEW) - 'status' - 'invalidation_reason' - 'invalidated_at')
			IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'invalidation_reason' - 'invalidated_at')
	) THEN
		RAISE EXCEPTION 'the draw record of lottery % is immutable', OLD."id" USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "lotteries_immutable_after_draw" BEFORE UPDATE OR DELETE ON "lotteries"
	FOR EACH ROW EXECUTE FUNCTION "lotteries_guard_drawn"();
