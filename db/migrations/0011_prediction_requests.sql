CREATE TABLE `endpoint_outcomes` (
	`endpoint_id` text NOT NULL,
	`prediction_id` text NOT NULL,
	`minute` integer NOT NULL,
	`actual` text NOT NULL,
	`outcome_at` integer NOT NULL,
	PRIMARY KEY(`endpoint_id`, `prediction_id`),
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `endpoint_outcomes_minute` ON `endpoint_outcomes` (`endpoint_id`,`minute`);--> statement-breakpoint
CREATE TABLE `endpoint_prediction_requests` (
	`endpoint_id` text NOT NULL,
	`request_id` text NOT NULL,
	`minute` integer NOT NULL,
	`first_row` integer NOT NULL,
	`row_count` integer NOT NULL,
	`labels` text,
	`predicted_values` text,
	`probabilities` text,
	PRIMARY KEY(`endpoint_id`, `request_id`),
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `endpoint_prediction_requests_minute` ON `endpoint_prediction_requests` (`endpoint_id`,`minute`);--> statement-breakpoint
-- Predictions stored one per row before are converted, one request row each: its id's first 32 characters are
-- the request id and its last 4 (hex) the row, kept as first_row so the id resolves to it. Ids the API never
-- gave out (not in the UUID layout) cannot be resolved that way and are dropped.
INSERT OR IGNORE INTO `endpoint_prediction_requests` (`endpoint_id`, `request_id`, `minute`, `first_row`, `row_count`, `labels`, `predicted_values`, `probabilities`)
SELECT `endpoint_id`, substr(`prediction_id`, 1, 32), `minute`,
	(instr('0123456789abcdef', substr(`prediction_id`, 33, 1)) - 1) * 4096 + (instr('0123456789abcdef', substr(`prediction_id`, 34, 1)) - 1) * 256
		+ (instr('0123456789abcdef', substr(`prediction_id`, 35, 1)) - 1) * 16 + (instr('0123456789abcdef', substr(`prediction_id`, 36, 1)) - 1),
	1,
	CASE WHEN `predicted_label` IS NULL THEN NULL ELSE json_array(`predicted_label`) END,
	CASE WHEN `predicted_value` IS NULL THEN NULL ELSE json_array(`predicted_value`) END,
	CASE WHEN `probability` IS NULL THEN NULL ELSE json_array(`probability`) END
FROM `endpoint_predictions`
WHERE length(`prediction_id`) = 36 AND substr(`prediction_id`, 33, 4) GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f]';
--> statement-breakpoint
-- Outcomes already posted keep their ids (and so still refuse a second post).
INSERT INTO `endpoint_outcomes` (`endpoint_id`, `prediction_id`, `minute`, `actual`, `outcome_at`)
SELECT `endpoint_id`, `prediction_id`, `minute`, `actual`, `outcome_at` FROM `endpoint_predictions` WHERE `outcome_at` IS NOT NULL AND `actual` IS NOT NULL;
