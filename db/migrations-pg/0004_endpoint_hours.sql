CREATE TABLE "endpoint_hours" (
	"endpoint_id" text NOT NULL,
	"hour" bigint NOT NULL,
	"requests" bigint NOT NULL,
	"refused" bigint NOT NULL,
	"rows_scored" bigint NOT NULL,
	"refusals" json NOT NULL,
	"latency" json NOT NULL,
	"columns" json NOT NULL,
	CONSTRAINT "endpoint_hours_endpoint_id_hour_pk" PRIMARY KEY("endpoint_id","hour")
);
--> statement-breakpoint
ALTER TABLE "endpoint_hours" ADD CONSTRAINT "endpoint_hours_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;