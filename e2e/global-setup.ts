import { request, type FullConfig } from '@playwright/test';

export const OWNER = { name: 'Olga Owner', email: 'olga@example.test', password: 'correct horse battery' };
export const OWNER_STATE = 'test-results/e2e-auth/owner.json';

/** The suite's server starts from an empty database: make the owner account once and keep its session for every test. */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0].use.baseURL!;
  const context = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const response = await context.post('/api/auth/sign-up/email', { data: OWNER });
  if (!response.ok()) throw new Error(`Could not create the owner account: ${response.status()} ${await response.text()}`);
  await context.storageState({ path: OWNER_STATE });
  await context.dispose();
}
