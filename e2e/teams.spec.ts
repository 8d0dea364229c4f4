import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { compareRunsOf, openTemplate, runAndWait } from './helpers';

async function setDegree(page: Page, degree: string) {
  await page.getByTestId('node-model').click();
  await page.getByTestId('param-degree').fill(degree);
  await page.getByTestId('param-degree').blur();
}

async function savePipeline(page: Page) {
  await page.getByTestId('save-button').click();
  await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('save-state')).not.toContainText('Unsaved', { timeout: 15_000 });
}

test('two runs with a changed setting are compared side by side', async ({ page }) => {
  await openTemplate(page, 'sales-forecast');
  await page.getByTestId('pipeline-name').fill('Channel forecast A/B');
  await savePipeline(page);
  await runAndWait(page);
  await setDegree(page, '2');
  await savePipeline(page);
  await runAndWait(page);

  await compareRunsOf(page, 'Channel forecast A/B');
  const degreeRow = page.getByTestId('compare-param-row-model-degree');
  await expect(degreeRow).toContainText('1');
  await expect(degreeRow).toContainText('2');
  const r2 = page.getByTestId('compare-metric-row-r2');
  await expect(r2).toContainText('0.921');
  await expect(r2.locator('[data-best="true"]')).toHaveCount(1);
  // Each run's result in words heads the scores: the straight fit, then the curved one.
  const inWords = page.getByTestId('compare-headline-row');
  await expect(inWords).toContainText('Typically off by ±1.0 (in units of Sales)');
  await expect(inWords).toContainText('Typically off by ±0.39 (in units of Sales)');
  await expect(page.getByTestId('compare-metric-row-mae').locator('[data-best="true"]')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/screens/compare.png', fullPage: true });

  // Opening a run shows the exact graph it ran, read-only, with its results.
  await page.locator('a[href^="/editor?run="]').first().click();
  await expect(page.getByTestId('read-only-banner')).toBeVisible();
  await expect(page.getByTestId('palette')).toHaveCount(0);
  await expect(page.locator('[data-node-type]')).toHaveCount(5);
  await page.getByTestId('node-model').click();
  await expect(page.getByTestId('param-degree')).toBeDisabled();
  await page.screenshot({ path: 'test-results/screens/run-read-only.png' });
});

test('a pipeline exported, deleted and imported comes back, and a share link opens read-only', async ({ page, browser }) => {
  await openTemplate(page, 'explain-subscribers');
  await page.getByTestId('pipeline-name').fill('Subscriber profile for the board');
  await savePipeline(page);
  await runAndWait(page);
  const pipelineId = page.url().split('/').pop()!;

  await page.getByTestId('share-menu').click();
  await page.getByTestId('copy-share-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/\/share\/[\w-]+$/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pipeline').click()]);
  const exported = fs.readFileSync((await download.path())!, 'utf8');
  expect(JSON.parse(exported)).toMatchObject({ format: 'pipelab-pipeline', name: 'Subscriber profile for the board' });

  // A colleague opens the link in their own browser: read-only, with the run.
  const colleague = await browser.newContext();
  const shared = await colleague.newPage();
  await shared.goto(link);
  await expect(shared.getByTestId('share-page')).toContainText('Subscriber profile for the board');
  await expect(shared.getByTestId('share-runs')).toContainText(/Finished|succeeded/i);
  await expect(shared.getByTestId('palette')).toHaveCount(0);
  await shared.screenshot({ path: 'test-results/screens/share-page.png' });
  await colleague.close();

  await page.goto('/');
  await page.getByTestId(`delete-pipeline-${pipelineId}`).click();
  await page.getByTestId(`confirm-delete-${pipelineId}`).click();
  await expect(page.getByTestId(`pipeline-row-${pipelineId}`)).toHaveCount(0);

  await page.getByTestId('import-pipeline').setInputFiles({ name: 'subscriber-profile.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Subscriber profile for the board', { timeout: 30_000 });
  await expect(page.locator('[data-node-type]')).toHaveCount(5);
});

test('a file that is not a pipeline is refused with a clear message', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('import-pipeline').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": ') });
  await expect(page.getByTestId('import-error')).toContainText(/not JSON|JSON/);
});
