CREATE TABLE "endpoint_outcome_minutes" (
	"endpoint_id" text NOT NULL,
	"minute" bigint NOT NULL,
	"outcomes" bigint NOT NULL,
	"correct" bigint NOT NULL,
	"absolute_error_sum" double precision NOT NULL,
	CONSTRAINT "endpoint_outcome_minutes_endpoint_id_minute_pk" PRIMARY KEY("endpoint_id","minute")
);
--> statement-breakpoint
CREATE TABLE "endpoint_predictions" (
	"endpoint_id" text NOT NULL,
	"prediction_id" text NOT NULL,
	"minute" bigint NOT NULL,
	"predicted_label" text,
	"predicted_value" double precision,
	"probability" double precision,
	"actual" text,
	"outcome_at" bigint,
	CONSTRAINT "endpoint_predictions_endpoint_id_prediction_id_pk" PRIMARY KEY("endpoint_id","prediction_id")
);
--> statement-breakpoint
ALTER TABLE "endpoint_outcome_minutes" ADD CONSTRAINT "endpoint_outcome_minutes_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "endpoint_predictions" ADD CONSTRAINT "endpoint_predictions_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "endpoint_predictions_minute" ON "endpoint_predictions" USING btree ("endpoint_id","minute");