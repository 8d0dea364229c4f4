import { expect, type Locator, type Page } from '@playwright/test';

/** Drops a node from the palette onto the canvas at (x, y) and returns its id. */
export async function dropNode(page: Page, type: string, x: number, y: number): Promise<string> {
  const before = await page.locator(`[data-node-type="${type}"]`).count();
  await page.getByTestId(`palette-item-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
  const nodes = page.locator(`[data-node-type="${type}"]`);
  await expect(nodes).toHaveCount(before + 1);
  const testId = await nodes.nth(before).getAttribute('data-testid');
  return testId!.replace(/^node-/, '');
}

async function centerOf(locator: Locator) {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a wire from an output handle to an input handle, as a user does with the mouse. */
export async function connect(page: Page, source: string, output: string, target: string, input: string): Promise<void> {
  const from = await centerOf(page.getByTestId(`handle-out-${source}-${output}`));
  const to = await centerOf(page.getByTestId(`handle-in-${target}-${input}`));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

export async function runAndWait(page: Page, status = 'succeeded'): Promise<void> {
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', status, { timeout: 90_000 });
}

export async function openTemplate(page: Page, templateId: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId(`open-template-${templateId}`).click();
  await expect(page.getByTestId('canvas')).toBeVisible();
}

/** On the Runs page, picks the runs of one pipeline (expecting `count` of them) and opens their comparison. */
export async function compareRunsOf(page: Page, pipelineName: string, count = 2): Promise<void> {
  await page.goto('/runs');
  await page.getByTestId('runs-filter-pipeline').selectOption({ label: pipelineName });
  const boxes = page.locator('[data-testid^="runs-select-"]');
  await expect(boxes).toHaveCount(count);
  for (let index = 0; index < count; index += 1) await boxes.nth(index).check();
  await page.getByTestId('compare-selected').click();
  await expect(page.getByTestId('compare-page')).toBeVisible();
}

/** Clicks a palette step: it continues the selected step (beside it, wired when the ports fit). Returns its id. */
export async function addFromPalette(page: Page, type: string): Promise<string> {
  const nodes = page.locator(`[data-node-type="${type}"]`);
  const before = await nodes.count();
  await page.getByTestId(`palette-item-${type}`).click();
  await expect(nodes).toHaveCount(before + 1);
  return (await nodes.nth(before).getAttribute('data-testid'))!.replace(/^node-/, '');
}

/** Wires a step's output to another step with its "Connect to…" menu. */
export async function connectByMenu(page: Page, source: string, targetTitle: RegExp): Promise<void> {
  // Frame the whole graph first: the step may have been panned out of view by later additions.
  await page.locator('.react-flow__controls-fitview').click();
  await page.getByTestId(`connect-to-${source}`).click();
  await page.getByTestId(`connect-menu-${source}`).getByRole('menuitem', { name: targetTitle }).click();
}
