import fs from 'node:fs';
import path from 'node:path';
import { chromium, type FullConfig } from '@playwright/test';

export const OWNER = { name: 'Olga Owner', email: 'olga@example.test', password: 'correct horse battery' };
export const OWNER_STATE = 'test-results/e2e-auth/owner.json';

/**
 * The suite's server starts from an empty database: make the owner account once, through the first-start
 * page as a person would, and keep its session for every test (sign-ups are rate-limited, so only once).
 */
export default async function globalSetup(config: FullConfig) {
  const use = config.projects[0].use;
  const baseURL = use.baseURL!;
  fs.mkdirSync(path.dirname(OWNER_STATE), { recursive: true });
  fs.mkdirSync('test-results/screens', { recursive: true });
  const browser = await chromium.launch(use.launchOptions);
  try {
    const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto('/setup');
    await page.getByTestId('setup-submit').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: 'test-results/screens/setup-desktop.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: 'test-results/screens/setup-phone.png', fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Repeat the password').fill(OWNER.password);
    await page.getByTestId('setup-submit').click();
    await page.waitForURL((url) => url.pathname === '/', { timeout: 60_000 });
    await page.getByTestId('signed-in-as').waitFor({ timeout: 60_000 });
    await context.storageState({ path: OWNER_STATE });
    await context.close();
  } finally {
    await browser.close();
  }
}
