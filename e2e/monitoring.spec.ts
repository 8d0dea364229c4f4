import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { readCsv } from '../nodes/lib/csv';
import { openTemplate, runAndWait } from './helpers';

/** Customers of the bank sample as a client would send them, without the answer column, each 30 years older. */
function olderCustomers(count: number): Record<string, string | number>[] {
  const { frame } = readCsv(fs.readFileSync(path.join('samples', 'bank-marketing.csv')), 'bank-marketing.csv');
  // Spread over the whole file, which is sorted by call date, so that only the age differs from training.
  const step = Math.floor(frame.rowCount / count);
  return Array.from({ length: count }, (_, i) => i * step).map((row) =>
    Object.fromEntries(
      frame.columns.filter((c) => c.name !== 'y').map((c) => [c.name, c.name === 'age' ? (c.values[row] as number) + 30 : (c.values[row] as string | number)]),
    ),
  );
}

test('a published model whose callers send older customers shows the drift on its monitoring view', async ({ page }) => {
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
  for (let i = 0; i < rows.length; i += 100) {
    const answer = await page.request.post(address, { headers: { authorization: `Bearer ${token}` }, data: { rows: rows.slice(i, i + 100) } });
    expect(answer.status()).toBe(200);
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

  await monitor.getByRole('button', { name: 'Last 30 days' }).click();
  await expect(monitor.getByTestId('drift-age')).toHaveAttribute('data-level', 'major');
  fs.mkdirSync('test-results/screens', { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await monitor.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/monitoring-1280.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/screens/monitoring-390.png', fullPage: true });
});
