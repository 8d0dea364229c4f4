import { defineConfig } from 'vitest/config';

const exclude = ['node_modules/**', 'e2e/**', '.next/**', 'data/**'];
/**
 * The suites that need a team server's services: the data layer (run again on PostgreSQL), the run queue
 * and live events (Redis), and worker processes (both).
 */
const teamSuites = [
  'db/**/*.test.ts',
  'server/teams/service.test.ts',
  'server/routers/*.test.ts',
  'server/runs/service.test.ts',
  'server/runs/run-metrics.test.ts',
  'server/endpoints.test.ts',
  'server/serving-endpoints.test.ts',
  'server/monitoring/*.test.ts',
  'server/queue/*.test.ts',
  'server/runs/live-events.test.ts',
  'server/worker/*.test.ts',
];

const postgresUrl = process.env.DATABASE_URL?.trim() ?? '';
const redisUrl = process.env.REDIS_URL?.trim() ?? '';
if (!postgresUrl) console.info('Team-mode tests skipped: set DATABASE_URL=postgres://… (and REDIS_URL=redis://…) to run them.');

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'forks',
    projects: [
      // The embedded default: SQLite and no queue, whatever the environment says.
      { extends: true as const, test: { name: 'embedded', include: ['**/*.test.ts', '**/*.test.tsx'], exclude, env: { DATABASE_URL: '', REDIS_URL: '' } } },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'team',
                include: teamSuites,
                exclude,
                env: { DATABASE_URL: postgresUrl, REDIS_URL: redisUrl },
                globalSetup: ['db/test-setup-postgres.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
