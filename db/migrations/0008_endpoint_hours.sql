CREATE TABLE `endpoint_hours` (
	`endpoint_id` text NOT NULL,
	`hour` integer NOT NULL,
	`requests` integer NOT NULL,
	`refused` integer NOT NULL,
	`rows_scored` integer NOT NULL,
	`refusals` text NOT NULL,
	`latency` text NOT NULL,
	`columns` text NOT NULL,
	PRIMARY KEY(`endpoint_id`, `hour`),
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
