// Browser tests of accounts (AUTH_MODE=jwt): sign-up, sign-out, sign-in, a 401 that keeps the draft,
// API keys, and a second user who sees none of the first one's chats and no dashboard.
// Run with `npm run e2e` in client/ after `npm run build` at the repository root.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  axeProblemsInBothSchemes,
  DESKTOP,
  fillCredentials,
  JWT_ENV,
  launchBrowser,
  openPage,
  PASSWORD,
  PHONE,
  resetView,
  shoot as shootAndStay,
  signUp,
  startServer,
  startSuite,
} from './support.mjs';

const watchdog = startSuite('accounts', 3);

let server;
let browser;
let base;
/** Alice's browser (the first user: the admin) and Bob's (a second user, in a fresh context). */
let alice;
let bob;
const pageErrors = [];
let aliceSession;

const sidebar = (page) => page.getByRole('complementary', { name: 'Chats' });
const message = (page) => page.getByRole('textbox', { name: 'Message' });

async function signIn(page, username) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await fillCredentials(page, username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await sidebar(page).getByText(username, { exact: true }).waitFor();
}

async function send(page, text) {
  const replies = page.locator('.message-assistant');
  const count = await replies.count();
  await message(page).fill(text);
  await message(page).press('Enter');
  await replies.nth(count).getByText(/offline model/).waitFor();
  await page.getByRole('button', { name: 'Send' }).waitFor();
}

/** Every screenshot here puts the page back on a desktop in light, where the next step expects it. */
async function shoot(page, name, options) {
  await shootAndStay(page, name, options);
  await resetView(page);
}

/** Calls the server directly with a bearer token (or key). */
function apiFetch(route, bearer, init = {}) {
  return fetch(`${server.baseUrl}${route}`, { ...init, headers: { ...init.headers, Authorization: `Bearer ${bearer}` } });
}

before(async () => {
  server = await startServer({ env: JWT_ENV });
  base = server.baseUrl;
  browser = await launchBrowser();
  alice = await openPage(browser, pageErrors);
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  clearTimeout(watchdog);
});

describe('accounts', { timeout: 60_000 }, () => {
  it('should ask to sign in, with sign-up one click away, and pass axe checks', async () => {
    await alice.goto(base);
    await alice.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await message(alice).count(), 0);
    assert.equal(await alice.getByRole('link', { name: /Sign in with/ }).count(), 0, 'no SSO configured');
    for (const scheme of ['light', 'dark']) {
      await shoot(alice, 'signin', { viewport: DESKTOP, scheme });
      await shoot(alice, 'signin', { viewport: PHONE, scheme });
    }
    assert.deepEqual(await axeProblemsInBothSchemes(alice), [], 'sign-in page');

    await alice.getByRole('button', { name: 'Create an account' }).click();
    await alice.getByRole('heading', { name: 'Create an account' }).waitFor();
    assert.ok(await alice.getByLabel('Username').evaluate((el) => el === document.activeElement), 'focus moves to Username');
    await shoot(alice, 'signup', { viewport: DESKTOP, scheme: 'dark' });
    assert.deepEqual(await axeProblemsInBothSchemes(alice), [], 'sign-up page');
  });

  it('should sign up the first user as the admin, who sees the dashboard link', async () => {
    await fillCredentials(alice, 'alice');
    await alice.getByRole('button', { name: 'Create account' }).click();
    await sidebar(alice).getByText('alice', { exact: true }).waitFor();
    await sidebar(alice).getByText('admin', { exact: true }).waitFor();
    await sidebar(alice).getByRole('link', { name: 'Dashboard' }).waitFor();
    assert.ok(await alice.evaluate(() => localStorage.getItem('access_token')));

    await send(alice, "Alice's secret plan");
    aliceSession = await alice.evaluate(() => localStorage.getItem('session_id'));
    await sidebar(alice).getByRole('button', { name: /Alice's secret plan/ }).waitFor();
    await shoot(alice, 'chat-user', { viewport: DESKTOP, scheme: 'light' });
    await shoot(alice, 'chat-user', { viewport: DESKTOP, scheme: 'dark' });
    assert.deepEqual(await axeProblemsInBothSchemes(alice), [], 'chat with the user menu');

    await sidebar(alice).getByRole('link', { name: 'Dashboard' }).click();
    await alice.getByText('Service healthy').waitFor();
    await alice.getByRole('link', { name: 'Back to chat' }).click();
    await message(alice).waitFor();
  });

  it('should go back to sign-in on a 401 and give back the message being sent', async () => {
    // The server refuses the next turn as it would an expired token.
    await alice.route('**/api/generate/stream', (route) =>
      route.continue({ headers: { ...route.request().headers(), authorization: 'Bearer expired.token.here' } }),
    );
    await message(alice).fill('A message that must survive signing in again');
    await message(alice).press('Enter');
    await alice.getByRole('heading', { name: 'Sign in' }).waitFor();
    await alice.getByRole('status').getByText(/signed out/).waitFor();
    await shoot(alice, 'signin-expired', { viewport: DESKTOP, scheme: 'light' });
    await alice.unroute('**/api/generate/stream');

    await signIn(alice, 'alice');
    assert.equal(await message(alice).inputValue(), 'A message that must survive signing in again');
    assert.equal(await alice.evaluate(() => localStorage.getItem('session_id')), aliceSession, 'the same chat');
    await alice.getByRole('log', { name: 'Conversation' }).getByText("Alice's secret plan", { exact: true }).waitFor();
    await message(alice).fill('');
  });

  it('should create an API key shown once, that works, and revoke it', async () => {
    await sidebar(alice).getByRole('link', { name: 'Account' }).click();
    await alice.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await alice.getByText('No API keys yet.').waitFor();
    await alice.getByRole('textbox', { name: 'New key name' }).fill('e2e script');
    await alice.getByRole('button', { name: 'Create key' }).click();
    const shown = alice.getByRole('region', { name: /Key “e2e script” created/ });
    await shown.getByText('it will not be shown again').waitFor();
    const key = await shown.locator('code').innerText();
    assert.ok(key.length >= 20, 'a key is shown');
    assert.ok(await shown.getByRole('heading').evaluate((el) => el === document.activeElement), 'focus moves to the new key');
    await alice.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await shown.getByRole('button', { name: 'Copy API key' }).click();
    assert.equal(await alice.evaluate(() => navigator.clipboard.readText()), key);

    for (const scheme of ['light', 'dark']) {
      await shoot(alice, 'account', { viewport: DESKTOP, scheme, fullPage: true });
      await shoot(alice, 'account', { viewport: PHONE, scheme, fullPage: true });
    }
    assert.deepEqual(await axeProblemsInBothSchemes(alice), [], 'account page with a new key');

    const withKey = await apiFetch('/api/session_names', key);
    assert.equal(withKey.status, 200);
    assert.deepEqual((await withKey.json()).map((s) => s.session_id), [aliceSession], 'the key acts as Alice');

    await shown.getByRole('button', { name: 'Done' }).click();
    assert.equal(await alice.getByText(key).count(), 0, 'the key is not shown again');
    await alice.reload();
    await alice.getByRole('rowheader', { name: 'e2e script' }).waitFor();
    assert.equal(await alice.getByText(key).count(), 0);

    await alice.getByRole('button', { name: 'Revoke e2e script' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Revoke API key?' });
    await dialog.waitFor();
    assert.ok(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement));
    await shoot(alice, 'revoke-dialog', { viewport: DESKTOP, scheme: 'dark' });
    assert.deepEqual(await axeProblemsInBothSchemes(alice), [], 'revoke dialog');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.waitFor({ state: 'detached' });
    await alice.getByText('No API keys yet.').waitFor();
    assert.equal((await apiFetch('/api/session_names', key)).status, 401, 'a revoked key is refused');
  });

  it('should sign out, forgetting the token and the current chat, and sign in again', async () => {
    await alice.getByRole('link', { name: 'Back to chat' }).click();
    await sidebar(alice).getByRole('button', { name: 'Sign out' }).click();
    await alice.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.deepEqual(await alice.evaluate(() => [localStorage.getItem('access_token'), localStorage.getItem('session_id')]), [null, null]);

    await alice.reload();
    await alice.getByRole('heading', { name: 'Sign in' }).waitFor();
    await fillCredentials(alice, 'alice');
    await alice.getByLabel('Password').fill('not the password');
    await alice.getByRole('button', { name: 'Sign in' }).click();
    await alice.getByRole('alert').getByText('The username or the password is wrong.').waitFor();

    await alice.getByLabel('Password').fill(PASSWORD);
    await alice.getByRole('button', { name: 'Sign in' }).click();
    await sidebar(alice).getByText('alice', { exact: true }).waitFor();
    await sidebar(alice).getByRole('button', { name: /Alice's secret plan/ }).waitFor();
  });

  it("should give a second user none of the first user's chats and no dashboard", async () => {
    bob = await openPage(browser, pageErrors);
    await bob.goto(base);
    await signUp(bob, 'Alice');
    const taken = await bob.getByRole('alert').innerText();
    assert.match(taken, /alice/i, `the server's detail: ${taken}`);
    await fillCredentials(bob, 'bob');
    await bob.getByRole('button', { name: 'Create account' }).click();
    await sidebar(bob).getByText('bob', { exact: true }).waitFor();
    await sidebar(bob).getByText('No chats yet.').waitFor();
    assert.equal(await sidebar(bob).getByRole('link', { name: 'Dashboard' }).count(), 0);
    assert.equal(await sidebar(bob).getByText('admin', { exact: true }).count(), 0);

    // Even pointed at Alice's chat by id, Bob's page shows a new, empty chat.
    await bob.evaluate((id) => localStorage.setItem('session_id', id), aliceSession);
    await bob.reload();
    await bob.getByText('How can I help you today?').waitFor();
    assert.notEqual(await bob.evaluate(() => localStorage.getItem('session_id')), aliceSession);
    assert.equal(await bob.getByText("Alice's secret plan").count(), 0);

    const token = await bob.evaluate(() => localStorage.getItem('access_token'));
    const history = await apiFetch('/api/get_history', token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ session_id: aliceSession }),
    });
    assert.equal(history.status, 404);
  });

  it('should tell the second user that /admin is for admins', async () => {
    await bob.goto(`${base}/admin`);
    await bob.getByRole('heading', { name: 'Admins only' }).waitFor();
    assert.equal(await bob.getByText('Service healthy').count(), 0);
    await shoot(bob, 'admins-only', { viewport: DESKTOP, scheme: 'light' });
    assert.deepEqual(await axeProblemsInBothSchemes(bob), [], 'admins only');
    await bob.getByRole('link', { name: 'Back to chat' }).click();
    await message(bob).waitFor();
  });
});

describe('the pages', () => {
  it('should have thrown no error and logged none (failed requests aside) in all of the above', () => {
    assert.deepEqual(pageErrors, []);
  });
});
