import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionStore } from '../../src/sessions/domain/session-store';
import { EXPORT_PAGE_SIZE } from '../../src/transfer/export.service';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const SESSIONS = 1_600;
/** 16 KB a session, 25 MB in all: far more than the socket buffers between server and client hold. */
const CONTENT = 'x'.repeat(16 * 1024);

describe('GET /api/export streams', () => {
  let t: TestApp;
  let store: SessionStore;
  let pagesRead = 0;

  beforeAll(async () => {
    t = await createTestApp();
    store = t.app.get(SessionStore, { strict: false });
    const scope = { ownerId: null };
    for (let i = 0; i < SESSIONS; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, SESSIONS - i) }, (_, j) =>
          store.importSession(scope, {
            sessionId: `00000000-0000-4000-8000-${String(i + j).padStart(12, '0')}`,
            chatName: `session ${i + j}`,
            createdAt: new Date('2025-01-01T00:00:00Z'),
            messages: [{ sender: 'Human', content: CONTENT, timestamp: new Date('2025-01-01T00:00:01Z') }],
          }),
        ),
      );
    }
    const sessionsAfter = store.sessionsAfter.bind(store);
    store.sessionsAfter = (...args) => {
      pagesRead += 1;
      return sessionsAfter(...args);
    };
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
  }, 120_000);
  afterAll(() => t.dispose());

  it('should read the sessions a page at a time as the client takes them, and give them all', async () => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const chunks: Buffer[] = [];
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
      request({ host: '127.0.0.1', port, path: '/api/export', headers: t.authHeaders }, resolve).on('error', reject).end(),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBeUndefined();
    // Take the first piece, then stop reading: the server must stop reading pages soon after.
    const first = await new Promise<Buffer>((resolve) => res.once('data', resolve));
    res.pause();
    chunks.push(first);
    let settled = -1;
    await waitFor(async () => {
      const now = pagesRead;
      const still = now === settled;
      settled = now;
      await new Promise((r) => setTimeout(r, 300));
      return still;
    }, 'the server to stop reading pages', 20_000);
    const allPages = Math.ceil(SESSIONS / EXPORT_PAGE_SIZE) + 1;
    expect(pagesRead).toBeLessThan(allPages * 0.75);

    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => res.on('end', resolve).resume());
    const document = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { format: string; sessions: { id: string; messages: { content: string }[] }[] };
    expect(document.format).toBe('chat-sessions/1');
    expect(document.sessions).toHaveLength(SESSIONS);
    expect(new Set(document.sessions.map((s) => s.id)).size).toBe(SESSIONS);
    expect(document.sessions.every((s) => s.messages[0].content === CONTENT)).toBe(true);
    expect(pagesRead).toBe(allPages);
  }, 120_000);
});
