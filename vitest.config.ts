import { defineConfig } from 'vitest/config';

const exclude = ['node_modules/**', 'e2e/**', '.next/**', 'data/**'];
/** The suites that read and write the database: they run on SQLite, and on PostgreSQL when DATABASE_URL is set. */
const dataLayerSuites = [
  'db/**/*.test.ts',
  'server/teams/service.test.ts',
  'server/routers/*.test.ts',
  'server/runs/service.test.ts',
  'server/runs/run-metrics.test.ts',
  'server/endpoints.test.ts',
  // Team mode: PostgreSQL and Redis together.
  'server/worker/*.test.ts',
];

const postgresUrl = process.env.DATABASE_URL?.trim();
if (!postgresUrl) {
  console.info('PostgreSQL data-layer tests skipped: set DATABASE_URL=postgres://… to run them.');
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'forks',
    projects: [
      // The embedded default: SQLite, whatever DATABASE_URL says.
      { extends: true as const, test: { name: 'embedded', include: ['**/*.test.ts'], exclude, env: { DATABASE_URL: '' } } },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: { name: 'postgresql', include: dataLayerSuites, exclude, env: { DATABASE_URL: postgresUrl }, globalSetup: ['db/test-setup-postgres.ts'] },
            },
          ]
        : []),
    ],
  },
});
