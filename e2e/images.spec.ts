import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildZip } from '../models/images/test-zip';
import { openTemplate, runAndWait } from './helpers';

const SAMPLE = path.join('samples', 'fashion-products');

async function setParam(page: Page, nodeId: string, name: string, value: string) {
  await page.getByTestId(`node-${nodeId}`).click();
  const input = page.getByTestId(`param-${name}`);
  await input.fill(value);
  await input.blur();
}

test('the product-photo template trains a CNN with a live curve, then compares it with an SVM on HOG features', async ({ page }) => {
  test.setTimeout(240_000);
  await openTemplate(page, 'classify-product-photos');
  await expect(page.locator('[data-node-type]')).toHaveCount(7);
  await page.getByTestId('run-button').click();
  // The network's curve appears on its canvas step and grows epoch by epoch while it trains.
  const sparkline = page.getByTestId('node-cnn').getByTestId('node-training-sparkline');
  await expect(sparkline).toHaveAttribute('data-points', /^[1-9]/, { timeout: 120_000 });
  const first = Number(await sparkline.getAttribute('data-points'));
  await expect.poll(async () => Number(await sparkline.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 180_000 });

  await page.getByTestId('node-photos').click();
  const results = page.getByTestId('results-panel');
  await expect(results.getByTestId('images-view')).toContainText('1,000 photos');
  await expect(results.getByTestId('image-thumbnail').first()).toBeVisible();
  await results.screenshot({ path: 'test-results/screens/photos-view.png' });

  // The results panel now takes part of the canvas: frame the steps again before clicking one.
  await page.locator('.react-flow__controls-fitview').click();
  await page.getByTestId('node-cnn').click();
  await expect(results.getByTestId('training-curves')).toBeVisible();
  await expect(results.getByTestId('cnn-layers')).toContainText('Convolution');
  await results.getByTestId('training-curves').scrollIntoViewIfNeeded();
  await results.screenshot({ path: 'test-results/screens/cnn-model.png' });

  await page.getByTestId('node-evaluate').click();
  await expect(results.getByTestId('leaderboard-row-cnn')).toContainText('Convolutional network');
  await expect(results.getByTestId('leaderboard-row-svm')).toContainText('Support vector machine');
  await expect(results.getByTestId('confusion-matrix').first()).toBeVisible();
  await expect(results.getByTestId('misclassified-image').first()).toBeVisible();
  await results.getByTestId('misclassified-gallery').scrollIntoViewIfNeeded();
  await results.screenshot({ path: 'test-results/screens/misclassified.png' });
  // See why: which part of each of the first test photos drove the answer, for every model.
  await expect(results.getByTestId('occlusion-map')).toHaveCount(4);
  await results.getByTestId('occlusion-maps').scrollIntoViewIfNeeded();
  await results.screenshot({ path: 'test-results/screens/occlusion-maps.png' });
  await page.screenshot({ path: 'test-results/screens/product-photos-run.png' });
});

test('a cancelled CNN run is recorded as cancelled with its curves so far', async ({ page }) => {
  test.setTimeout(240_000);
  await openTemplate(page, 'classify-product-photos');
  // More epochs and no early stop, so the run is surely still training when cancelled.
  await setParam(page, 'cnn', 'epochs', '60');
  await setParam(page, 'cnn', 'patience', '0');
  await page.getByTestId('run-button').click();
  const sparkline = page.getByTestId('node-cnn').getByTestId('node-training-sparkline');
  await expect(sparkline).toHaveAttribute('data-points', /^[1-9]/, { timeout: 120_000 });
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  await expect(page.getByTestId('node-status-cnn')).toHaveAttribute('data-status', 'cancelled');
  await page.getByTestId('node-cnn').click();
  const results = page.getByTestId('results-panel');
  await expect(results.getByTestId('curve-train-loss')).toHaveAttribute('data-points', /^[1-9]/);
  await page.screenshot({ path: 'test-results/screens/product-photos-cancelled.png' });

  // The run list keeps it as cancelled.
  await page.goto('/runs');
  await expect(page.getByTestId('runs-table')).toContainText('Cancelled');
});

test('a zip of photos is checked on upload: an unsafe one is refused, a good one is summarised', async ({ page }, testInfo) => {
  const image = (label: string, file: string) => ({ name: `photos/${label}/${file}`, data: fs.readFileSync(path.join(SAMPLE, label, file)) });
  const unsafe = buildZip([image('bag', '0001.png'), { name: '../escape/0001.png', data: fs.readFileSync(path.join(SAMPLE, 'bag', '0001.png')) }]);
  const good = buildZip([
    ...fs.readdirSync(path.join(SAMPLE, 'bag')).slice(0, 4).map((file) => image('bag', file)),
    ...fs.readdirSync(path.join(SAMPLE, 'sneaker')).slice(0, 3).map((file) => image('sneaker', file)),
    { name: 'photos/sneaker/notes.txt', data: Buffer.from('not a photo') },
  ]);
  const unsafeFile = testInfo.outputPath('unsafe.zip');
  const goodFile = testInfo.outputPath('good.zip');
  fs.writeFileSync(unsafeFile, unsafe);
  fs.writeFileSync(goodFile, good);

  await page.goto('/editor');
  await page.getByTestId('palette-item-data.images').dragTo(page.getByTestId('canvas'), { targetPosition: { x: 200, y: 200 } });
  await page.locator('[data-node-type="data.images"]').first().click();
  await page.getByTestId('param-source').selectOption('upload');
  await page.getByTestId('image-archive-file').setInputFiles(unsafeFile);
  await expect(page.getByTestId('image-archive-error')).toContainText('leave the folder');
  await page.getByTestId('image-archive-file').setInputFiles(goodFile);
  await expect(page.getByTestId('image-archive-count')).toContainText('7 photos');
  await expect(page.getByTestId('image-archive-warnings')).toContainText('notes.txt');
});
