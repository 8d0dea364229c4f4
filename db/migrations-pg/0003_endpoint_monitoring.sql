CREATE TABLE "endpoint_minutes" (
	"endpoint_id" text NOT NULL,
	"minute" bigint NOT NULL,
	"writer" text NOT NULL,
	"requests" bigint NOT NULL,
	"refused" bigint NOT NULL,
	"rows_scored" bigint NOT NULL,
	"refusals" json NOT NULL,
	"latency" json NOT NULL,
	"columns" json NOT NULL,
	CONSTRAINT "endpoint_minutes_endpoint_id_minute_writer_pk" PRIMARY KEY("endpoint_id","minute","writer")
);
--> statement-breakpoint
ALTER TABLE "endpoints" ADD COLUMN "training_reference" json;--> statement-breakpoint
ALTER TABLE "endpoint_minutes" ADD CONSTRAINT "endpoint_minutes_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;