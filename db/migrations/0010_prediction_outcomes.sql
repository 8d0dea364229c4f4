CREATE TABLE `endpoint_outcome_minutes` (
	`endpoint_id` text NOT NULL,
	`minute` integer NOT NULL,
	`outcomes` integer NOT NULL,
	`correct` integer NOT NULL,
	`absolute_error_sum` real NOT NULL,
	PRIMARY KEY(`endpoint_id`, `minute`),
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `endpoint_predictions` (
	`endpoint_id` text NOT NULL,
	`prediction_id` text NOT NULL,
	`minute` integer NOT NULL,
	`predicted_label` text,
	`predicted_value` real,
	`probability` real,
	`actual` text,
	`outcome_at` integer,
	PRIMARY KEY(`endpoint_id`, `prediction_id`),
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `endpoint_predictions_minute` ON `endpoint_predictions` (`endpoint_id`,`minute`);