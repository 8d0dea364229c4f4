CREATE TABLE `datasets` (
	`hash` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`row_count` integer NOT NULL,
	`delimiter` text NOT NULL,
	`has_header` integer NOT NULL,
	`columns` text NOT NULL,
	`warnings` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `node_results` (
	`run_id` text NOT NULL,
	`node_id` text NOT NULL,
	`status` text NOT NULL,
	`cached` integer DEFAULT false NOT NULL,
	`started_at` integer,
	`duration_ms` integer,
	`progress` real,
	`message` text,
	`error` text,
	`preview` text,
	`metrics` text,
	PRIMARY KEY(`run_id`, `node_id`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `pipelines` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`graph` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`pipeline_id` text,
	`label` text NOT NULL,
	`origin` text NOT NULL,
	`status` text NOT NULL,
	`graph` text NOT NULL,
	`backend` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`duration_ms` integer,
	`error` text,
	`headline_name` text,
	`headline_value` real,
	FOREIGN KEY (`pipeline_id`) REFERENCES `pipelines`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `runs_pipeline_started` ON `runs` (`pipeline_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `runs_started` ON `runs` (`started_at`);