import { expect, test, type Page } from '@playwright/test';
import { openTemplate, runAndWait } from './helpers';

test.use({ viewport: { width: 1280, height: 800 } });

const TEMPLATE_IDS = [
  'campaign-response',
  'sales-forecast',
  'compare-response-models',
  'explain-subscribers',
  'score-call-list',
  'channel-mix',
  'classify-product-photos',
];

/** The zoom React Flow draws the canvas at (the scale of its viewport transform). */
async function canvasZoom(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((element) => getComputedStyle(element).transform);
  return Number(/matrix\(([^,]+)/.exec(transform)![1]);
}

/** On-screen sizes at fit view: the smallest title font and handle, and whether every step is inside the canvas. */
async function measureFitView(page: Page) {
  const zoom = await canvasZoom(page);
  const titleFonts = await page.locator('[data-testid^="node-title-"]').evaluateAll((titles) =>
    titles.map((title) => parseFloat(getComputedStyle(title).fontSize)),
  );
  const handleBoxes = await Promise.all((await page.locator('.react-flow__handle').all()).map((handle) => handle.boundingBox()));
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const nodeBoxes = await Promise.all((await page.locator('.react-flow__node').all()).map((node) => node.boundingBox()));
  const inside = nodeBoxes.every(
    (box) => box!.x >= canvas.x - 1 && box!.y >= canvas.y - 1 && box!.x + box!.width <= canvas.x + canvas.width + 1 && box!.y + box!.height <= canvas.y + canvas.height + 1,
  );
  return {
    zoom,
    smallestTitle: Math.min(...titleFonts) * zoom,
    smallestHandle: Math.min(...handleBoxes.map((box) => Math.min(box!.width, box!.height))),
    inside,
  };
}

test('every template is readable at fit view on a 1280×800 screen', async ({ page }) => {
  for (const id of TEMPLATE_IDS) {
    await openTemplate(page, id);
    await expect(page.locator('.react-flow__node').first()).toBeVisible();
    await page.waitForTimeout(300);
    const measured = await measureFitView(page);
    console.info(`${id}: zoom ${measured.zoom.toFixed(2)}, title ${measured.smallestTitle.toFixed(1)} px, handle ${measured.smallestHandle.toFixed(1)} px`);
    expect(measured.smallestTitle, `${id}: title size on screen`).toBeGreaterThanOrEqual(12);
    expect(measured.smallestHandle, `${id}: handle hit area on screen`).toBeGreaterThanOrEqual(12);
    expect(measured.inside, `${id}: every step inside the canvas`).toBe(true);
    await page.screenshot({ path: `test-results/screens/template-fit-${id}.png` });
  }
});

test('on a touch screen, handles offer at least 24 px to the finger', async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  await openTemplate(page, 'campaign-response');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
  await page.waitForTimeout(300);
  const { smallestHandle } = await measureFitView(page);
  expect(smallestHandle).toBeGreaterThanOrEqual(24);
});

test('a marketer builds the campaign-response pipeline in at most 10 actions and runs it', async ({ page }) => {
  await page.goto('/editor');
  await expect(page.getByTestId('palette')).toBeVisible();
  let actions = 0;
  const act = async (step: () => Promise<unknown>) => {
    actions += 1;
    await step();
  };
  const palette = (type: string) => page.getByTestId(`palette-item-${type}`);
  const menuItem = (name: RegExp) => page.getByRole('menuitem', { name });

  await act(() => palette('data.sample').click());
  await act(() => palette('prep.cleanMissing').press('Enter'));
  await act(() => palette('prep.oneHot').click());
  await act(() => palette('prep.normalize').click());
  await act(() => palette('prep.split').click());
  const split = (await page.locator('[data-node-type="prep.split"]').getAttribute('data-testid'))!.replace(/^node-/, '');
  await act(() => page.getByTestId(`add-next-${split}-split`).click());
  // The steps that take a train/test split are offered, models first.
  await expect(page.getByRole('menu').getByRole('menuitem').first()).not.toHaveText(/balance/i);
  await act(() => menuItem(/logistic regression/i).click());
  await act(() => palette('eval.evaluate').click());

  await expect(page.locator('[data-node-type]')).toHaveCount(7);
  // data→clean→encode→scale→split→model→evaluate, and the split's test rows into evaluate.
  await expect(page.locator('.react-flow__edge')).toHaveCount(7);
  await page.screenshot({ path: 'test-results/screens/canvas-built-by-clicks.png' });
  await act(() => runAndWait(page));
  expect(actions).toBeLessThanOrEqual(10);
  console.info(`Built and ran the campaign-response pipeline in ${actions} actions.`);
  await expect(page.getByTestId('run-headline')).toBeVisible();
  const evaluate = page.locator('[data-node-type="eval.evaluate"]');
  await expect(evaluate.locator('[data-status]')).toHaveAttribute('data-status', /^(done|cached)$/);

  // Tidy up lays it out again, and undo puts every step back.
  const before = await page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).style.transform));
  await page.getByTestId('tidy-up').click();
  await expect
    .poll(() => page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).style.transform)))
    .not.toEqual(before);
  await page.keyboard.press('Control+z');
  await expect
    .poll(() => page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).style.transform)))
    .toEqual(before);
});

test('steps connect from the keyboard and drop onto a wire', async ({ page }) => {
  await page.goto('/editor');
  await page.getByTestId('palette-item-data.sample').press('Enter');
  await page.getByTestId('palette-item-prep.split').press('Enter');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  // A step added with nothing selected continues the last one; an unwired one is connected with "Connect to…".
  await page.getByTestId('palette-search').fill('logistic');
  await page.getByTestId('palette-item-model.logisticRegression').press('Enter');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // Put "Normalize" on the data→split wire (all on screen after Tidy up): it goes in between.
  await page.getByTestId('palette-search').fill('');
  await page.getByTestId('tidy-up').click();
  await page.waitForTimeout(400);
  const wire = page.locator('.react-flow__edge').first();
  const box = (await wire.boundingBox())!;
  await page.getByTestId('palette-item-prep.normalize').dragTo(page.getByTestId('canvas'), {
    targetPosition: await page.getByTestId('canvas').evaluate((canvas, point) => {
      const rect = canvas.getBoundingClientRect();
      return { x: point.x - rect.left, y: point.y - rect.top };
    }, { x: box.x + box.width / 2, y: box.y + box.height / 2 }),
  });
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);

  // An evaluate step dropped on a table wire does not fit there and says why.
  const tableWire = (await page.locator('.react-flow__edge').first().boundingBox())!;
  const canvasBox = (await page.getByTestId('canvas').boundingBox())!;
  await page.getByTestId('palette-item-eval.evaluate').dragTo(page.getByTestId('canvas'), {
    targetPosition: { x: tableWire.x + tableWire.width / 2 - canvasBox.x, y: tableWire.y + tableWire.height / 2 - canvasBox.y },
  });
  await expect(page.getByTestId('connection-message')).toBeVisible();

  // The evaluate step is still unwired: connect the model to it from the keyboard.
  const model = page.locator('[data-node-type="model.logisticRegression"]');
  await model.getByRole('button', { name: /connect .* to/i }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menu')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
});
