// Browser tests of bulk actions and day groups in the sidebar (issue 13): select mode, a bulk archive,
// and a bulk delete confirmed with the dry run's count. Run with `npm run e2e` in client/ after the builds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  axeProblems,
  launchBrowser,
  lookAt,
  openPage,
  PHONE,
  resetView,
  shoot,
  startServer,
  startSuite,
} from './support.mjs';

const DAY = 86_400_000;
const watchdog = startSuite('bulk actions', 3);

let server;
let browser;
let page;
const pageErrors = [];

const sidebar = () => page.getByRole('complementary', { name: 'Chats' });
const item = (name) => sidebar().locator('.session-item', { hasText: name });

async function say(prompt) {
  const response = await fetch(`${server.baseUrl}/api/generate/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ prompt }) });
  assert.equal(response.status, 200, await response.text());
}

/** A chat whose last message is `daysAgo` days old, brought in through the import route (the only way to write old times). */
async function importChat(name, daysAgo) {
  const at = new Date(Date.now() - daysAgo * DAY).toISOString();
  const body = { format: 'chat-sessions/1', sessions: [{ chat_name: name, created_at: at, messages: [{ sender: 'Human', content: `about ${name}`, timestamp: at }] }] };
  const response = await fetch(`${server.baseUrl}/api/sessions/import`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 201, await response.text());
}

before(async () => {
  server = await startServer({ timeoutMs: 90_000 });
  await importChat('Old receipts', 40);
  await importChat('Trip notes', 3);
  for (const prompt of ['Bulk alpha', 'Bulk beta', 'Keep gamma']) await say(prompt);
  browser = await launchBrowser();
  page = await openPage(browser, pageErrors);
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  clearTimeout(watchdog);
});

describe('bulk actions in the sidebar', { timeout: 120_000 }, () => {
  it('should group the chats by day of last activity', async () => {
    await page.goto(server.baseUrl);
    await item('Keep gamma').waitFor();
    const groups = sidebar().getByRole('region', { name: 'Chats' }).getByRole('group');
    assert.deepEqual(await groups.evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label'))), ['Today', 'Previous 7 days', 'Older']);
    assert.equal(await sidebar().getByRole('group', { name: 'Older' }).locator('.session-item').count(), 1);
    await lookAt(page, 'bulk-day-groups');
  });

  it('should archive the ticked chats in one go and show them under Archived', async () => {
    await sidebar().getByRole('button', { name: 'Select', exact: true }).click();
    await sidebar().getByRole('checkbox', { name: 'Bulk alpha' }).check();
    await sidebar().getByRole('checkbox', { name: 'Bulk beta' }).check();
    const bar = sidebar().getByRole('toolbar', { name: 'Act on selected chats' });
    await bar.getByText('2 selected').waitFor();
    await lookAt(page, 'bulk-select');
    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: 'Open sidebar' }).click();
    await shoot(page, 'bulk-select', { viewport: PHONE, scheme: 'dark' });
    assert.deepEqual(await axeProblems(page), [], 'bulk-select, phone, dark');
    await page.keyboard.press('Escape');
    await resetView(page);

    await bar.getByRole('button', { name: 'Archive' }).click();
    await sidebar().getByRole('status').getByText('Archived 2 chats.').waitFor();
    await item('Bulk alpha').waitFor({ state: 'detached' });
    assert.equal(await item('Bulk beta').count(), 0);
    assert.equal(await sidebar().getByRole('checkbox').count(), 0, 'select mode ended');
    await sidebar().getByRole('button', { name: 'Archived' }).click();
    const archived = sidebar().getByRole('region', { name: 'Archived chats' });
    await archived.getByText('Bulk alpha').waitFor();
    await archived.getByText('Bulk beta').waitFor();
    await lookAt(page, 'bulk-archived');
    await sidebar().getByRole('button', { name: 'Archived' }).click();
    await item('Keep gamma').waitFor();
  });

  it('should show the dry-run count before a delete, and delete only when confirmed', async () => {
    await sidebar().getByRole('button', { name: 'Select', exact: true }).click();
    await sidebar().getByRole('button', { name: 'Select all' }).click();
    await sidebar().getByRole('checkbox', { name: 'Keep gamma' }).uncheck();
    await sidebar().getByRole('toolbar').getByText('2 selected').waitFor();
    await sidebar().getByRole('button', { name: 'Delete…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Delete 2 chats?' });
    await dialog.getByText('This will delete 2 chats and all their messages for good.').waitFor();
    await dialog.getByText('Old receipts').waitFor();
    await lookAt(page, 'bulk-delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await item('Old receipts').count(), 1, 'cancel deleted nothing');

    await sidebar().getByRole('button', { name: 'Delete…' }).click();
    await dialog.getByRole('button', { name: 'Delete 2 chats' }).click();
    await sidebar().getByRole('status').getByText('Deleted 2 chats.').waitFor();
    await item('Old receipts').waitFor({ state: 'detached' });
    assert.equal(await item('Trip notes').count(), 0);
    assert.equal(await item('Keep gamma').count(), 1);
    const left = await (await fetch(`${server.baseUrl}/api/session_names/?archived=all`)).json();
    assert.deepEqual(left.map((s) => s.chat_name).sort(), ['Bulk alpha', 'Bulk beta', 'Keep gamma']);
  });
});

describe('the page', () => {
  it('should have thrown no error and logged none (failed requests aside)', () => {
    assert.deepEqual(pageErrors, []);
  });
});
