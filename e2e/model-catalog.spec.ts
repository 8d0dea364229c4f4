import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { connect, dropNode, openTemplate, runAndWait } from './helpers';

/** The first rows of the bank sample without the answer column: a customer list to score. */
function customerList(rows: number): Buffer {
  const lines = fs.readFileSync('samples/bank-marketing.csv', 'utf8').split('\n').slice(0, rows + 1);
  return Buffer.from(lines.map((line) => line.split(';').slice(0, -1).join(';')).join('\n'));
}

test('a user compares three models on the bank template, then scores a customer list and downloads it', async ({ page }) => {
  test.setTimeout(240_000);
  await openTemplate(page, 'campaign-response');
  const tree = await dropNode(page, 'model.decisionTree', 420, 440);
  const svm = await dropNode(page, 'model.svm', 640, 440);
  await page.getByTestId(`node-${svm}`).click();
  await page.getByTestId('param-maxTrainRows').fill('1500');
  await page.getByTestId('param-maxTrainRows').blur();
  await connect(page, 'split', 'split', tree, 'data');
  await connect(page, 'split', 'split', svm, 'data');
  await connect(page, tree, 'model', 'evaluate', 'model');
  await connect(page, svm, 'model', 'evaluate', 'model');

  const list = await dropNode(page, 'data.csv', 180, 440);
  await page.getByTestId(`node-${list}`).click();
  await page.getByTestId('dataset-file').setInputFiles({ name: 'this-week.csv', mimeType: 'text/csv', buffer: customerList(200) });
  await expect(page.getByTestId('dataset-rows')).toContainText('200 rows');
  const score = await dropNode(page, 'predict.score', 180, 560);
  await connect(page, 'model', 'model', score, 'model');
  await connect(page, list, 'table', score, 'table');
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
