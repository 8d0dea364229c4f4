ALTER TABLE `runs` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `lease_expires_at` integer;--> statement-breakpoint
CREATE INDEX `runs_status_lease` ON `runs` (`status`,`lease_expires_at`);