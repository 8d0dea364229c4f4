CREATE TABLE "endpoint_outcomes" (
	"endpoint_id" text NOT NULL,
	"prediction_id" text NOT NULL,
	"minute" bigint NOT NULL,
	"actual" text NOT NULL,
	"outcome_at" bigint NOT NULL,
	CONSTRAINT "endpoint_outcomes_endpoint_id_prediction_id_pk" PRIMARY KEY("endpoint_id","prediction_id")
);
--> statement-breakpoint
CREATE TABLE "endpoint_prediction_requests" (
	"endpoint_id" text NOT NULL,
	"request_id" text NOT NULL,
	"minute" bigint NOT NULL,
	"first_row" bigint NOT NULL,
	"row_count" bigint NOT NULL,
	"labels" text,
	"predicted_values" text,
	"probabilities" text,
	CONSTRAINT "endpoint_prediction_requests_endpoint_id_request_id_pk" PRIMARY KEY("endpoint_id","request_id")
);
--> statement-breakpoint
ALTER TABLE "endpoint_outcomes" ADD CONSTRAINT "endpoint_outcomes_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "endpoint_prediction_requests" ADD CONSTRAINT "endpoint_prediction_requests_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "endpoint_outcomes_minute" ON "endpoint_outcomes" USING btree ("endpoint_id","minute");--> statement-breakpoint
CREATE INDEX "endpoint_prediction_requests_minute" ON "endpoint_prediction_requests" USING btree ("endpoint_id","minute");--> statement-breakpoint
-- Predictions stored one per row before are converted, one request row each: its id's first 32 characters are
-- the request id and its last 4 (hex) the row, kept as first_row so the id resolves to it. Ids the API never
-- gave out (not in the UUID layout) cannot be resolved that way and are dropped.
INSERT INTO "endpoint_prediction_requests" ("endpoint_id", "request_id", "minute", "first_row", "row_count", "labels", "predicted_values", "probabilities")
SELECT "endpoint_id", substr("prediction_id", 1, 32), "minute", ('x' || substr("prediction_id", 33, 4))::bit(16)::int, 1,
	CASE WHEN "predicted_label" IS NULL THEN NULL ELSE json_build_array("predicted_label")::text END,
	CASE WHEN "predicted_value" IS NULL THEN NULL ELSE json_build_array("predicted_value")::text END,
	CASE WHEN "probability" IS NULL THEN NULL ELSE json_build_array("probability")::text END
FROM "endpoint_predictions"
WHERE "prediction_id" ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Outcomes already posted keep their ids (and so still refuse a second post).
INSERT INTO "endpoint_outcomes" ("endpoint_id", "prediction_id", "minute", "actual", "outcome_at")
SELECT "endpoint_id", "prediction_id", "minute", "actual", "outcome_at" FROM "endpoint_predictions" WHERE "outcome_at" IS NOT NULL AND "actual" IS NOT NULL;
