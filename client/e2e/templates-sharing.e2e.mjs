// Browser tests of templates and shared links (issue 13): a chat started from a template and its
// starter prompt, a link shared and opened in a fresh browser (no storage, no sign-in), continued
// there, and revoked. Run with `npm run e2e` in client/ after the builds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  axeProblems,
  DESKTOP,
  JWT_ENV,
  launchBrowser,
  openPage,
  PHONE,
  resetView,
  shoot,
  signUp,
  startServer,
  startSuite,
} from './support.mjs';

const watchdog = startSuite('templates and shared links', 6);

let server;
let browser;
let page;
let link;
const pageErrors = [];

/** A new context: no cookies, no localStorage, no sessionStorage, as a browser that never saw the app. */
const freshPage = () => openPage(browser, pageErrors);

/** Screenshots in light and dark (on a desktop and a phone, one each way round), checked with axe in both schemes. */
async function shootBoth(p, name) {
  for (const [viewport, scheme] of [
    [DESKTOP, 'light'],
    [PHONE, 'dark'],
    [DESKTOP, 'dark'],
    [PHONE, 'light'],
  ]) {
    await shoot(p, name, { viewport, scheme });
    if (viewport === DESKTOP) assert.deepEqual(await axeProblems(p), [], `${name}, ${scheme}`);
  }
  await resetView(p);
}

const conversation = (p) => p.getByRole('log', { name: 'Conversation' });

async function waitForReply(p, count) {
  await p.waitForFunction((n) => document.querySelectorAll('.message-assistant .markdown').length >= n, count);
  await p.getByRole('button', { name: 'Send' }).waitFor();
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await freshPage();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  clearTimeout(watchdog);
});

describe('templates and shared links', { timeout: 240_000 }, () => {
  it("should start a chat from a template: its starter prompt is the first turn, and the chat keeps the template's settings", async () => {
    await page.goto(server.baseUrl);
    await page.getByRole('button', { name: 'Start from a template' }).click();
    const picker = page.getByRole('dialog', { name: 'Start from a template' });
    await picker.getByRole('button', { name: 'Code reviewer' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.includes('General assistant')), true, 'focus moved into the list');
    await shootBoth(page, 'template-picker');

    await picker.getByRole('button', { name: 'Code reviewer' }).click();
    await picker.waitFor({ state: 'detached' });
    const suggestions = page.getByRole('list', { name: 'Suggestions' }).getByRole('button');
    assert.deepEqual(await suggestions.allInnerTexts(), ['Review this function', 'Is this SQL query safe?', 'How can I make this faster?']);
    await shootBoth(page, 'template-suggestions');

    await suggestions.first().click();
    await conversation(page).getByText('Review this function', { exact: true }).waitFor();
    await waitForReply(page, 1);

    const sessionId = await page.evaluate(() => localStorage.getItem('session_id'));
    const settings = await (await fetch(`${server.baseUrl}/api/sessions/${sessionId}/settings`)).json();
    assert.match(settings.system_prompt, /careful senior software engineer/);
    assert.equal(settings.temperature, 0.2);

    await page.getByRole('button', { name: 'Chat settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Chat settings' });
    assert.match(await dialog.getByRole('textbox', { name: 'System prompt' }).inputValue(), /careful senior software engineer/);
    assert.equal(await dialog.getByRole('spinbutton', { name: 'Temperature' }).inputValue(), '0.2');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // A later turn goes on with the template's settings: the model sees its system prompt first.
    await page.getByRole('textbox', { name: 'Message' }).fill('What about naming?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await waitForReply(page, 2);
    const context = await (await fetch(`${server.baseUrl}/api/sessions/${sessionId}/context`)).json();
    assert.equal(context.messages[0].role, 'system');
    assert.match(context.messages[0].content, /careful senior software engineer/);
  });

  it('should share the chat from its header: a link to copy', async () => {
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Share chat' });
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const input = dialog.getByRole('textbox', { name: /^Link made at/ });
    await input.waitFor();
    link = await input.inputValue();
    assert.match(link, new RegExp(`^${server.baseUrl}/shared/[A-Za-z0-9_-]{22}$`));
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    await shootBoth(page, 'share-dialog');
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  it('should open the link in a fresh browser without signing in, and continue it as a new chat', async () => {
    const viewer = await freshPage();
    await viewer.goto(link);
    await viewer.getByRole('heading', { level: 1, name: 'Review this function' }).waitFor();
    await conversation(viewer).getByText('What about naming?', { exact: true }).waitFor();
    assert.equal(await viewer.getByRole('textbox', { name: 'Message' }).count(), 0, 'read-only');
    assert.equal(await viewer.evaluate(() => localStorage.length + sessionStorage.length), 0, 'the page stored nothing');
    await shootBoth(viewer, 'shared-page');

    await viewer.getByRole('button', { name: 'Continue this chat' }).click();
    await viewer.getByRole('textbox', { name: 'Message' }).waitFor();
    await conversation(viewer).getByText('What about naming?', { exact: true }).waitFor();
    const copy = await viewer.evaluate(() => localStorage.getItem('session_id'));
    const original = await page.evaluate(() => localStorage.getItem('session_id'));
    assert.notEqual(copy, original);
    await viewer.getByRole('textbox', { name: 'Message' }).fill('And the tests?');
    await viewer.getByRole('textbox', { name: 'Message' }).press('Enter');
    await waitForReply(viewer, 3);
    const history = await (await fetch(`${server.baseUrl}/api/get_history`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ session_id: original }) })).json();
    assert.equal(history.messages.length, 4, 'the original chat did not change');
    await viewer.context().close();
  });

  it('should revoke the link from the share dialog: the page then says it does not work', async () => {
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Share chat' });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.getByText('Link revoked: it no longer opens the chat.').waitFor();
    await page.keyboard.press('Escape');

    const viewer = await freshPage();
    await viewer.goto(link);
    await viewer.getByRole('heading', { name: 'This link does not work' }).waitFor();
    assert.deepEqual(await axeProblems(viewer), [], 'the page of a revoked link');
    await viewer.context().close();
  });
});

describe('shared links with accounts on', { timeout: 120_000 }, () => {
  let jwtServer;

  before(async () => {
    jwtServer = await startServer({ env: JWT_ENV });
  });
  after(() => jwtServer?.stop());

  it('should show the link to a viewer who is not signed in, without its owner, and continue it after signing in', async () => {
    const owner = await freshPage();
    await owner.goto(jwtServer.baseUrl);
    await signUp(owner, 'dana');
    await owner.getByRole('textbox', { name: 'Message' }).fill('Packing list for Lisbon');
    await owner.getByRole('textbox', { name: 'Message' }).press('Enter');
    await waitForReply(owner, 1);
    await owner.getByRole('button', { name: 'Share', exact: true }).click();
    await owner.getByRole('button', { name: 'Create link' }).click();
    const shared = await owner.getByRole('textbox', { name: /^Link made at/ }).inputValue();

    const viewer = await freshPage();
    await viewer.goto(shared);
    await conversation(viewer).getByText('Packing list for Lisbon', { exact: true }).waitFor();
    assert.doesNotMatch(await viewer.locator('body').innerText(), /dana/);
    await viewer.getByRole('button', { name: 'Continue this chat' }).click();
    await viewer.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signUp(viewer, 'erin');

    await viewer.getByRole('textbox', { name: 'Message' }).waitFor();
    await conversation(viewer).getByText('Packing list for Lisbon', { exact: true }).waitFor();
    const chats = viewer.getByRole('complementary', { name: 'Chats' });
    await chats.getByRole('button', { name: /Packing list for Lisbon/ }).waitFor();
    assert.equal(await chats.locator('.session-item').count(), 1, "erin's own copy, and nothing of dana's");
    assert.equal(new URL(viewer.url()).pathname, '/');
    await owner.context().close();
    await viewer.context().close();
  });
});

describe('the pages', () => {
  it('should have thrown no error in any of the above', () => {
    assert.deepEqual(pageErrors, []);
  });
});
