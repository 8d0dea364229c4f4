import { expect, test } from '@playwright/test';
import { connect, dropNode, openTemplate, runAndWait } from './helpers';

test('the bank template runs to metrics and a confusion matrix', async ({ page }) => {
  await openTemplate(page, 'campaign-response');
  await expect(page.locator('[data-node-type]')).toHaveCount(7);
  await runAndWait(page);
  for (const id of ['data', 'clean', 'encode', 'scale', 'split', 'model', 'evaluate']) {
    // Steps another test already ran with the same settings are reused from the engine's cache.
    await expect(page.getByTestId(`node-status-${id}`)).toHaveAttribute('data-status', /^(done|cached)$/);
  }
  await page.getByTestId('node-evaluate').click();
  const results = page.getByTestId('results-panel');
  await expect(results.getByTestId('metrics-table')).toContainText('ROC AUC');
  await expect(results.getByTestId('metrics-table')).toContainText('0.910');
  await expect(results.getByTestId('confusion-matrix')).toBeVisible();
  // The headline is what a marketer acts on: who calling the top fifth reaches; ROC AUC is the detail.
  const headline = 'Finds 78% of the customers who will say “yes” if you call the top 20%';
  await expect(page.getByTestId('run-headline')).toHaveText(headline);
  await expect(page.getByTestId('run-headline-detail')).toHaveText('ROC AUC 0.910');
  await expect(results.getByTestId('evaluation-headline')).toContainText(headline);
  await expect(results.getByTestId('evaluation-headline')).toContainText('ROC AUC 0.910');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'test-results/screens/bank-template-run.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/screens/bank-template-run-phone.png' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/runs');
  await expect(page.getByTestId('runs-table')).toContainText(headline);
  await page.screenshot({ path: 'test-results/screens/runs-headline.png' });
});

test('a user builds the advertising pipeline from an empty canvas', async ({ page }) => {
  await page.goto('/editor');
  const data = await dropNode(page, 'data.sample', 150, 150);
  await page.getByTestId(`node-${data}`).click();
  await page.getByTestId('param-sample').selectOption('advertising');
  const split = await dropNode(page, 'prep.split', 420, 150);
  const model = await dropNode(page, 'model.linearRegression', 690, 100);
  const evaluate = await dropNode(page, 'eval.evaluate', 690, 330);
  await connect(page, data, 'table', split, 'table');
  await connect(page, split, 'split', model, 'data');
  await connect(page, model, 'model', evaluate, 'model');
  await connect(page, split, 'split', evaluate, 'data');
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await runAndWait(page);
  await page.getByTestId(`node-${evaluate}`).click();
  const report = page.getByTestId('results-panel').getByTestId('evaluation-preview');
  await expect(report).toHaveAttribute('data-task', 'regression');
  await expect(report.getByTestId('metrics-table')).toContainText('R²');
  await expect(report.getByTestId('evaluation-headline')).toContainText(/^Typically off by ±\d\.\d \(in units of Sales\)/);
  await expect(page.getByTestId('run-headline')).toHaveText(/^Typically off by ±\d\.\d \(in units of Sales\)$/);
  await expect(report.getByTestId('scatter-plot')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/advertising-built.png' });
});

test('a wire between incompatible ports is refused with its reason', async ({ page }) => {
  await page.goto('/editor');
  const data = await dropNode(page, 'data.sample', 150, 150);
  const evaluate = await dropNode(page, 'eval.evaluate', 550, 150);
  await connect(page, data, 'table', evaluate, 'model');
  await expect(page.getByTestId('connection-message')).toContainText('Evaluate needs a trained model');
  await expect(page.getByTestId('connection-message')).toContainText('Sample data outputs a table');
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
});

test('a saved pipeline survives a reload and its runs appear in the history', async ({ page }) => {
  await openTemplate(page, 'sales-forecast');
  await page.getByTestId('pipeline-name').fill('Sales forecast, Q3 markets');
  await page.getByTestId('node-model').click();
  await page.getByTestId('param-degree').fill('2');
  await page.getByTestId('param-degree').blur();
  await page.getByTestId('save-button').click();
  await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
  await runAndWait(page);

  await page.reload();
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Sales forecast, Q3 markets');
  await expect(page.locator('[data-node-type]')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  await page.getByTestId('node-model').click();
  await expect(page.getByTestId('param-degree')).toHaveValue('2');

  await page.getByTestId('results-tab-history').click();
  const history = page.getByTestId('run-history');
  await expect(history).toContainText('Finished');
  await expect(history).toContainText('Typically off by ±0.39 (in units of Sales)');

  await page.goto('/');
  await expect(page.getByText('Sales forecast, Q3 markets')).toBeVisible();
});

test('a user uploads a CSV, picks the column to predict and runs the pipeline on it', async ({ page }) => {
  const rows = ['spend,visits,region,bought'];
  for (let i = 0; i < 60; i++) rows.push(`${i * 3},${(i * 7) % 23},${i % 2 ? 'north' : 'south'},${i * 3 + ((i * 7) % 23) > 90 ? 'yes' : 'no'}`);
  await page.goto('/editor');
  const data = await dropNode(page, 'data.csv', 120, 120);
  await page.getByTestId(`node-${data}`).click();
  await page.getByTestId('dataset-file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await expect(page.getByTestId('dataset-rows')).toContainText('60 rows');
  await expect(page.getByTestId('dataset-columns')).toContainText('bought');
  await page.getByTestId('param-target').selectOption('bought');
  const encode = await dropNode(page, 'prep.oneHot', 380, 120);
  const split = await dropNode(page, 'prep.split', 640, 120);
  const model = await dropNode(page, 'model.logisticRegression', 250, 330);
  const evaluate = await dropNode(page, 'eval.evaluate', 560, 330);
  await connect(page, data, 'table', encode, 'table');
  await connect(page, encode, 'table', split, 'table');
  await connect(page, split, 'split', model, 'data');
  await connect(page, model, 'model', evaluate, 'model');
  await connect(page, split, 'split', evaluate, 'data');
  await runAndWait(page);
  await page.getByTestId(`node-${evaluate}`).click();
  await expect(page.getByTestId('results-panel').getByTestId('confusion-matrix')).toBeVisible();
});

test('a broken upload gets an error that names the line', async ({ page }) => {
  await page.goto('/editor');
  const data = await dropNode(page, 'data.csv', 150, 150);
  await page.getByTestId(`node-${data}`).click();
  const ragged = 'a,b,c\n1,2,3\n4,5\n';
  await page.getByTestId('dataset-file').setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from(ragged) });
  await expect(page.getByTestId('upload-error')).toContainText('Line 3');
});

test('a file of the wrong kind gets a plain refusal naming the file, for a CSV and for a model file', async ({ page }) => {
  await page.goto('/editor');
  const data = await dropNode(page, 'data.csv', 150, 150);
  await page.getByTestId(`node-${data}`).click();
  const zipBytes = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64)]);
  await page.getByTestId('dataset-file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: zipBytes });
  await expect(page.getByTestId('upload-error')).toContainText('customers.csv: This is a compressed (zip) file');
  await page.screenshot({ path: 'test-results/screens/upload-refused-desktop.png' });

  const saved = await dropNode(page, 'data.model', 150, 320);
  await page.getByTestId(`node-${saved}`).click();
  const broken = JSON.stringify({ format: 'pipelab-model', formatVersion: 1, model: { estimator: { kind: 'linear' } } });
  await page.getByTestId('model-file').setInputFiles({ name: 'churn-model.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
  await expect(page.getByTestId('model-upload-error')).toContainText('churn-model.json: This file is not a Pipelab model:');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/screens/upload-refused-phone.png', fullPage: true });
});
