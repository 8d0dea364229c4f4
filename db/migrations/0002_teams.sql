CREATE TABLE `pipeline_versions` (
	`pipeline_id` text NOT NULL,
	`version` integer NOT NULL,
	`graph` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`pipeline_id`, `version`),
	FOREIGN KEY (`pipeline_id`) REFERENCES `pipelines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `run_metrics` (
	`run_id` text NOT NULL,
	`name` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`run_id`, `name`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_metrics_name_value` ON `run_metrics` (`name`,`value`);--> statement-breakpoint
CREATE TABLE `share_links` (
	`token` text PRIMARY KEY NOT NULL,
	`pipeline_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`pipeline_id`) REFERENCES `pipelines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `share_links_pipeline` ON `share_links` (`pipeline_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `runs` ADD `pipeline_version` integer;--> statement-breakpoint
CREATE INDEX `runs_status_started` ON `runs` (`status`,`started_at`);--> statement-breakpoint
CREATE INDEX `runs_pipeline_version_started` ON `runs` (`pipeline_id`,`pipeline_version`,`started_at`);--> statement-breakpoint
CREATE INDEX `runs_origin_started` ON `runs` (`origin`,`started_at`);--> statement-breakpoint
CREATE INDEX `runs_duration` ON `runs` (`duration_ms`);--> statement-breakpoint
-- Pipelines saved before versions existed get their current graph as version 1, dated when it was saved,
-- so every pipeline has at least one version. Their earlier runs keep pipeline_version NULL: which graph
-- they ran is not known from a version number.
INSERT INTO `pipeline_versions` (`pipeline_id`, `version`, `graph`, `name`, `description`, `message`, `created_at`)
SELECT `id`, 1, `graph`, `name`, `description`, '', `updated_at` FROM `pipelines`;--> statement-breakpoint
-- Finished runs get their metrics indexed too: the best value per name over the run's evaluate nodes
-- (lowest for the error metrics mae and rmse, highest otherwise).
INSERT INTO `run_metrics` (`run_id`, `name`, `value`)
SELECT nr.`run_id`, m.`key`,
  CASE WHEN m.`key` IN ('mae', 'rmse') THEN MIN(m.`value`) ELSE MAX(m.`value`) END
FROM `node_results` nr
JOIN `runs` r ON r.`id` = nr.`run_id`
JOIN json_each(nr.`metrics`) m
WHERE nr.`metrics` IS NOT NULL AND json_valid(nr.`metrics`) AND r.`status` <> 'running'
  AND m.`type` IN ('integer', 'real')
  AND EXISTS (
    SELECT 1 FROM json_each(r.`graph`, '$.nodes') n
    WHERE json_extract(n.`value`, '$.id') = nr.`node_id` AND json_extract(n.`value`, '$.type') LIKE 'eval.%'
  )
GROUP BY nr.`run_id`, m.`key`;
