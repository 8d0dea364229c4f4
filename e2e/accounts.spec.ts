import { expect, test } from '@playwright/test';

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('the app sends a visitor to sign in, and the API answers 401', async ({ page, request }) => {
    await page.goto('/runs');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fruns/);
    await expect(page.getByTestId('sign-in-page')).toBeVisible();
    await page.getByLabel('Email').fill('olga@example.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('sign-in-page').getByRole('alert')).toHaveText('That email and password do not match.');
    await page.screenshot({ path: 'test-results/screens/sign-in-desktop.png' });

    const anonymous = await request.get('/api/trpc/pipelines.list');
    expect(anonymous.status()).toBe(401);
    const write = await request.post('/api/trpc/pipelines.save', { data: { name: 'x', graph: { schemaVersion: 1, nodes: [], edges: [] } } });
    expect(write.status()).toBe(401);
  });

  test('signing in returns to the page asked for', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/sign-in?next=%2Fruns');
    await page.screenshot({ path: 'test-results/screens/sign-in-phone.png' });
    await page.getByLabel('Email').fill('olga@example.test');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/runs$/);
    await expect(page.getByTestId('signed-in-as')).toContainText('Olga Owner');
  });

  test('a request addressed to another host name is refused', async ({ request }) => {
    const response = await request.get('/api/trpc/system.info', { headers: { host: 'attacker.example' } });
    expect(response.status()).toBe(421);
  });
});

test('pages send a CSP that forbids framing', async ({ page }) => {
  const response = await page.goto('/');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  await expect(page.getByTestId('signed-in-as')).toContainText('owner');
});
