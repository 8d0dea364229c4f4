import { expect, test, type Page } from '@playwright/test';
import { openTemplate } from './helpers';

async function setDegree(page: Page, degree: string) {
  await page.getByTestId('node-model').click();
  await page.getByTestId('param-degree').fill(degree);
  await page.getByTestId('param-degree').blur();
}

async function saveVersion(page: Page, version: number) {
  await page.getByTestId('save-button').click();
  await expect(page.getByTestId('pipeline-version')).toHaveAttribute('data-version', String(version), { timeout: 15_000 });
  await expect(page.getByTestId('save-state')).not.toContainText('Unsaved', { timeout: 15_000 });
}

test('saving twice keeps two versions; their difference is shown and the first can be restored', async ({ page }) => {
  await openTemplate(page, 'sales-forecast');
  await page.getByTestId('pipeline-name').fill('Versions walk-through');
  await saveVersion(page, 1);
  await setDegree(page, '3');
  await saveVersion(page, 2);

  await page.getByTestId('results-tab-versions').click();
  const panel = page.getByTestId('versions-panel');
  await expect(panel.getByTestId('version-row-1')).toBeVisible();
  await expect(panel.getByTestId('version-row-2')).toBeVisible();
  // The newest version cannot be restored over itself.
  await expect(panel.getByTestId('restore-version-2')).toHaveCount(0);

  await panel.getByTestId('version-pick-1').check();
  await panel.getByTestId('version-pick-2').check();
  const diff = panel.getByTestId('version-diff');
  await expect(diff).toHaveAttribute('data-from', '1');
  await expect(diff).toHaveAttribute('data-to', '2');
  const changed = diff.getByTestId('diff-node-model');
  await expect(changed).toHaveAttribute('data-change', 'changed');
  await expect(changed).toContainText('1');
  await expect(changed).toContainText('3');
  await page.screenshot({ path: 'test-results/screens/versions-diff.png', fullPage: true });

  // Restoring saves version 1 again as the newest, and the canvas shows its settings.
  await panel.getByTestId('restore-version-1').click();
  await expect(page.getByTestId('pipeline-version')).toHaveAttribute('data-version', '3', { timeout: 15_000 });
  await page.getByTestId('node-model').click();
  await expect(page.getByTestId('param-degree')).toHaveValue('1');
  await expect(panel.getByTestId('version-row-3')).toBeVisible();
});
