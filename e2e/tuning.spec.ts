import { expect, test } from '@playwright/test';
import { addFromPalette, openTemplate, runAndWait } from './helpers';

test('a user turns on the settings search of a decision tree and sees the leaderboard with the best settings applied', async ({ page }) => {
  test.setTimeout(240_000);
  await openTemplate(page, 'campaign-response');
  await page.getByTestId('node-split').click();
  const tree = await addFromPalette(page, 'model.decisionTree');

  // The search's own options show only once a search is asked for.
  await expect(page.getByTestId('param-searchTrials')).toHaveCount(0);
  await page.getByTestId('param-search').selectOption('grid');
  await page.getByTestId('param-searchTrials').fill('4');
  await page.getByTestId('param-searchTrials').blur();
  await page.getByTestId('param-searchFolds').fill('3');
  await page.getByTestId('param-searchFolds').blur();
  await runAndWait(page);

  await expect(page.getByTestId(`node-tuning-${tree}`)).toContainText(/Best settings applied: depth \d+, leaf size \d+/);
  await page.getByTestId(`node-${tree}`).click();
  const results = page.getByTestId('results-panel');
  await results.getByTestId(`results-tab-${tree}`).click();
  const board = results.getByTestId('tuning-leaderboard');
  await expect(board.getByTestId('tuning-trial')).toHaveCount(4);
  const best = board.locator('[data-testid="tuning-trial"][data-best]');
  await expect(best).toHaveCount(1);
  await expect(best).toContainText('Best, applied');
  await expect(results.getByTestId('model-summary')).toContainText(/Best settings applied: depth \d+, leaf size \d+ \(try \d of 4, Found in the top 20%/);

  // Sorted by score, the best try comes first.
  await board.getByTestId('tuning-sort').click();
  await expect(board.getByTestId('tuning-trial').first()).toHaveAttribute('data-best', 'true');
  await board.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/tuning-leaderboard.png' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await board.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/tuning-leaderboard-1280.png' });

  // On a phone: the saved pipeline runs again (every step reused) and the results sheet shows the same leaderboard.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await runAndWait(page);
  await results.getByTestId(`results-tab-${tree}`).click();
  await expect(results.getByTestId('tuning-leaderboard').getByTestId('tuning-trial')).toHaveCount(4);
  await results.getByTestId('tuning-leaderboard').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/tuning-leaderboard-390.png' });
});
