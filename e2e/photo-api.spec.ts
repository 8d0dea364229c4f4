import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runAndWait } from './helpers';

const SAMPLES = path.join('samples', 'fashion-products');
const CLASSES = fs.readdirSync(SAMPLES).sort();
const samplePhoto = (label: string) => {
  const name = fs.readdirSync(path.join(SAMPLES, label)).sort().at(-1)!;
  return { name: `${label}-${name}`, path: path.join(SAMPLES, label, name), buffer: fs.readFileSync(path.join(SAMPLES, label, name)) };
};

const step = (id: string, type: string, params: Record<string, unknown>, x: number) => ({ id, type, version: 1, params, position: { x, y: 120 } });
const wire = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({ id: `${source}-${target}`, source, sourceHandle, target, targetHandle });

/** The sample photos, prepared to 16×16 grayscale, and a small network: trains in seconds. */
const SMALL_PHOTO_PIPELINE = {
  schemaVersion: 1,
  nodes: [
    step('photos', 'data.images', { source: 'sample', sample: 'fashion-products' }, 0),
    step('prepare', 'prep.image', { size: 16, color: 'grayscale', scale: true }, 260),
    step('split', 'prep.split', { testFraction: 0.2, seed: 1, stratify: true }, 520),
    step('cnn', 'model.cnn', { convBlocks: 1, filters: 8, denseUnits: 32, epochs: 3, validationFraction: 0 }, 780),
  ],
  edges: [wire('photos', 'images', 'prepare', 'images'), wire('prepare', 'images', 'split', 'table'), wire('split', 'split', 'cnn', 'data')],
};

test('a photo model published as an API classifies a photo uploaded in the browser and photos sent by another tool', async ({ page }) => {
  test.setTimeout(240_000);
  const saved = await page.request.post('/api/trpc/pipelines.save', { data: { name: 'Small photo network', graph: SMALL_PHOTO_PIPELINE } });
  expect(saved.status()).toBe(200);
  const pipelineId = (await saved.json()).result.data.id as string;
  await page.goto(`/editor/${pipelineId}`);
  await runAndWait(page);

  await page.getByTestId('node-cnn').click();
  await page.getByTestId('publish-model').click();
  await page.getByTestId('publish-name').fill('Which garment');
  await page.getByTestId('publish-confirm').click();
  const dialog = page.getByTestId('endpoint-dialog');
  await expect(dialog).toContainText('send photos');
  await expect(dialog.getByTestId('endpoint-curl')).toContainText('-F image=@photo.jpg');
  const token = (await dialog.getByTestId('endpoint-token').textContent())!.trim();
  const address = (await dialog.getByTestId('endpoint-url').textContent())!.trim();
  const endpointId = address.split('/').pop()!;
  await dialog.getByTestId('endpoint-dialog-close').click();

  // In the browser: the Prediction APIs page sends a chosen photo to the API and shows its label and probabilities.
  await page.goto('/endpoints');
  await expect(page.getByTestId(`endpoint-row-${endpointId}`)).toContainText('photos');
  await page.getByTestId(`try-${endpointId}`).click();
  const panel = page.getByTestId('photo-try');
  await expect(panel).toContainText('resized to 16×16 grayscale');
  const trouser = samplePhoto('trouser');
  await panel.getByTestId('photo-try-token').fill(token);
  await panel.getByTestId('photo-try-files').setInputFiles(trouser.path);
  await panel.getByTestId('photo-try-send').click();
  const answer = panel.getByTestId('photo-try-answer');
  await expect(answer).toHaveCount(1);
  const label = (await answer.getByTestId('photo-try-label').textContent())!.trim();
  expect(CLASSES).toContain(label);
  await expect(answer.getByTestId('photo-try-probabilities').locator('tr')).toHaveCount(CLASSES.length);
  // The bars are ordered by probability, so the label comes first.
  await expect(answer.getByTestId('photo-try-probabilities').locator('tr').first()).toHaveAttribute('data-label', label);
  fs.mkdirSync('test-results/screens', { recursive: true });
  await panel.scrollIntoViewIfNeeded();
  // The page scrolls inside its layout, so the panel itself is captured rather than a full page.
  await page.setViewportSize({ width: 1280, height: 800 });
  await panel.screenshot({ path: 'test-results/screens/photo-api-try-1280.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await panel.screenshot({ path: 'test-results/screens/photo-api-try-390.png' });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Another tool: a multipart form of photos with one broken file, then base64 JSON.
  const broken = { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a photo') };
  const bag = samplePhoto('bag');
  const form = await page.request.fetch(address, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    multipart: { first: { name: bag.name, mimeType: 'image/png', buffer: bag.buffer }, second: broken },
  });
  expect(form.status()).toBe(400);
  const formAnswer = await form.json();
  expect(formAnswer.predictions[0].name).toBe(bag.name);
  expect(CLASSES).toContain(formAnswer.predictions[0].label);
  expect(formAnswer.predictions[1]).toEqual({ name: 'notes.png', error: '"notes.png" is not a PNG or JPEG image.' });

  const photos = CLASSES.map(samplePhoto);
  const batch = await page.request.post(address, {
    headers: { authorization: `Bearer ${token}` },
    data: { images: photos.map((photo) => ({ name: photo.name, data: photo.buffer.toString('base64') })) },
  });
  expect(batch.status()).toBe(200);
  const batchAnswer = await batch.json();
  expect(batchAnswer.answered).toBe(CLASSES.length);
  for (const prediction of batchAnswer.predictions) {
    const total = Object.values(prediction.probabilities as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 3);
  }

  // Monitoring counts the photos, the refusal with its reason and the labels answered.
  await page.getByTestId(`monitor-${endpointId}`).click();
  const monitor = page.getByTestId('endpoint-monitor');
  await expect(monitor.getByTestId('monitor-requests')).toHaveText('3');
  await expect(monitor.getByTestId('monitor-refused')).toHaveText('1');
  await expect(monitor.getByTestId('monitor-rows')).toHaveText(String(CLASSES.length + 2));
  await expect(monitor.getByTestId('monitor-refusals')).toContainText('photo is not a PNG or JPEG image');
  await expect(monitor.getByTestId('monitor-labels')).toBeVisible();
  await expect(monitor.getByTestId('monitor-no-drift')).toContainText('No column drift is measured for a photo API');
  await page.setViewportSize({ width: 1280, height: 800 });
  await monitor.screenshot({ path: 'test-results/screens/photo-api-monitor-1280.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await monitor.screenshot({ path: 'test-results/screens/photo-api-monitor-390.png' });
});
