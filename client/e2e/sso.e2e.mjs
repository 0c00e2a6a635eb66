// Browser test of single sign-on: a real OpenID provider (oidc-provider, from the repository's
// test support) and the built server; "Sign in with …" goes to the provider and back signed in,
// and a failed sign-in comes back to the sign-in page with the reason.
// Run with `npm run e2e` in client/ after `npm run build` at the repository root.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, JWT_ENV, launchBrowser, openPage, REPO_ROOT, shoot, startServer, startSuite } from './support.mjs';

const CLIENT_ID = 'chat-sessions';
const CLIENT_SECRET = 'a client secret for the browser test';

const watchdog = startSuite('single sign-on', 2);

let provider;
let server;
let browser;
let page;
const pageErrors = [];

/** The provider in its own process; resolves with its issuer URL. */
function startProvider(redirectUri) {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'test', 'support', 'oidc-provider-server.mjs')], {
    env: {
      PATH: process.env.PATH,
      OIDC_TEST_CONFIG: JSON.stringify({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri,
        accounts: { 'erin-sub': { preferred_username: 'erin', email: 'erin@example.com', groups: ['chat-admins'] } },
        autoLogin: 'erin-sub',
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const ready = /READY (\S+)/.exec(out);
      if (ready) resolve({ issuer: ready[1], stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code})`)));
  });
}

before(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  provider = await startProvider(`${base}/api/auth/oidc/callback`);
  server = await startServer({
    port,
    env: {
      ...JWT_ENV,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URL: `${base}/api/auth/oidc/callback`,
      OIDC_ADMIN_GROUP: 'chat-admins',
      OIDC_PROVIDER_NAME: 'Acme ID',
    },
  });
  browser = await launchBrowser();
  page = await openPage(browser, pageErrors, { consoleErrors: false });
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  provider?.stop();
  clearTimeout(watchdog);
});

describe('single sign-on', { timeout: 60_000 }, () => {
  it('should offer "Sign in with" the provider on the sign-in page', async () => {
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).waitFor();
    await shoot(page, 'sso-sign-in');
  });

  it('should go to the provider and come back signed in (an admin, by group), with the token out of the address', async () => {
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
    const sidebar = page.getByRole('complementary', { name: 'Chats' });
    await sidebar.getByText('erin', { exact: true }).waitFor();
    await sidebar.getByText('admin', { exact: true }).waitFor();
    assert.equal(new URL(page.url()).hash, '');
    assert.equal(new URL(page.url()).origin, server.baseUrl);
    await sidebar.getByRole('link', { name: 'Dashboard' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('should show why, on the sign-in page, when a sign-in comes back that did not start here', async () => {
    await page.goto(`${server.baseUrl}/api/auth/oidc/callback?code=forged&state=forged`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Single sign-on did not sign you in: .*start it again/);
    assert.equal(new URL(page.url()).hash, '');
    await shoot(page, 'sso-error');
    assert.deepEqual(pageErrors, []);
  });
});
