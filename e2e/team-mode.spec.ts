import { expect, test } from '@playwright/test';
import { OWNER } from './global-setup';
import { openTemplate, runAndWait } from './helpers';

const teamMode = !!process.env.DATABASE_URL?.trim() && !!process.env.REDIS_URL?.trim();
const teamPort = Number(process.env.E2E_TEAM_PORT ?? 3211);
const teamServer = `http://127.0.0.1:${teamPort}`;
/** A second web process of the same team server, as behind a load balancer. */
const otherWebProcess = `http://127.0.0.1:${teamPort + 1}`;

test.skip(!teamMode, 'Team mode needs DATABASE_URL and REDIS_URL.');

// The team server (PostgreSQL, Redis, a separate worker process) has a database of its own: its owner is made here.
test.use({ baseURL: teamServer, storageState: { cookies: [], origins: [] } });

test('on a team server, the browser follows a run that a worker process trains', async ({ page }) => {
  await page.goto('/setup');
  await page.getByLabel('Your name').fill(OWNER.name);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByLabel('Repeat the password').fill(OWNER.password);
  await page.getByTestId('setup-submit').click();
  await page.getByTestId('signed-in-as').waitFor({ timeout: 60_000 });

  await openTemplate(page, 'sales-forecast');
  // The web server only queues the run; the worker process trains it and the page follows its progress.
  await runAndWait(page);
  for (const id of ['data', 'split', 'model', 'evaluate']) {
    await expect(page.getByTestId(`node-status-${id}`)).toHaveAttribute('data-status', /^(done|cached)$/);
  }
  await expect(page.getByTestId('run-headline')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/team-mode-run.png' });

  // Another web process serves the same person (the session lives in the database) and the same history.
  await page.goto(`${otherWebProcess}/runs`);
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
  await expect(page.getByRole('cell', { name: /Forecast sales from ad spend/ }).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/team-mode-runs-other-process.png' });
});
