// Browser tests of export and import (issue 12): a ChatGPT-shaped file imported through the dialog,
// the chat it makes exported again as Markdown. Run with `npm run e2e` in client/ after the builds.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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

const watchdog = startSuite('export and import', 3);

/** A ChatGPT conversation as its export describes it: a tree of nodes, `current_node` the leaf shown last. */
function chatgptConversation(title, turns, { createTime = 1_700_000_000 } = {}) {
  const mapping = { root: { id: 'root', message: null, parent: null, children: [] } };
  let parent = 'root';
  turns.forEach(([role, text], i) => {
    const id = `n${i}`;
    mapping[id] = {
      id,
      parent,
      children: [],
      message: { id, author: { role }, create_time: createTime + i * 60, content: { content_type: 'text', parts: [text] }, metadata: {} },
    };
    mapping[parent].children.push(id);
    parent = id;
  });
  return { title, create_time: createTime, update_time: createTime + turns.length * 60, mapping, current_node: parent };
}

const CONVERSATIONS = [
  chatgptConversation('Crème brûlée at home', [
    ['system', 'You are ChatGPT.'],
    ['user', 'How do I caramelise the sugar without a torch?'],
    ['assistant', 'Use the **grill**: two minutes, close to the element, and watch it.'],
  ]),
  chatgptConversation('Only instructions', [['system', 'You are ChatGPT.']]),
  chatgptConversation('A very long title that goes on and on about the things one might ask a model on a rainy afternoon', [['system', 'hidden']]),
];

let server;
let browser;
let page;
let workDir;
const pageErrors = [];

const sidebar = () => page.getByRole('complementary', { name: 'Chats' });
const dialog = () => page.getByRole('dialog', { name: 'Import chats' });

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'chat-e2e-transfer-'));
  server = await startServer();
  browser = await launchBrowser();
  page = await openPage(browser, pageErrors, { acceptDownloads: true });
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
  clearTimeout(watchdog);
});

describe('export and import', { timeout: 90_000 }, () => {
  it('should import a ChatGPT export through the dialog, after showing what it will skip', async () => {
    const file = path.join(workDir, 'conversations.json');
    await writeFile(file, JSON.stringify(CONVERSATIONS));
    await page.goto(server.baseUrl);
    await sidebar().getByText('No chats yet.').waitFor();

    await sidebar().getByRole('button', { name: 'Import chats' }).click();
    await dialog().getByLabel('File to import').setInputFiles(file);

    await dialog().getByText('“conversations.json” is a ChatGPT export: 1 chat will be imported.').waitFor();
    const skipped = dialog().getByRole('list', { name: 'Skipped chats' }).getByRole('listitem');
    assert.equal(await skipped.count(), 2);
    assert.match(await skipped.nth(0).innerText(), /#1\s+Only instructions\s+no user or assistant messages/);
    await shoot(page, 'import-report', { viewport: DESKTOP, scheme: 'light' });
    assert.deepEqual(await axeProblems(page), [], 'the import report, light');
    await shoot(page, 'import-report', { viewport: PHONE, scheme: 'dark' });
    assert.deepEqual(await axeProblems(page), [], 'the import report, dark');
    await resetView(page);
    assert.equal(await sidebar().getByRole('listitem').count(), 0, 'the dry run stored nothing');

    await dialog().getByRole('button', { name: 'Import', exact: true }).click();
    await dialog().getByText('Imported 1 chat from “conversations.json”.').waitFor();
    await shoot(page, 'import-done', { viewport: DESKTOP, scheme: 'dark' });
    await shoot(page, 'import-done', { viewport: PHONE, scheme: 'light' });
    await resetView(page);
    await sidebar().getByRole('button', { name: /Crème brûlée at home/ }).waitFor();
    await dialog().getByRole('button', { name: 'Open the chat' }).click();

    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('How do I caramelise the sugar without a torch?').waitFor();
    await log.locator('strong', { hasText: 'grill' }).waitFor(); // the reply, rendered as Markdown
    assert.equal(await log.getByText('You are ChatGPT.').count(), 0, 'the system message was left out');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Crème brûlée at home');
  });

  it('should export the imported chat as Markdown, named after it', async () => {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('menu', { name: 'Export as' }).waitFor();
    await shoot(page, 'export-menu', { viewport: DESKTOP, scheme: 'dark' });
    assert.deepEqual(await axeProblems(page), [], 'the export menu, dark');
    await shoot(page, 'export-menu', { viewport: PHONE, scheme: 'light' });
    await page.setViewportSize(DESKTOP);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Markdown' }).click()]);

    assert.equal(download.suggestedFilename(), 'Crème brûlée at home.md');
    const text = await readFile(await download.path(), 'utf8');
    assert.match(text, /Crème brûlée at home/);
    assert.match(text, /How do I caramelise the sugar without a torch\?/);
    assert.match(text, /\*\*grill\*\*/);
  });

  it('should export everything as one chat-sessions/1 file', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), sidebar().getByRole('button', { name: 'Export all' }).click()]);

    assert.match(download.suggestedFilename(), /^chat-sessions-\d{4}-\d{2}-\d{2}\.json$/);
    const document = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(document.format, 'chat-sessions/1');
    assert.deepEqual(
      document.sessions.map((s) => s.chat_name),
      ['Crème brûlée at home'],
    );
  });

  it('should take a dropped file and show the server’s detail when it cannot be imported', async () => {
    await sidebar().getByRole('button', { name: 'Import chats' }).click();
    // Dropped this time, as a file dragged from the desktop arrives: a drop event carrying a DataTransfer.
    const broken = JSON.stringify([{ title: 'Broken', mapping: 'not a tree', current_node: 'x' }]);
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'broken.json', { type: 'application/json' }));
      return data;
    }, broken);
    const zone = dialog().locator('.drop-zone');
    await zone.dispatchEvent('dragover', { dataTransfer: transfer });
    await zone.dispatchEvent('drop', { dataTransfer: transfer });

    const alert = dialog().getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /“broken\.json”: The file cannot be imported: conversation 0: mapping is not an object/);
    await shoot(page, 'import-error', { viewport: DESKTOP, scheme: 'light' });
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });

});

describe('export and import with accounts on', { timeout: 90_000 }, () => {
  let jwtServer;
  let user;

  before(async () => {
    jwtServer = await startServer({ env: JWT_ENV });
    user = await openPage(browser, pageErrors, { acceptDownloads: true, consoleErrors: false });
  });

  after(() => jwtServer?.stop());

  it('should download with the token and import the file back as a new chat', async () => {
    await user.goto(jwtServer.baseUrl);
    await signUp(user, 'carol');
    const message = user.getByRole('textbox', { name: 'Message' });
    await message.fill('Notes for the trip to Kyōto');
    await message.press('Enter');
    await user.locator('.message-assistant').getByText(/offline model/).waitFor();
    await user.getByRole('button', { name: 'Send' }).waitFor();

    await user.getByRole('button', { name: 'Export', exact: true }).click();
    const [download] = await Promise.all([user.waitForEvent('download'), user.getByRole('menuitem', { name: /JSON/ }).click()]);
    assert.equal(download.suggestedFilename(), 'Notes for the trip to Kyōto.json');
    const file = path.join(workDir, 'carol.json');
    await download.saveAs(file);
    assert.equal(JSON.parse(await readFile(file, 'utf8')).sessions[0].messages.length, 2);

    const chats = user.getByRole('complementary', { name: 'Chats' });
    await chats.getByRole('button', { name: 'Import chats' }).click();
    const importDialog = user.getByRole('dialog', { name: 'Import chats' });
    await importDialog.getByLabel('File to import').setInputFiles(file);
    await importDialog.getByText('“carol.json” is an export of this service: 1 chat will be imported.').waitFor();
    await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
    await importDialog.getByText('Imported 1 chat from “carol.json”.').waitFor();
    await user.waitForFunction(() => document.querySelectorAll('.session-item').length === 2);
    assert.equal(await user.getByRole('heading', { name: 'Sign in' }).count(), 0, 'no 401 sent the user back to sign-in');
  });
});

describe('the pages', () => {
  it('should have thrown no error in any of the above', () => {
    assert.deepEqual(pageErrors, []);
  });
});
