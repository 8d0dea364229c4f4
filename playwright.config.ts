import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);
/** With PostgreSQL and Redis at hand, a second server runs in team mode, with a worker process beside it. */
export const teamPort = Number(process.env.E2E_TEAM_PORT ?? 3211);
const teamMode = !!process.env.DATABASE_URL?.trim() && !!process.env.REDIS_URL?.trim();
if (!teamMode) console.info('Team-mode browser test skipped: set DATABASE_URL=postgres://… and REDIS_URL=redis://… to run it.');

export default defineConfig({
  testDir: './e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  // Makes the owner account; every test runs signed in as the owner unless it says otherwise.
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    storageState: 'test-results/e2e-auth/owner.json',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      // A fresh data directory per test run: the suite starts from an empty database (embedded: SQLite, no queue).
      command: `rm -rf test-results/e2e-data && npx next build && npx next start -p ${port}`,
      url: `http://127.0.0.1:${port}`,
      timeout: 600_000,
      reuseExistingServer: false,
      env: { PIPELAB_DATA_DIR: 'test-results/e2e-data', NEXT_TELEMETRY_DISABLED: '1', DATABASE_URL: '', REDIS_URL: '' },
      stdout: 'pipe',
    },
    ...(teamMode
      ? [
          {
            command: `rm -rf test-results/e2e-team-data && npx tsx e2e/team-server.ts`,
            url: `http://127.0.0.1:${teamPort}`,
            timeout: 600_000,
            reuseExistingServer: false,
            env: { E2E_PORT: String(port), E2E_TEAM_PORT: String(teamPort) },
            stdout: 'pipe' as const,
          },
        ]
      : []),
  ],
});
