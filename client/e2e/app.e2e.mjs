// Browser tests of the built client against the built backend (offline model, fresh SQLite file).
// Run with `npm run e2e` in client/ after `npm run build` at the repository root.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  axeProblems,
  axeProblemsInBothSchemes,
  DESKTOP,
  launchBrowser,
  lookAt,
  openPage,
  PHONE,
  resetView,
  screenshotPath,
  shoot as shootPage,
  startPacingProxy,
  startServer,
  startSuite,
} from './support.mjs';

const XSS = '<img src=x onerror=alert(1)>';
const watchdog = startSuite('chat', 4);

let server;
let proxy;
let base;
let browser;
let context;
let page;
const dialogs = [];
const pageErrors = [];

const message = () => page.getByRole('textbox', { name: 'Message' });
const conversation = () => page.getByRole('log', { name: 'Conversation' });
const sidebar = () => page.getByRole('complementary', { name: 'Chats' });
/** The list of chats in the sidebar (search results aside). */
const chats = () => sidebar().locator('.session-list');
const assistantReplies = () => conversation().locator('.message-assistant');

/** Sends a prompt with Enter and waits until its reply is complete (Send is back). */
async function send(text) {
  const replies = await assistantReplies().count();
  await message().fill(text);
  await message().press('Enter');
  await assistantReplies().nth(replies).waitFor();
  await page.getByRole('button', { name: 'Send' }).waitFor();
  return assistantReplies().nth(replies);
}

async function statValue(label) {
  const card = page.locator('.stat-card', { has: page.getByText(label, { exact: true }) });
  return Number((await card.locator('.stat-value').innerText()).replace(/,/g, ''));
}

const shoot = (name, options) => shootPage(page, name, options);

before(async () => {
  server = await startServer();
  proxy = await startPacingProxy(server.baseUrl);
  base = proxy.baseUrl;
  browser = await launchBrowser();
  page = await openPage(browser, pageErrors);
  context = page.context();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await proxy?.stop();
  await server?.stop();
  clearTimeout(watchdog);
});

describe('chat', { timeout: 60_000 }, () => {
  it('should stream a reply piece by piece', async () => {
    await page.goto(base);
    await page.evaluate(() => {
      // Every text the reply shows while it streams.
      window.__replyTexts = new Set();
      new MutationObserver(() => {
        const reply = document.querySelector('.message-assistant:last-of-type');
        const text = reply?.textContent?.trim();
        if (text) window.__replyTexts.add(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const streamed = page.waitForResponse((r) => r.url().endsWith('/api/generate/stream'));

    const reply = await send('Hello from the browser test');

    const body = await (await streamed).text();
    assert.ok(body.split('event: token').length - 1 >= 3, 'the server sent several token events');
    assert.match(body, /event: done/);
    assert.match(await reply.innerText(), /offline model/);
    assert.match(await reply.innerText(), /Hello from the browser test/);
    const seen = await page.evaluate(() => [...window.__replyTexts]);
    assert.ok(seen.length >= 3, `the reply grew in several steps (saw ${seen.length})`);
    await assert.doesNotReject(conversation().getByText('Hello from the browser test', { exact: true }).waitFor());
  });

  it('should restore the conversation after a reload', async () => {
    const sessionId = await page.evaluate(() => localStorage.getItem('session_id'));
    await page.reload();
    await conversation().getByText('Hello from the browser test', { exact: true }).waitFor();
    assert.match(await assistantReplies().first().innerText(), /offline model/);
    assert.equal(await page.evaluate(() => localStorage.getItem('session_id')), sessionId);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Hello from the browser test');
  });

  it('should show HTML in a message as text, create no element and run nothing', async () => {
    const reply = await send(`Is this safe? ${XSS}`);
    assert.match(await reply.innerText(), /<img src=x onerror=alert\(1\)>/);
    await conversation().getByText(`Is this safe? ${XSS}`, { exact: true }).waitFor();
    assert.equal(await page.locator('img').count(), 0);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
  });

  it('should start a new chat and find chats by search', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByText('How can I help you today?').waitFor();
    await send('Banana bread recipe, please:\n```python\nflour = 250  # grams\nprint(f"{flour} g flour")\n```');
    await sidebar().getByRole('button', { name: /Banana bread recipe/ }).waitFor();

    await sidebar().getByRole('searchbox', { name: 'Search chats' }).fill('banana');
    await chats().getByRole('button', { name: /Hello from the browser test/ }).waitFor({ state: 'detached' });
    assert.equal(await sidebar().locator('.session-item').count(), 1);
    // The messages that match are listed above the chats, with the words marked.
    await sidebar().getByRole('region', { name: 'Messages found' }).locator('mark', { hasText: /banana/i }).first().waitFor();

    await sidebar().getByRole('searchbox', { name: 'Search chats' }).fill('from the browser');
    await chats().getByRole('button', { name: /Hello from the browser test/ }).waitFor();
    assert.equal(await sidebar().locator('.session-item').count(), 1);

    await sidebar().getByRole('searchbox', { name: 'Search chats' }).fill('');
    await chats().getByRole('button', { name: /Banana bread recipe/ }).waitFor();
  });

  it('should stop a reply with the Stop button', async () => {
    await message().fill('Please write a long answer that I will interrupt');
    await message().press('Enter');
    const reply = assistantReplies().last();
    await reply.getByText(/offline/).waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await reply.getByText('Stopped', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor();
    assert.doesNotMatch(await reply.innerText(), /talk to a real model/);
  });

  it('should save screenshots of the chat', async () => {
    await page.locator('.code-block').waitFor();
    for (const scheme of ['light', 'dark']) {
      await shoot('chat', { viewport: DESKTOP, scheme });
      await shoot('chat', { viewport: PHONE, scheme });
    }
    await page.getByRole('button', { name: 'Open sidebar' }).click();
    await shoot('chat-sidebar', { viewport: PHONE, scheme: 'light' });
    await page.keyboard.press('Escape');
    await resetView(page);
  });

  it('should pass axe checks in light and dark', async () => {
    assert.deepEqual(await axeProblemsInBothSchemes(page), [], 'chat');
  });

  it('should hide the sidebar behind a toggle on a phone', async () => {
    await page.setViewportSize(PHONE);
    const toggle = page.getByRole('button', { name: 'Open sidebar' });
    const search = page.getByRole('searchbox', { name: 'Search chats' });
    await search.waitFor({ state: 'hidden' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

    await toggle.click();
    await search.waitFor({ state: 'visible' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await page.getByRole('button', { name: 'Close sidebar' }).evaluate((el) => el === document.activeElement));
    await page.waitForTimeout(300);
    assert.deepEqual(await axeProblems(page), [], 'phone, sidebar open');

    await page.keyboard.press('Escape');
    await search.waitFor({ state: 'hidden' });
    assert.ok(await toggle.evaluate((el) => el === document.activeElement), 'focus returns to the toggle');
    await page.setViewportSize(DESKTOP);
    await search.waitFor({ state: 'visible' });
  });

  it('should delete a chat only after confirmation', async () => {
    const item = sidebar().locator('.session-item', { hasText: 'Banana bread recipe' });
    await item.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete chat?' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await item.count(), 1);

    await item.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await item.waitFor({ state: 'detached' });
    await page.getByText('How can I help you today?').waitFor();
    const names = await (await fetch(`${server.baseUrl}/api/session_names/`)).json();
    assert.deepEqual(
      names.map((s) => s.chat_name),
      ['Hello from the browser test'],
    );
  });
});

describe('dashboard', { timeout: 60_000 }, () => {
  it('should show the statistics and follow a new message', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL('**/admin');
    await page.getByText('Service healthy').waitFor();
    await page.waitForFunction(() => document.querySelector('.stat-value')?.textContent !== '—');
    const before = await statValue('Total messages');
    assert.equal(await statValue('Total sessions'), 1);
    assert.ok(before >= 4);

    await page.getByRole('link', { name: 'Back to chat' }).click();
    await send('One more message for the statistics');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.stat-value')[1]?.textContent === String(n), before + 2);
    assert.equal(await statValue('Total messages'), before + 2);
  });

  it('should open on a direct visit to /admin and save screenshots', async () => {
    await page.goto(`${base}/admin`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    for (const scheme of ['light', 'dark']) {
      await shoot('dashboard', { viewport: DESKTOP, scheme, fullPage: true });
      await shoot('dashboard', { viewport: PHONE, scheme, fullPage: true });
    }
  });

  it('should chart the usage of the turns made, by day and by hour of today', async () => {
    await page.setViewportSize(DESKTOP);
    const trend = page.getByRole('img', { name: /^Usage trend: \d+ turns/ });
    await trend.waitFor();
    const turns = Number(/(\d+) turns/.exec(await trend.getAttribute('aria-label'))[1]);
    assert.ok(turns >= 3, `${turns} turns charted`);
    await page.getByRole('img', { name: /^Model latency: 95th percentile up to/ }).waitFor();
    await page.getByRole('img', { name: /^Sentiment: mean -?\d/ }).waitFor();
    const hourly = page.waitForResponse((r) => r.url().includes('/api/analytics/usage') && r.url().includes('granularity=hour'));
    await page.getByRole('button', { name: 'Today' }).click();
    const body = await (await hourly).json();
    assert.equal(body.series.length, 24);
    assert.equal(body.series.reduce((n, p) => n + p.turns, 0), turns);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(400);
      await page.locator('.usage').screenshot({ path: screenshotPath('dashboard-usage', DESKTOP, scheme) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('should pass axe checks in light and dark', async () => {
    await page.setViewportSize(DESKTOP);
    assert.deepEqual(await axeProblemsInBothSchemes(page), [], 'dashboard');
  });

  it('should count old sessions in a dry run before cleaning up', async () => {
    await page.setViewportSize(DESKTOP);
    await page.getByRole('spinbutton', { name: 'Inactive for more than' }).fill('1');
    await page.getByRole('button', { name: 'Clean up' }).click();
    await page.getByText('No session has been inactive for more than 1 day. Nothing to delete.').waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0);
  });
});

describe('sidebar', { timeout: 60_000 }, () => {
  it('should work from the keyboard: Delete opens a dialog that Escape closes', async () => {
    await page.goto(base);
    const first = sidebar().locator('.session-item').first();
    await first.getByRole('button').first().focus();
    await page.keyboard.press('Tab');
    assert.ok(await first.getByRole('button', { name: 'Chat actions' }).evaluate((el) => el === document.activeElement), 'Tab reaches the actions menu');
    await page.keyboard.press('Tab');
    const remove = first.getByRole('button', { name: 'Delete' });
    assert.ok(await remove.evaluate((el) => el === document.activeElement), 'Tab reaches the Delete button');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete chat?' });
    await dialog.waitFor();
    assert.ok(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.ok(await remove.evaluate((el) => el === document.activeElement), 'focus returns to Delete');
  });

  it('should load more chats when scrolled to the end', async () => {
    for (let i = 1; i <= 35; i++) {
      const response = await fetch(`${server.baseUrl}/api/generate/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prompt: `Bulk chat number ${i}` }),
      });
      assert.equal(response.status, 200);
    }
    await page.reload();
    const items = sidebar().locator('.session-item');
    await page.waitForFunction(() => document.querySelectorAll('.session-item').length === 30);
    await sidebar().locator('.session-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.waitForFunction(() => document.querySelectorAll('.session-item').length > 30);
    const total = Number((await fetch(`${server.baseUrl}/api/session_names/?limit=1`)).headers.get('x-total-count'));
    await page.waitForFunction((n) => document.querySelectorAll('.session-item').length === n, total);
    assert.equal(await items.count(), total);
    assert.equal(await sidebar().getByRole('button', { name: 'Load more' }).count(), 0);
  });
});

describe('long conversations', { timeout: 60_000 }, () => {
  it('should load the newest messages first and earlier ones on demand, keeping the place', async () => {
    const sessionId = '5e55a9e0-1111-4111-8111-000000000001';
    for (let turn = 1; turn <= 60; turn++) {
      const response = await fetch(`${server.baseUrl}/api/generate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prompt: `Turn ${turn}`, session_id: sessionId }),
      });
      assert.equal(response.status, 200);
    }
    await page.evaluate((id) => localStorage.setItem('session_id', id), sessionId);
    await page.goto(base);
    const bubbles = conversation().locator('.bubble');
    await conversation().getByText('Turn 60', { exact: true }).waitFor();
    assert.equal(await bubbles.count(), 50, 'the newest 100 messages: 50 turns');

    const earlier = page.getByRole('button', { name: 'Load earlier messages' });
    await earlier.scrollIntoViewIfNeeded();
    const firstShown = bubbles.first();
    assert.equal(await firstShown.innerText(), 'Turn 11');
    const before = await firstShown.evaluate((el) => el.getBoundingClientRect().top);
    await earlier.click();
    await conversation().getByText('Turn 1', { exact: true }).waitFor({ state: 'attached' });
    assert.equal(await bubbles.count(), 60);
    assert.equal(await earlier.count(), 0);
    const turn11 = conversation().getByText('Turn 11', { exact: true });
    const after = await turn11.evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(Math.abs(after - before) < 60, `Turn 11 stayed in place (${before} → ${after})`);
  });

  it('should find an old message by search and open its chat scrolled to it, highlighted', async () => {
    await page.goto(base);
    await page.getByRole('button', { name: 'New chat' }).click();
    await sidebar().getByRole('searchbox', { name: 'Search chats' }).fill('"turn 3"');
    const results = sidebar().getByRole('region', { name: 'Messages found' });
    const mine = results.locator('.search-result', { hasText: 'You:' });
    await mine.first().waitFor();
    assert.equal(await mine.count(), 1, 'one message of mine says "Turn 3" (Turn 30 to 39 do not)');
    assert.equal(await mine.locator('mark').allInnerTexts().then((t) => t.join(' ')), 'Turn 3');
    assert.deepEqual(await axeProblems(page), [], 'search results, light');
    for (const scheme of ['light', 'dark']) await shoot('search', { viewport: DESKTOP, scheme });
    await page.emulateMedia({ colorScheme: 'light' });

    await mine.click();
    // Turn 3 is older than the newest page: the chat loads earlier messages until it is there.
    const found = conversation().locator('.message-found');
    await found.waitFor();
    assert.equal(await found.locator('.bubble').innerText(), 'Turn 3');
    const box = await found.boundingBox();
    assert.ok(box && box.y > 0 && box.y + box.height < DESKTOP.height, `the message is in view (${JSON.stringify(box)})`);
    await shoot('search-opened', { viewport: DESKTOP, scheme: 'light' });
    await conversation().locator('.message-found').waitFor({ state: 'detached', timeout: 5_000 });
    await sidebar().getByRole('searchbox', { name: 'Search chats' }).fill('');
  });
});

describe('settings and context', { timeout: 90_000 }, () => {
  const meter = () => page.getByRole('button', { name: /tokens ·/ });
  const settings = () => page.getByRole('button', { name: 'Chat settings' });
  const meterText = () => page.evaluate(() => document.querySelector('.context-meter')?.textContent ?? '');
  const waitForMeter = (pattern) =>
    page.waitForFunction((source) => new RegExp(source).test(document.querySelector('.context-meter')?.textContent ?? ''), pattern.source);

  it('should change the system prompt and memory of a chat, and show its context with the system prompt first', async () => {
    await page.goto(base);
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByText('How can I help you today?').waitFor();
    assert.ok(await settings().isDisabled(), 'a chat the server does not have yet has no settings');
    await send('My name is Zoltan. I like green tea.');
    await meter().waitFor();
    assert.match(await meterText(), /^[\d,]+ tokens · window of 1 turn$/);

    await settings().click();
    const dialog = page.getByRole('dialog', { name: 'Chat settings' });
    await dialog.getByRole('textbox', { name: 'System prompt' }).fill('You are a careful browser test.');
    await dialog.getByRole('radio', { name: /Summary/ }).check();
    await dialog.getByRole('spinbutton', { name: 'Turns to keep' }).fill('1');
    await dialog.getByRole('spinbutton', { name: 'Token budget' }).fill('4000');
    for (const scheme of ['light', 'dark']) {
      await shoot('settings', { viewport: DESKTOP, scheme });
      await shoot('settings', { viewport: PHONE, scheme });
      assert.deepEqual(await axeProblems(page), [], `settings dialog, ${scheme}`);
    }
    await resetView(page);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitForMeter(/ \/ 4,000 tokens · 1 turn, no summary yet$/);
    const tokensBefore = Number((await meterText()).split(' ')[0].replace(/,/g, ''));

    await send('Second question. What do I like?');
    // Turn 1 has left the one-turn window: the summary folds it in, just after the reply.
    await waitForMeter(/ \/ 4,000 tokens · summary of 1 earlier turn$/);
    assert.ok(Number((await meterText()).split(' ')[0].replace(/,/g, '')) > tokensBefore, 'the context grew');

    await meter().click();
    const shown = page.getByRole('dialog', { name: 'What the model will see' });
    const items = shown.getByRole('list', { name: 'Context messages' }).getByRole('listitem');
    await items.first().waitFor();
    const texts = await items.allInnerTexts();
    assert.match(texts[0], /^SYSTEM\s+You are a careful browser test\.$/i);
    assert.match(texts[1], /^SYSTEM\s+Summary of the earlier conversation:[\s\S]*Zoltan/i);
    assert.match(texts[2], /^USER\s+Second question\. What do I like\?$/i);
    const sessionId = await page.evaluate(() => localStorage.getItem('session_id'));
    const context = await (await fetch(`${server.baseUrl}/api/sessions/${sessionId}/context`)).json();
    assert.equal(texts.length, context.messages.length, 'the dialog shows every message of /context');
    for (const scheme of ['light', 'dark']) {
      await shoot('context', { viewport: DESKTOP, scheme });
      await shoot('context', { viewport: PHONE, scheme });
      assert.deepEqual(await axeProblems(page), [], `context dialog, ${scheme}`);
    }
    await resetView(page);
    await page.keyboard.press('Escape');
    await shown.waitFor({ state: 'detached' });
    await shoot('chat-meter', { viewport: PHONE, scheme: 'dark' });
    await shoot('chat-meter', { viewport: DESKTOP, scheme: 'light' });
  });

  it('should show the detail of refused settings in the dialog', async () => {
    await settings().click();
    const dialog = page.getByRole('dialog', { name: 'Chat settings' });
    await dialog.getByRole('spinbutton', { name: 'Temperature' }).fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    assert.match(await dialog.getByRole('alert').innerText(), /temperature/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});

describe('errors', { timeout: 60_000 }, () => {
  it('should show the detail of a refused prompt with a Retry button', async () => {
    await page.goto(base);
    await page.getByRole('button', { name: 'New chat' }).click();
    await message().fill('x'.repeat(40_000));
    await message().press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /\w+/);
    await alert.getByRole('button', { name: 'Retry' }).waitFor();
    await shoot('error', { viewport: DESKTOP, scheme: 'light' });
    await shoot('error', { viewport: PHONE, scheme: 'dark' });
    await resetView(page);
  });

  it('should save a screenshot of a confirmation dialog', async () => {
    await sidebar().locator('.session-item').first().getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').waitFor();
    await shoot('dialog', { viewport: DESKTOP, scheme: 'dark' });
    assert.deepEqual(await axeProblems(page), [], 'dialog and error notice, dark');
    await page.keyboard.press('Escape');
  });
});

describe('organising chats', { timeout: 90_000 }, () => {
  const item = (name) => sidebar().locator('.session-item', { hasText: name });
  const menuItem = async (name, action) => {
    await item(name).getByRole('button', { name: 'Chat actions' }).click();
    await item(name).getByRole('menuitem', { name: action }).click();
  };
  const newChat = async (prompt) => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByText('How can I help you today?').waitFor();
    await send(prompt);
    await item(prompt).waitFor();
  };

  it('should rename a chat in place, pin it on top and tag it', async () => {
    await page.goto(base);
    await newChat('Organise alpha');
    await newChat('Organise beta');

    await menuItem('Organise alpha', 'Rename');
    const name = sidebar().getByRole('textbox', { name: 'Chat name' });
    await name.fill('Renamed alpha');
    await name.press('Enter');
    await item('Renamed alpha').waitFor();

    await menuItem('Renamed alpha', 'Pin');
    await sidebar().getByRole('region', { name: 'Pinned chats' }).getByText('Renamed alpha').waitFor();
    assert.equal(await sidebar().locator('.session-name').first().innerText(), 'Renamed alpha');

    await menuItem('Renamed alpha', 'Edit tags');
    const tags = sidebar().getByRole('textbox', { name: 'Tags, separated by commas' });
    await tags.fill('Browser Test, demo');
    await tags.press('Enter');
    await item('Renamed alpha').getByText('browser test', { exact: true }).waitFor();
    await menuItem('Organise beta', 'Edit tags');
    await sidebar().getByRole('textbox', { name: 'Tags, separated by commas' }).fill('demo');
    await sidebar().getByRole('textbox', { name: 'Tags, separated by commas' }).press('Enter');
    await item('Organise beta').getByText('demo', { exact: true }).waitFor();

    const listed = await (await fetch(`${server.baseUrl}/api/session_names/`)).json();
    assert.deepEqual(
      listed.slice(0, 2).map((s) => [s.chat_name, s.pinned, s.tags]),
      [
        ['Renamed alpha', true, ['browser test', 'demo']],
        ['Organise beta', false, ['demo']],
      ],
    );
  });

  it('should save screenshots of the organised sidebar and pass axe checks with the menu open', async () => {
    await item('Organise beta').getByRole('button', { name: 'Chat actions' }).click();
    await item('Organise beta').getByRole('menu').waitFor();
    await lookAt(page, 'organise');
    await page.keyboard.press('Escape');
    await item('Organise beta').getByRole('menu').waitFor({ state: 'detached' });
  });

  it('should filter by a tag chip and archive a chat into the archive view', async () => {
    const chips = sidebar().getByRole('group', { name: 'Filter by tag' });
    await chips.getByRole('button', { name: '#browser test' }).click();
    await item('Organise beta').waitFor({ state: 'detached' });
    assert.equal(await sidebar().locator('.session-item').count(), 1);
    await chips.getByRole('button', { name: '#browser test' }).click();
    await item('Organise beta').waitFor();

    await menuItem('Organise beta', 'Archive');
    await item('Organise beta').waitFor({ state: 'detached' });
    await sidebar().getByRole('button', { name: 'Archived' }).click();
    await sidebar().getByRole('region', { name: 'Archived chats' }).getByText('Organise beta').waitFor();
    await shoot('organise-archive', { viewport: DESKTOP, scheme: 'light' });
    await menuItem('Organise beta', 'Unarchive');
    await sidebar().getByText('No archived chats.').waitFor();
    await sidebar().getByRole('button', { name: 'Archived' }).click();
    await item('Organise beta').waitFor();
  });

  it('should refuse a change based on what another tab since changed, and say so', async () => {
    await item('Organise beta').getByRole('button', { name: 'Chat actions' }).click();
    await item('Organise beta').getByRole('menuitem', { name: 'Pin' }).waitFor();
    await page.waitForTimeout(300); // the menu read the session's ETag
    const other = await context.newPage();
    await other.goto(base);
    await other.getByRole('complementary', { name: 'Chats' }).locator('.session-item', { hasText: 'Organise beta' }).getByRole('button', { name: 'Chat actions' }).click();
    await other.getByRole('menuitem', { name: 'Rename' }).click();
    await other.getByRole('textbox', { name: 'Chat name' }).fill('Beta from the other tab');
    await other.getByRole('textbox', { name: 'Chat name' }).press('Enter');
    await other.getByRole('complementary', { name: 'Chats' }).getByText('Beta from the other tab').waitFor();
    await other.close();

    await item('Organise beta').getByRole('menuitem', { name: 'Pin' }).click();
    const alert = sidebar().getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /changed in another tab — reload/);
    await shoot('organise-conflict', { viewport: DESKTOP, scheme: 'light' });
    await alert.getByRole('button', { name: 'Reload' }).click();
    await item('Beta from the other tab').waitFor();
    assert.equal(await sidebar().getByRole('region', { name: 'Pinned chats' }).locator('.session-item').count(), 1, 'the stale pin did not apply');
  });
});

describe('the page', () => {
  it('should have thrown no error and logged none (failed requests aside) in all of the above', () => {
    assert.deepEqual(pageErrors, []);
  });
});
