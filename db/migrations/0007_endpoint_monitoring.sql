CREATE TABLE `endpoint_minutes` (
	`endpoint_id` text NOT NULL,
	`minute` integer NOT NULL,
	`writer` text NOT NULL,
	`requests` integer NOT NULL,
	`refused` integer NOT NULL,
	`rows_scored` integer NOT NULL,
	`refusals` text NOT NULL,
	`latency` text NOT NULL,
	`columns` text NOT NULL,
	PRIMARY KEY(`endpoint_id`, `minute`, `writer`),
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `endpoints` ADD `training_reference` text;