// What every browser suite needs: the built backend on a free port, Chromium and its pages, the
// watchdog, screenshots and the axe checks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(CLIENT_DIR, '..');
export const SERVER_ENTRY = path.join(REPO_ROOT, 'dist', 'main.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(CLIENT_DIR, 'e2e', 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
/** The server's environment for a suite with accounts on. */
export const JWT_ENV = { AUTH_MODE: 'jwt', JWT_SECRET: 'e2e-only-secret-0123456789-abcdefghij', HOST: '127.0.0.1' };
export const PASSWORD = 'correct horse battery';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/** Exits now when the browser is missing: loudly on CI, with a SKIP line elsewhere. */
function requireChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.env.CI === 'true') {
    console.error(`e2e: ${CHROMIUM} not found; install it (apt-get install -y chromium) — failing because CI=true`);
    process.exit(1);
  }
  console.log(`SKIP: e2e browser tests: ${CHROMIUM} not found (apt-get install -y chromium to run them)`);
  process.exit(0);
}

/** Fails with what to run when the backend or the client has not been built. */
function requireBuilds() {
  const missing = [
    [SERVER_ENTRY, 'the backend: npm run build at the repository root'],
    [path.join(CLIENT_DIR, 'dist', 'index.html'), 'the client: npm run build in client/'],
  ].filter(([file]) => !existsSync(file));
  if (missing.length === 0) return;
  for (const [file, how] of missing) console.error(`e2e: ${file} is missing; build ${how}`);
  process.exit(1);
}

/**
 * The first call of a suite: exits unless Chromium and both builds are there, then starts the
 * watchdog, a last resort if something hangs that ends the process after `minutes` (the suite's
 * hooks stop the server and browser in the normal case). Clear the returned timer in the last `after`.
 */
export function startSuite(suite, minutes) {
  requireChromium();
  requireBuilds();
  const watchdog = setTimeout(() => {
    console.error(`e2e (${suite}): timed out after ${minutes} minutes`);
    process.exit(1);
  }, minutes * 60_000);
  watchdog.unref();
  return watchdog;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `node dist/main.js` from the repository root on a fresh SQLite file; resolves once /api/health/live answers 200.
 * `env` adds to (or overrides) the server's environment, e.g. `{ AUTH_MODE: 'jwt', JWT_SECRET: … }`;
 * `port` is for a server whose own URL must be known before it starts (a single sign-on callback).
 */
export async function startServer({ timeoutMs = 30_000, env = {}, port: chosenPort } = {}) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chat-e2e-'));
  const port = chosenPort ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const logs = [];
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${path.join(dataDir, 'chat.db')}`,
      LLM_PROVIDER: 'offline',
      RATE_LIMIT_PER_MINUTE: '0',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Whatever ends this process (a failure, the watchdog, Ctrl-C) also ends the server.
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
  child.stdout.on('data', (chunk) => logs.push(String(chunk)));
  child.stderr.on('data', (chunk) => logs.push(String(chunk)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const server = {
    baseUrl,
    logs: () => logs.join(''),
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const result = await Promise.race([exited, sleep(5_000).then(() => 'timeout')]);
        if (result === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + timeoutMs;
  let early;
  void exited.then((result) => (early = result));
  while (Date.now() < deadline) {
    if (early) {
      await server.stop();
      throw new Error(`the server exited early (${JSON.stringify(early)}):\n${server.logs()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health/live`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await server.stop();
  throw new Error(`the server did not answer /api/health/live within ${timeoutMs} ms:\n${server.logs()}`);
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/**
 * A page in a new context (no cookies or storage, as a browser that never saw the app), on a desktop
 * in light, whose errors go to `errors`. `options` add to the context's (e.g. `acceptDownloads`).
 */
export async function openPage(browser, errors, { consoleErrors = true, ...options } = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light', ...options });
  context.setDefaultTimeout(15_000);
  return collectErrors(await context.newPage(), errors, { consoleErrors });
}

/** Puts the page's uncaught errors, and unless told not to the errors it logs (failed requests aside), in `errors`. */
export function collectErrors(page, errors, { consoleErrors = true } = {}) {
  page.on('pageerror', (error) => errors.push(String(error)));
  if (consoleErrors) page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  return page;
}

/** Creates an account from the sign-in page; the first one made on a server is the admin. */
export async function signUp(page, username) {
  await page.getByRole('button', { name: 'Create an account' }).click();
  await fillCredentials(page, username);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function fillCredentials(page, username) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
}

/** Where a screenshot goes: screenshots/<name>-<desktop|phone>-<scheme>.png. */
export function screenshotPath(name, viewport, scheme) {
  return path.join(SCREENSHOTS, `${name}-${viewport === PHONE ? 'phone' : 'desktop'}-${scheme}.png`);
}

/** Sets the viewport and colour scheme, lets them settle, and saves the page (Playwright makes the folder). The page stays as set. */
export async function shoot(page, name, { viewport = DESKTOP, scheme = 'light', fullPage = false } = {}) {
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme: scheme });
  await page.waitForTimeout(400); // let the colour and layout transitions finish
  await page.screenshot({ path: screenshotPath(name, viewport, scheme), fullPage });
}

/** Back to a desktop in light, where every test starts. */
export async function resetView(page) {
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Desktop screenshots in light and dark, with no axe finding in either; leaves the page in light. */
export async function lookAt(page, name) {
  for (const scheme of ['light', 'dark']) {
    await shoot(page, name, { scheme });
    assert.deepEqual(await axeProblems(page), [], `${name}, ${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * A proxy in front of the server that passes everything through, but sends the events of
 * `/api/generate/stream` one at a time, `delayMs` apart, as a real model's pace would: the offline
 * model answers in about a millisecond, too fast to watch a reply grow.
 */
export async function startPacingProxy(target, { delayMs = 40 } = {}) {
  const upstream = new URL(target);
  const proxy = http.createServer((req, res) => {
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!req.url?.startsWith('/api/generate/stream') || answer.statusCode !== 200) return void answer.pipe(res);
        paceEvents(answer, res, delayMs);
      },
    );
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${proxy.address().port}`,
    stop: () =>
      new Promise((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  };
}

function paceEvents(from, to, delayMs) {
  let buffer = '';
  let queue = Promise.resolve();
  from.setEncoding('utf8');
  from.on('data', (chunk) => {
    buffer += chunk;
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    for (const event of events) queue = queue.then(() => sleep(delayMs)).then(() => to.write(`${event}\n\n`));
  });
  from.on('end', () => void queue.then(() => to.end(buffer)));
}

let axeSource;

/** The serious and critical WCAG 2.1 A/AA findings of axe on the page as it is now, one line each. */
export async function axeProblems(page) {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses an injected <script>.
  await page.evaluate(await axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The findings of `axeProblems` in light and in dark, each prefixed with its scheme; leaves the page in light. */
export async function axeProblemsInBothSchemes(page) {
  const problems = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    for (const problem of await axeProblems(page)) problems.push(`${scheme} ${problem}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return problems;
}
