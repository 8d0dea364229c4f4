import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { dropNode, openTemplate, runAndWait } from './helpers';

test.use({ viewport: { width: 1280, height: 800 } });

const DATED = /^Forecast sales from ad spend – \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/;

async function runRowCount(page: Page): Promise<number> {
  await page.goto('/runs');
  await expect(page.getByTestId('runs-table')).toBeVisible();
  await expect(page.locator('[data-testid^="runs-row-"], [data-testid="runs-empty"]').first()).toBeVisible();
  return page.locator('[data-testid^="runs-row-"]').count();
}

test('the first run of a template names and saves the pipeline, so the history shows its name', async ({ page }) => {
  await openTemplate(page, 'sales-forecast');
  await runAndWait(page);
  await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('pipeline-name')).toHaveValue(DATED);
  const name = await page.getByTestId('pipeline-name').inputValue();
  await page.screenshot({ path: 'test-results/screens/first-run-named.png' });

  await page.goto('/runs');
  const table = page.getByTestId('runs-table');
  await expect(table).toContainText(name);
  await expect(table).not.toContainText('Untitled');
  await expect(table).not.toContainText('(not saved)');
  await page.screenshot({ path: 'test-results/screens/runs-named.png' });
});

test('a pipeline with a problem is shown on the canvas and left out of the run history', async ({ page }) => {
  const before = await runRowCount(page);
  await page.goto('/editor');
  const split = await dropNode(page, 'prep.split', 300, 200);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('editor-error')).toContainText('One step needs attention first');
  await expect(page.getByTestId(`node-status-${split}`)).toHaveAttribute('data-status', 'problem');
  await expect(page.getByTestId(`node-${split}`)).toContainText('Needs attention');
  // Nothing ran, so nothing was saved either.
  await expect(page).toHaveURL(/\/editor$/);
  await page.screenshot({ path: 'test-results/screens/refused-run.png' });
  expect(await runRowCount(page)).toBe(before);
});

test('importing the same file twice gives the second copy "(2)"', async ({ page }) => {
  const file = {
    name: 'Ad spend check',
    graph: { schemaVersion: 1, nodes: [{ id: 'data', type: 'data.sample', version: 1, params: { sample: 'advertising' }, position: { x: 80, y: 80 } }], edges: [] },
  };
  const importFile = async () => {
    await page.goto('/');
    await page.getByTestId('import-pipeline').setInputFiles({ name: 'ad-spend.pipelab.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
  };
  await importFile();
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Ad spend check');
  await importFile();
  await expect(page.getByTestId('pipeline-name')).toHaveValue('Ad spend check (2)');
  await page.goto('/');
  await expect(page.getByText('Ad spend check (2)')).toBeVisible();
});

test('a broken pipeline file is refused in plain words', async ({ page }) => {
  await page.goto('/');
  const cases = [
    { name: 'cut.pipelab.json', text: '{"name": "Half", "graph": {"schemaVersion": 1, "nodes": [', reason: 'it stops in the middle, as if the file was cut off' },
    { name: 'settings.json', text: '{"theme": "dark", "fontSize": 14}', reason: 'it holds no pipeline' },
    { name: 'empty.json', text: '', reason: 'the file is empty' },
  ];
  for (const { name, text, reason } of cases) {
    await page.getByTestId('import-pipeline').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    const error = page.getByTestId('import-error');
    await expect(error).toContainText(`This is not a Pipelab pipeline file: ${reason}`);
    await expect(error).not.toContainText(/position|Unexpected|Expected/);
    if (name === 'cut.pipelab.json') await page.screenshot({ path: 'test-results/screens/import-broken.png' });
  }
});

test('choosing a CSV preselects the obvious column to predict and says why; a file without it clears it', async ({ page }) => {
  // The first 60 customers who said no and 20 who said yes, from the bank-marketing sample.
  const [header, ...rows] = fs.readFileSync('samples/bank-marketing.csv', 'utf8').trim().split(/\r?\n/);
  const bank = [header, ...rows.filter((row) => row.endsWith(';no')).slice(0, 60), ...rows.filter((row) => row.endsWith(';yes')).slice(0, 20)].join('\n');
  await page.goto('/editor');
  const data = await dropNode(page, 'data.csv', 200, 160);
  await page.getByTestId(`node-${data}`).click();

  await page.getByTestId('dataset-file').setInputFiles({ name: 'ids.csv', mimeType: 'text/csv', buffer: Buffer.from('customer_id\nC-1\nC-2\nC-3\n') });
  await expect(page.getByTestId('upload-error')).toContainText('The file has only one column (“customer_id”)');

  await page.getByTestId('dataset-file').setInputFiles({ name: 'bank.csv', mimeType: 'text/csv', buffer: Buffer.from(bank) });
  await expect(page.getByTestId('target-note')).toHaveText('Preselected “y”: it is the last column and has two values.');
  await expect(page.getByTestId('param-target')).toHaveValue('y');
  await page.screenshot({ path: 'test-results/screens/target-preselected.png' });

  const spend = ['spend,region,visits', '10,north,3', '20,south,4', '30,east,5', '40,west,9'].join('\n');
  await page.getByTestId('dataset-file').setInputFiles({ name: 'spend.csv', mimeType: 'text/csv', buffer: Buffer.from(spend) });
  await expect(page.getByTestId('target-note')).toContainText('spend.csv has no column “y”, so the column to predict was cleared.');
  await expect(page.getByTestId('param-target')).toHaveValue('');
  await page.screenshot({ path: 'test-results/screens/target-cleared.png' });
});
