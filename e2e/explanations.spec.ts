import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readCsv } from '../nodes/lib/csv';
import { openTemplate, runAndWait } from './helpers';

/** The first customers of the bank sample as a client would send them, without the answer column. */
function customers(count: number): Record<string, string | number>[] {
  const { frame } = readCsv(fs.readFileSync(path.join('samples', 'bank-marketing.csv')), 'bank-marketing.csv');
  return Array.from({ length: count }, (_, row) =>
    Object.fromEntries(frame.columns.filter((c) => c.name !== 'y').map((c) => [c.name, c.values[row] as string | number])),
  );
}

/** On a phone the results are a bottom sheet, opened from the toolbar. */
async function showResultsSheet(page: Page): Promise<void> {
  const opener = page.getByTestId('open-sheet-results');
  if (await opener.isVisible()) await opener.click();
}

test('Evaluate shows which columns matter most for the subscriber tree', async ({ page }) => {
  await openTemplate(page, 'explain-subscribers');
  await runAndWait(page);
  await page.getByTestId('node-evaluate').click();
  const results = page.getByTestId('results-panel');
  await expect(results.getByText('Which columns matter most')).toBeVisible();
  const importance = results.getByTestId('column-importance');
  await expect(importance).toHaveAttribute('data-metric', 'rocAuc');
  // Columns as the marketer knows them: "month", never "month=may".
  await expect(importance.locator('li').first()).toHaveAttribute('data-column', /^[a-z_]+$/);
  await expect(importance).toContainText('duration');
  await expect(importance).toContainText(/mean ± spread over 5 shuffles/);
  await importance.scrollIntoViewIfNeeded();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'test-results/screens/explain-importance.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await showResultsSheet(page);
  await importance.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/explain-importance-phone.png' });
});

test('the ranked call list carries three reasons per client, and the API gives them when asked', async ({ page }) => {
  await openTemplate(page, 'score-call-list');
  await runAndWait(page);
  await page.getByTestId('node-score').click();
  const grid = page.getByTestId('results-panel').getByTestId('rows-grid');
  await expect(grid.locator('th', { hasText: 'reason 1' })).toBeVisible();
  await expect(grid).toContainText(/(raises|lowers) the chance of “yes”/);
  await page.setViewportSize({ width: 1280, height: 800 });
  await grid.locator('th', { hasText: 'reason 1' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/explain-reasons.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await showResultsSheet(page);
  await grid.locator('th', { hasText: 'reason 1' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/explain-reasons-phone.png' });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByTestId('node-model').click();
  await page.getByTestId('publish-model').click();
  await page.getByTestId('publish-name').fill('Call list reasons');
  await page.getByTestId('publish-confirm').click();
  const token = (await page.getByTestId('endpoint-token').textContent())!.trim();
  const address = (await page.getByTestId('endpoint-url').textContent())!.trim();
  const rows = customers(2);
  const headers = { authorization: `Bearer ${token}` };
  const plain = await page.request.post(address, { headers, data: { rows } });
  expect(plain.status()).toBe(200);
  expect((await plain.json()).predictions[0].reasons).toBeUndefined();
  const explained = await page.request.post(`${address}?explain=1`, { headers, data: { rows } });
  expect(explained.status()).toBe(200);
  const answer = await explained.json();
  expect(answer.predictions).toHaveLength(2);
  for (const prediction of answer.predictions) {
    expect(prediction.reasons).toHaveLength(3);
    for (const reason of prediction.reasons) expect(reason).toMatch(/^[a-z_.]+ (= \S+|-?[\d,.]+) (raises|lowers) the chance of “yes”$/);
  }
});
