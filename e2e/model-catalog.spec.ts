import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { addFromPalette, connectByMenu, openTemplate, runAndWait } from './helpers';

/** The first rows of the bank sample without the answer column: a customer list to score. */
function customerList(rows: number): Buffer {
  const lines = fs.readFileSync('samples/bank-marketing.csv', 'utf8').split('\n').slice(0, rows + 1);
  return Buffer.from(lines.map((line) => line.split(';').slice(0, -1).join(';')).join('\n'));
}

test('a user compares three models on the bank template, then scores a customer list and downloads it', async ({ page }) => {
  test.setTimeout(240_000);
  await openTemplate(page, 'campaign-response');
  // Each model continues the split (placed beside it and wired from it), then is wired into Evaluate.
  await page.getByTestId('node-split').click();
  const tree = await addFromPalette(page, 'model.decisionTree');
  await page.getByTestId('node-split').click();
  const svm = await addFromPalette(page, 'model.svm');
  await page.getByTestId('param-maxTrainRows').fill('1500');
  await page.getByTestId('param-maxTrainRows').blur();
  await connectByMenu(page, tree, /^Evaluate/);
  await connectByMenu(page, svm, /^Evaluate/);

  const list = await addFromPalette(page, 'data.csv');
  await page.getByTestId('dataset-file').setInputFiles({ name: 'this-week.csv', mimeType: 'text/csv', buffer: customerList(200) });
  await expect(page.getByTestId('dataset-rows')).toContainText('200 rows');
  // Score new rows continues the list (its table) and takes the bank model by "Connect to…".
  const score = await addFromPalette(page, 'predict.score');
  await connectByMenu(page, 'model', /^Score new rows/);
  await expect(page.locator(`[data-testid^="rf__edge-"][data-testid*="${score}"]`)).toHaveCount(2);
  await runAndWait(page);

  await page.getByTestId('node-evaluate').click();
  const results = page.getByTestId('results-panel');
  const leaderboard = results.getByTestId('leaderboard');
  await expect(leaderboard.getByTestId('leaderboard-row-model')).toContainText('Logistic regression');
  await expect(leaderboard.getByTestId(`leaderboard-row-${tree}`)).toContainText('Decision tree');
  await expect(leaderboard.getByTestId(`leaderboard-row-${svm}`)).toContainText('Support vector machine');
  await expect(leaderboard.locator('[data-best="true"]').first()).toBeVisible();
  await expect(results.getByTestId('roc-chart')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/leaderboard.png' });

  await expect(page.getByTestId(`node-status-${score}`)).toHaveAttribute('data-status', 'done');
  await results.getByTestId(`results-tab-${score}`).click();
  const [download] = await Promise.all([page.waitForEvent('download'), results.getByTestId('download-table').click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(csv[0]).toContain('predicted y');
  expect(csv[0]).toContain('probability of yes');
  expect(csv).toHaveLength(201);
  await page.screenshot({ path: 'test-results/screens/scored-list.png' });
});
