import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { readCsv } from '../nodes/lib/csv';
import { openTemplate, runAndWait } from './helpers';

const { frame: bank } = readCsv(fs.readFileSync(path.join('samples', 'bank-marketing.csv')), 'bank-marketing.csv');
// Spread over the whole file, which is sorted by call date, so that only the age differs from training.
const sampledRows = (count: number) => Array.from({ length: count }, (_, i) => i * Math.floor(bank.rowCount / count));

/** Customers of the bank sample as a client would send them, without the answer column, each 30 years older. */
function olderCustomers(count: number): Record<string, string | number>[] {
  return sampledRows(count).map((row) =>
    Object.fromEntries(
      bank.columns.filter((c) => c.name !== 'y').map((c) => [c.name, c.name === 'age' ? (c.values[row] as number) + 30 : (c.values[row] as string | number)]),
    ),
  );
}

/** What those customers really answered (the sample's "y" column). */
function realAnswers(count: number): string[] {
  const y = bank.columns.find((c) => c.name === 'y')!;
  return sampledRows(count).map((row) => y.values[row] as string);
}

test('a published model whose callers send older customers shows the drift, then its live accuracy once outcomes are posted', async ({ page }) => {
  await openTemplate(page, 'campaign-response');
  await runAndWait(page);
  await page.getByTestId('node-model').click();
  await page.getByTestId('publish-model').click();
  await page.getByTestId('publish-name').fill('Campaign response (monitored)');
  await page.getByTestId('publish-confirm').click();
  const token = (await page.getByTestId('endpoint-token').textContent())!.trim();
  const address = (await page.getByTestId('endpoint-url').textContent())!.trim();
  const endpointId = address.split('/').pop()!;

  const rows = olderCustomers(500);
  const predictionIds: string[] = [];
  for (let i = 0; i < rows.length; i += 100) {
    const answer = await page.request.post(address, { headers: { authorization: `Bearer ${token}` }, data: { rows: rows.slice(i, i + 100) } });
    expect(answer.status()).toBe(200);
    predictionIds.push(...((await answer.json()) as { predictions: { predictionId: string }[] }).predictions.map((p) => p.predictionId));
  }
  const refused = await page.request.post(address, { headers: { authorization: `Bearer ${token}` }, data: { rows: [{ ...rows[0], age: 'old' }] } });
  expect(refused.status()).toBe(400);

  await page.goto('/endpoints');
  await page.getByTestId(`monitor-${endpointId}`).click();
  const monitor = page.getByTestId('endpoint-monitor');
  // Traffic reaches the database within a few seconds; the view asks again every five.
  await expect(monitor.getByTestId('monitor-requests')).toHaveText('6');
  await expect(monitor.getByTestId('monitor-refused')).toHaveText('1');
  await expect(monitor.getByTestId('monitor-refusals')).toContainText('column "age": expected a number');
  const age = monitor.getByTestId('drift-age');
  await expect(age).toHaveAttribute('data-level', 'major');
  await expect(age).toContainText('The rows scored recently are older than those the model learned from');
  await expect(monitor.getByTestId('drift-job')).toHaveAttribute('data-level', 'stable');
  await expect(monitor.getByTestId('monitor-requests-chart')).toBeVisible();

  // What really happened: the first 400 customers' answers by the API, the other 100 as a CSV on the page (one line wrong).
  await expect(monitor.getByTestId('monitor-accuracy')).toContainText('No outcomes posted');
  const actual = realAnswers(500);
  const outcomes = predictionIds.slice(0, 400).map((predictionId, i) => ({ predictionId, actual: actual[i] }));
  const posted = await page.request.post(`${address}/outcomes`, { headers: { authorization: `Bearer ${token}` }, data: { outcomes } });
  expect(posted.status()).toBe(200);
  expect(await posted.json()).toMatchObject({ accepted: 400, refusedCount: 0 });
  const again = await page.request.post(`${address}/outcomes`, { headers: { authorization: `Bearer ${token}` }, data: { outcomes: [outcomes[0]] } });
  expect(again.status()).toBe(409);
  expect((await again.json()).error).toContain(`an outcome for prediction "${outcomes[0].predictionId}" was already posted`);
  const csv = ['predictionId,actual', ...predictionIds.slice(400).map((id, i) => `${id},${actual[400 + i]}`), 'not-an-id,yes'].join('\n');
  await monitor.getByTestId('outcomes-file').setInputFiles({ name: 'outcomes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(monitor.getByTestId('outcomes-summary')).toContainText('Recorded 100 of 101 outcomes; 1 was refused');
  await expect(monitor.getByTestId('outcomes-refused')).toContainText('Line 102: unknown prediction id "not-an-id"');
  await expect(monitor.getByTestId('monitor-accuracy')).toHaveText(/^Right \d+% of the time in the last hour, (below|above|about the same as) the 85% measured at training \(from 500 outcomes\)\.$/);
  await expect(monitor.getByTestId('monitor-accuracy-chart')).toBeVisible();

  await monitor.getByRole('button', { name: 'Last 30 days' }).click();
  await expect(monitor.getByTestId('drift-age')).toHaveAttribute('data-level', 'major');
  await expect(monitor.getByTestId('monitor-accuracy')).toContainText('in the last 30 days');
  fs.mkdirSync('test-results/screens', { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await monitor.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/monitoring-1280.png', fullPage: true });
  const accuracy = monitor.getByTestId('monitor-outcomes');
  await accuracy.scrollIntoViewIfNeeded();
  await accuracy.screenshot({ path: 'test-results/screens/monitoring-accuracy-1280.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/screens/monitoring-390.png', fullPage: true });
  await accuracy.scrollIntoViewIfNeeded();
  await accuracy.screenshot({ path: 'test-results/screens/monitoring-accuracy-390.png' });
});
