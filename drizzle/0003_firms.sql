CREATE TABLE "debtor_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"import_id" integer NOT NULL,
	"name" text NOT NULL,
	"uscc" text,
	"id_number" text,
	"case_number" text NOT NULL,
	"court" text NOT NULL,
	"listed_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "debtor_list_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_name" text NOT NULL,
	"row_count" integer NOT NULL,
	"imported_by" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "firm_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"firm_id" integer NOT NULL,
	"decision" text NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"reason" text NOT NULL,
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "firm_qualifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"firm_id" integer NOT NULL,
	"service_code" text NOT NULL,
	"level" text NOT NULL,
	"certificate_no" text NOT NULL,
	"issuer" text NOT NULL,
	"valid_until" date NOT NULL,
	"status" text NOT NULL,
	"review_reason" text,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "firm_qualifications_status_check" CHECK ("firm_qualifications"."status" in ('pending', 'verified', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "debtor_entries" ADD CONSTRAINT "debtor_entries_import_id_debtor_list_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."debtor_list_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "firm_decisions" ADD CONSTRAINT "firm_decisions_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "firm_qualifications" ADD CONSTRAINT "firm_qualifications_firm_id_organizations_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "debtor_entries_uscc_idx" ON "debtor_entries" USING btree ("import_id","uscc");--> statement-breakpoint
CREATE INDEX "debtor_entries_id_number_idx" ON "debtor_entries" USING btree ("import_id","id_number");--> statement-breakpoint
CREATE INDEX "firm_decisions_firm_idx" ON "firm_decisions" USING btree ("firm_id");--> statement-breakpoint
CREATE INDEX "firm_qualifications_firm_idx" ON "firm_qualifications" USING btree ("firm_id");--> statement-breakpoint
CREATE INDEX "firm_qualifications_service_idx" ON "firm_qualifications" USING btree ("service_code");