import { expect, test, type Page } from '@playwright/test';
import { compareRunsOf, openTemplate, runAndWait } from './helpers';

const SIZES = [
  { name: '1280x800', width: 1280, height: 800, narrow: false },
  { name: '768x1024', width: 768, height: 1024, narrow: true },
  { name: '390x844', width: 390, height: 844, narrow: true },
] as const;

/** How far the page reaches past the right edge of the window; 0 means no sideways scrolling. */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
}

async function expectNoSidewaysScroll(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  await expect(page.locator('h1')).toHaveCount(1);
  expect.soft(await sidewaysOverflow(page), `sideways overflow on ${path}`).toBeLessThanOrEqual(0);
}

for (const size of SIZES) {
  test(`at ${size.name} a template runs, its result reads, and no page scrolls sideways`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await openTemplate(page, 'sales-forecast');
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    // The canvas has real room: at least most of the window's width.
    expect(canvas.width).toBeGreaterThan(size.width * (size.narrow ? 0.95 : 0.5));
    expect(canvas.height).toBeGreaterThan(200);
    await expect(page.locator('[data-node-type]')).toHaveCount(5);
    await page.getByTestId('pipeline-name').fill(`Forecast at ${size.name}`);
    await page.getByTestId('save-button').click();
    await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);

    if (size.narrow) {
      // The panels are sheets over the canvas: closed until their button opens them.
      await expect(page.getByTestId('palette')).toBeHidden();
      await page.getByTestId('open-sheet-steps').click();
      await expect(page.getByTestId('palette')).toBeVisible();
      await expect(page.getByRole('dialog', { name: 'Steps' })).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('palette')).toBeHidden();
      await expect(page.getByTestId('open-sheet-steps')).toBeFocused();

      await page.getByTestId('node-model').click();
      await page.getByTestId('open-sheet-settings').click();
      await expect(page.getByTestId('param-degree')).toBeVisible();
      await page.getByTestId('close-sheet-settings').click();
      await expect(page.getByTestId('param-degree')).toBeHidden();
    }

    await runAndWait(page);
    // On narrow screens the results sheet opens by itself when the run starts.
    const headline = page.getByTestId('run-headline');
    await expect(headline).toBeVisible();
    await expect(headline).toContainText(/\S/);
    const box = (await headline.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(size.width);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    // The README's screenshots: rewritten on request only, so a test run leaves the checkout as it was.
    await page.screenshot({ path: process.env.UPDATE_SCREENSHOTS ? `docs/screenshot-${size.name}.png` : test.info().outputPath(`${size.name}.png`) });

    if (size.narrow) {
      await page.getByTestId('close-sheet-results').click();
      await expect(headline).toBeHidden();
    }

    // Run it once more and share it, so a comparison and the shared page have something to show.
    await runAndWait(page);
    if (size.narrow) await page.getByTestId('close-sheet-results').click();
    await page.getByTestId('share-menu').click();
    await page.getByTestId('copy-share-link').click();
    const shareLink = await page.getByTestId('share-link').inputValue();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

    for (const path of ['/', '/runs', '/endpoints', '/members', '/activity', new URL(shareLink).pathname]) {
      await expectNoSidewaysScroll(page, path);
    }
    await compareRunsOf(page, `Forecast at ${size.name}`);
    await page.waitForLoadState('networkidle');
    expect.soft(await sidewaysOverflow(page), 'sideways overflow on compare').toBeLessThanOrEqual(0);
  });
}

test.describe('on a touch screen', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('ports have a 24 px target, one finger pans the canvas and two fingers zoom it', async ({ page }) => {
    await openTemplate(page, 'sales-forecast');
    const port = page.locator('.react-flow__handle').first();
    const target = await port.evaluate((el) => {
      const style = getComputedStyle(el, '::before');
      return [style.width, style.height];
    });
    expect(target).toEqual(['24px', '24px']);

    const transform = () => page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: { x: number; y: number }[]) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((point, id) => ({ ...point, id })) });
    const box = (await page.getByTestId('canvas').boundingBox())!;
    const at = (dx: number, dy: number) => ({ x: box.x + box.width / 2 + dx, y: box.y + 80 + dy });

    const before = await transform();
    await touch('touchStart', [at(0, 0)]);
    for (let step = 1; step <= 5; step += 1) await touch('touchMove', [at(step * 12, step * 12)]);
    await touch('touchEnd', []);
    const panned = await transform();
    expect(panned).not.toEqual(before);

    await touch('touchStart', [at(-20, 0), at(20, 0)]);
    for (let step = 1; step <= 5; step += 1) await touch('touchMove', [at(-20 - step * 15, 0), at(20 + step * 15, 0)]);
    await touch('touchEnd', []);
    const scale = (matrix: string) => Number(matrix.match(/matrix\(([^,]+)/)?.[1]);
    expect(scale(await transform())).toBeGreaterThan(scale(panned));
  });
});
