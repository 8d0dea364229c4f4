import { expect, test, type Browser, type Page } from '@playwright/test';
import { OWNER } from './global-setup';
import { openTemplate, runAndWait } from './helpers';

const SIGNED_OUT = { cookies: [], origins: [] };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const EMPTY_GRAPH = { schemaVersion: 1, nodes: [], edges: [] };

function baseURL(): string {
  return test.info().project.use.baseURL!;
}

/** A separate browser, as a colleague on their own computer has: nobody signed in. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseURL(), viewport: DESKTOP, storageState: SIGNED_OUT });
  return context.newPage();
}

async function screenshots(page: Page, name: string) {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `test-results/screens/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: `test-results/screens/${name}-phone.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
}

/** The owner creates an invitation link on the Members page and copies it from there. */
async function invite(page: Page, email: string, role: 'viewer' | 'editor' | 'owner'): Promise<string> {
  await page.getByTestId('invite-email-input').fill(email);
  await page.getByTestId('invite-role-input').selectOption(role);
  await page.getByTestId('invite-submit-button').click();
  await expect(page.getByTestId('invite-link-box')).toContainText(email);
  const link = await page.getByTestId('invite-link').inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL()}/invite/[\\w-]+$`));
  await expect(page.getByTestId(`invitation-row-${email}`)).toBeVisible();
  return link;
}

/** Opens an invitation link signed out and creates the account it asks for. */
async function acceptAsNewAccount(page: Page, link: string, person: { name: string; password: string }, role: string) {
  await page.goto(link);
  await expect(page.getByTestId('invite-title')).toHaveText(`${OWNER.name} invited you to ${OWNER.name}'s workspace as ${role}`);
  await expect(page.getByTestId('invite-role')).not.toBeEmpty();
  await expect(page.getByTestId('invite-email')).toHaveAttribute('readonly', '');
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByLabel('Repeat the password').fill(person.password);
  await page.getByTestId('invite-submit').click();
  await expect(page).toHaveURL(`${baseURL()}/`);
  await expect(page.getByTestId('signed-in-as')).toContainText(person.name);
  await expect(page.getByTestId('active-role')).toHaveText(role);
}

test.describe('signed out', () => {
  test.use({ storageState: SIGNED_OUT });

  test('the home page, the closed setup page and a foreign "next" all end on sign-in or this site', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByTestId('sign-in-page')).toContainText('New here? Ask a workspace owner for an invitation link.');
    await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
    // With an owner in place, the first-start page is closed.
    await page.goto('/setup');
    await expect(page).toHaveURL(/\/sign-in$/);

    await page.goto('/sign-in?next=%2F%2Fevil.example%2F');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${baseURL()}/`);
    await page.goto('/sign-in?next=%2Fruns');
    await expect(page.getByTestId('already-signed-in')).toContainText(OWNER.name);
    await page.getByTestId('already-signed-in').getByRole('link', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/runs$/);
  });
});

test('an owner invites a viewer and an editor; roles, shared links, removal and activity', async ({ page, browser }) => {
  test.setTimeout(300_000);
  const vera = { name: 'Vera Viewer', email: 'vera@example.test', password: 'vera-password-1' };
  const eddie = { name: 'Eddie Editor', email: 'eddie@example.test', password: 'eddie-password-1' };

  // The owner saves a pipeline and makes a read-only link to it.
  await openTemplate(page, 'sales-forecast');
  await page.getByTestId('pipeline-name').fill('Team forecast');
  await page.getByTestId('save-button').click();
  await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/);
  const pipelineUrl = page.url();
  await page.getByTestId('share-menu').click();
  await page.getByTestId('copy-share-link').click();
  const shareLink = await page.getByTestId('share-link').inputValue();

  // Members: the role table, and invitation links to copy.
  await page.getByTestId('nav-members').click();
  await expect(page.getByTestId('roles-table')).toContainText('Opens pipelines, runs, comparisons and reports');
  await expect(page.getByTestId(`member-row-${OWNER.email}`)).toContainText(OWNER.name);
  const viewerLink = await invite(page, vera.email, 'viewer');
  const editorLink = await invite(page, eddie.email, 'editor');
  const patLink = await invite(page, 'pat@example.test', 'viewer');
  await screenshots(page, 'members');

  // The viewer joins, can open the pipeline, but has no Run or Save, and the server refuses a run.
  const viewer = await freshPage(browser);
  await acceptAsNewAccount(viewer, viewerLink, vera, 'viewer');
  await expect(viewer.getByTestId('viewer-note')).toBeVisible();
  await expect(viewer.getByTestId('new-pipeline')).toHaveCount(0);
  await viewer.goto(pipelineUrl);
  await expect(viewer.getByTestId('pipeline-name')).toHaveValue('Team forecast');
  await expect(viewer.locator('[data-node-type]')).toHaveCount(5);
  await expect(viewer.getByTestId('viewer-note')).toContainText('ask an owner to make you an editor');
  await expect(viewer.getByTestId('run-button')).toHaveCount(0);
  await expect(viewer.getByTestId('save-button')).toHaveCount(0);
  await expect(viewer.getByTestId('palette')).toHaveCount(0);
  await viewer.getByTestId('node-model').click();
  await expect(viewer.getByTestId('param-degree')).toBeDisabled();
  await viewer.screenshot({ path: 'test-results/screens/viewer-editor.png' });
  const refusedRun = await viewer.request.post('/api/trpc/runs.start', { data: { graph: EMPTY_GRAPH, label: 'Not allowed' } });
  expect(refusedRun.status()).toBe(403);
  expect(await refusedRun.text()).toContain('editor');

  // The viewer changes their own password and stays signed in.
  await viewer.goto('/members');
  await expect(viewer.getByTestId('members-list')).toContainText(vera.name);
  await expect(viewer.getByTestId('invite-section')).toHaveCount(0);
  await viewer.getByLabel('Current password').fill(vera.password);
  await viewer.getByLabel('New password', { exact: true }).fill('vera-password-2');
  await viewer.getByLabel('Repeat the new password').fill('vera-password-3');
  await viewer.getByTestId('change-password-submit').click();
  await expect(viewer.getByTestId('change-password-error')).toHaveText('The two passwords are not the same.');
  await viewer.getByLabel('Repeat the new password').fill('vera-password-2');
  await viewer.getByTestId('change-password-submit').click();
  await expect(viewer.getByTestId('change-password-done')).toBeVisible();
  await viewer.reload();
  await expect(viewer.getByTestId('members-list')).toContainText(vera.name);

  // The editor joins and runs a template to success.
  const editor = await freshPage(browser);
  await acceptAsNewAccount(editor, editorLink, eddie, 'editor');
  await openTemplate(editor, 'sales-forecast');
  await runAndWait(editor);

  // A shared link, opened signed out, is read-only, and its visitor cannot write.
  const visitor = await freshPage(browser);
  await visitor.goto(shareLink);
  await expect(visitor.getByTestId('share-page')).toContainText('Team forecast');
  await expect(visitor.getByTestId('run-button')).toHaveCount(0);
  await expect(visitor.getByTestId('save-button')).toHaveCount(0);
  const refusedSave = await visitor.request.post('/api/trpc/pipelines.save', { data: { name: 'Mine now', graph: EMPTY_GRAPH } });
  expect(refusedSave.status()).toBe(401);
  await visitor.getByTestId('duplicate-pipeline').click();
  await expect(visitor).toHaveURL(/\/sign-in\?next=%2Fshare%2F/);

  // The Runs page says who started each run, and filters by person.
  await page.goto('/runs');
  await expect(page.getByTestId('runs-table')).toContainText(eddie.name);
  await page.getByTestId('runs-filter-person').selectOption({ label: eddie.name });
  await expect(page.getByTestId('runs-total')).toHaveAttribute('data-total', '1');
  await expect(page.locator('[data-testid^="runs-started-by-"]')).toHaveText([eddie.name]);
  await page.screenshot({ path: 'test-results/screens/runs-started-by.png' });

  // The Activity page lists the run, the joins and the invitations.
  await page.getByTestId('nav-activity').click();
  const activity = page.getByTestId('activity-list');
  // An unsaved template is saved and named at its first run: the template's name and the date.
  await expect(activity).toContainText(new RegExp(`${eddie.name} ran “Forecast sales from ad spend – \\d{1,2} \\w{3} \\d{4}”`));
  await expect(activity).toContainText(`${vera.name} joined the workspace as viewer`);
  await expect(activity).toContainText(`${OWNER.name} invited ${eddie.email} as editor`);
  await screenshots(page, 'activity');
  await page.getByTestId('activity-person').selectOption({ label: eddie.name });
  await expect(activity).not.toContainText(vera.name);
  await expect(page.getByTestId('activity-line').first()).toContainText(eddie.name);

  // The owner makes the viewer an editor: Run appears for them.
  await page.goto('/members');
  await page.getByTestId(`member-role-${vera.email}`).selectOption('editor');
  await expect(page.getByTestId(`member-row-${vera.email}`)).toHaveAttribute('data-role', 'editor');
  await viewer.goto(pipelineUrl);
  await expect(viewer.getByTestId('run-button')).toBeVisible();
  await expect(viewer.getByTestId('viewer-note')).toHaveCount(0);

  // The owner removes the editor: their next request is refused and their page goes to sign in.
  await page.getByTestId(`remove-member-${eddie.email}`).click();
  await page.getByTestId(`confirm-remove-${eddie.email}`).click();
  await expect(page.getByTestId(`member-row-${eddie.email}`)).toHaveCount(0);
  const afterRemoval = await editor.request.get('/api/trpc/pipelines.list');
  expect(afterRemoval.status()).toBe(401);
  await editor.getByTestId('nav-runs').click();
  await expect(editor).toHaveURL(/\/sign-in\?next=%2Fruns$/);

  // An invitation can be revoked; its link then says so.
  await page.getByTestId('revoke-invitation-pat@example.test').click();
  await expect(page.getByTestId('invitation-row-pat@example.test')).toHaveCount(0);
  await visitor.goto(patLink);
  await expect(visitor.getByTestId('invite-unusable')).toContainText('This invitation was revoked.');

  for (const other of [viewer, editor, visitor]) await other.context().close();
});

test('an owner starts a second workspace and switches back', async ({ page }) => {
  await page.goto('/members');
  await page.getByTestId('new-workspace-name').fill('Side projects');
  await page.getByTestId('new-workspace-submit').click();
  await expect(page).toHaveURL(`${baseURL()}/`);
  const switcher = page.getByTestId('workspace-switcher');
  await expect(switcher.locator('option:checked')).toHaveText('Side projects');
  await expect(page.getByTestId('pipelines')).toContainText('No saved pipelines yet');
  await switcher.selectOption({ label: `${OWNER.name}'s workspace` });
  await expect(switcher.locator('option:checked')).toHaveText(`${OWNER.name}'s workspace`);
  await expect(page.getByTestId('pipelines')).toContainText('Team forecast');
});
