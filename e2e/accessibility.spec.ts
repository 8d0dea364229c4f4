import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { compareRunsOf, openTemplate, runAndWait } from './helpers';

/** The axe findings that block a person using a screen reader, keyboard or low vision; minor ones are not gated. */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      where: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${node.failureSummary?.split('\n')[1] ?? ''}`),
    }));
}

async function expectAccessible(page: Page, name: string) {
  // Soft: one run reports every page that fails, not only the first.
  expect.soft(await page.locator('h1').count(), `one h1 on ${name}`).toBe(1);
  expect.soft(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

async function savePipeline(page: Page, name: string) {
  await page.getByTestId('pipeline-name').fill(name);
  await page.getByTestId('save-button').click();
  await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('save-state')).not.toContainText('Unsaved', { timeout: 15_000 });
}

test('every page has one main heading and no serious or critical accessibility problem', async ({ page, browser }) => {
  await page.goto('/');
  await expect(page.getByTestId('open-template-sales-forecast')).toBeVisible();
  await expectAccessible(page, 'pipelines and template gallery');

  await openTemplate(page, 'sales-forecast');
  await expectAccessible(page, 'editor with a template');
  await savePipeline(page, 'Accessible forecast');
  await runAndWait(page);
  await expect(page.getByTestId('run-headline')).toBeVisible();
  await expectAccessible(page, 'editor with results');
  // On a phone the panels are dialogs over the canvas.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('open-sheet-steps').click();
  await expect(page.getByRole('dialog', { name: 'Steps' })).toBeFocused();
  await expectAccessible(page, 'editor on a phone with the steps open');
  await page.getByTestId('close-sheet-steps').click();
  await page.getByTestId('open-sheet-results').click();
  await expect(page.getByRole('dialog', { name: 'Results' }).getByTestId('run-headline')).toBeVisible();
  await expectAccessible(page, 'editor on a phone with the results open');
  await page.getByTestId('close-sheet-results').click();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('node-model').click();
  await page.getByTestId('param-degree').fill('2');
  await page.getByTestId('param-degree').blur();
  await runAndWait(page);

  await page.getByTestId('share-menu').click();
  await page.getByTestId('copy-share-link').click();
  const shareLink = await page.getByTestId('share-link').inputValue();

  await page.goto('/runs');
  await expect(page.locator('[data-testid^="runs-select-"]')).toHaveCount(2);
  await expectAccessible(page, 'runs');
  await compareRunsOf(page, 'Accessible forecast');
  await expect(page.getByTestId('compare-metric-row-r2')).toBeVisible();
  await expectAccessible(page, 'compare two runs');

  for (const [path, name] of [
    ['/endpoints', 'prediction APIs'],
    ['/members', 'members'],
    ['/activity', 'activity'],
    ['/editor', 'new empty pipeline'],
  ] as const) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, name);
  }

  await page.goto('/members');
  await page.getByTestId('invite-email-input').fill('reader@example.test');
  await page.getByTestId('invite-role-input').selectOption('viewer');
  await page.getByTestId('invite-submit-button').click();
  const inviteLink = await page.getByTestId('invite-link').inputValue();
  await expectAccessible(page, 'members with an invitation');

  const visitor = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const signedOut = await visitor.newPage();
  await signedOut.goto('/sign-in');
  await expect(signedOut.getByLabel('Email')).toBeVisible();
  await expectAccessible(signedOut, 'sign-in');
  await signedOut.goto(inviteLink);
  await expect(signedOut.getByTestId('invite-title')).toBeVisible();
  await expectAccessible(signedOut, 'invitation');
  await signedOut.goto(shareLink);
  await expect(signedOut.getByTestId('share-page')).toContainText('Accessible forecast');
  await expectAccessible(signedOut, 'shared pipeline');
  await signedOut.goto(`/api/report/shared/${shareLink.split('/').pop()}`);
  await expectAccessible(signedOut, 'shared report');
  await visitor.close();
});
