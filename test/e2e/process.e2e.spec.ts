import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenAiServer } from '../support/fake-openai-server';
import { startServer } from '../support/server-process';
import { parseSse } from '../support/sse';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

describe('the server process', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-process-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const post = (url: string, path: string, body: object, signal?: AbortSignal) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal });

  it('should lose no acknowledged turn when killed with SIGKILL under load', async () => {
    const db = join(dir, 'chat.db');
    const server = await startServer({ DATABASE_URL: `sqlite:${db}` });
    const acknowledged: { sessionId: string; prompt: string }[] = [];
    let stop = false;
    const worker = async (w: number) => {
      let sessionId: string | undefined;
      for (let i = 0; !stop && i < 2000; i++) {
        const prompt = `worker ${w} turn ${i}`;
        try {
          const res = await post(server.url, '/api/generate/', { prompt, session_id: sessionId });
          if (res.status !== 200) continue;
          const body = (await res.json()) as { session_id: string };
          sessionId = body.session_id;
          acknowledged.push({ sessionId, prompt });
        } catch {
          return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await waitFor(() => acknowledged.length >= 200, '200 acknowledged turns', 30_000);
    server.kill('SIGKILL');
    expect(await server.exited).toBe('SIGKILL');
    stop = true;
    await Promise.all(workers);

    const reopened = new Database(db);
    try {
      const has = reopened.prepare("SELECT sender FROM chat_messages WHERE session_id = ? AND content = ? AND sender = 'Human'");
      const answered = reopened.prepare("SELECT COUNT(*) AS n FROM chat_messages WHERE session_id = ? AND sender = 'AI' AND content LIKE ?");
      for (const { sessionId, prompt } of acknowledged) {
        expect({ prompt, stored: has.get(sessionId, prompt) !== undefined }).toEqual({ prompt, stored: true });
        expect({ prompt, answered: (answered.get(sessionId, `%“${prompt}”%`) as { n: number }).n }).toEqual({ prompt, answered: 1 });
      }
      const mismatched = reopened
        .prepare('SELECT session_id FROM chat_sessions s WHERE message_count <> (SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = s.session_id)')
        .all();
      expect(mismatched).toEqual([]);
      const totals = reopened.prepare('SELECT SUM(messages) AS messages FROM chat_totals').get() as { messages: number };
      expect(totals.messages).toBe((reopened.prepare('SELECT COUNT(*) AS n FROM chat_messages').get() as { n: number }).n);
    } finally {
      reopened.close();
    }
    const restarted = await startServer({ DATABASE_URL: `sqlite:${db}` });
    const res = await post(restarted.url, '/api/generate/', { prompt: 'after the crash', session_id: acknowledged[0].sessionId });
    expect(res.status).toBe(200);
    restarted.kill('SIGKILL');
    await restarted.exited;
  });

  it('should write its log lines in blocks, not one write per request, and lose none of them on SIGTERM', async () => {
    const server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`, LOG_LEVEL: 'info' });
    let chunks = 0;
    server.child.stdout!.on('data', () => chunks++);
    try {
      for (let i = 0; i < 300; i++) expect((await fetch(`${server.url}/api/health/live`)).status).toBe(200);
      // Within the flush interval, lines written since reach the pipe without another request.
      await waitFor(() => (server.output().match(/"request completed"/g) ?? []).length === 300, "every request's line", 2000);
      // One write per line would be about 300 chunks on the pipe.
      expect(chunks).toBeLessThan(100);
      server.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output().match(/"route":"\/api\/health\/live".*"request completed"/g)).toHaveLength(300);
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('should drain on SIGTERM: finish running streams, refuse new connections, exit 0', async () => {
    const model = await new FakeOpenAiServer().start();
    model.always({ kind: 'stream', chunks: Array.from({ length: 15 }, (_, i) => `w${i} `), delayMs: 40 });
    const server = await startServer({
      DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: model.baseUrl,
      LLM_MAX_RETRIES: '0',
      SHUTDOWN_GRACE_MS: '10000',
    });
    try {
      const streams = await Promise.all([1, 2, 3].map((i) => post(server.url, '/api/generate/stream', { prompt: `long ${i}` })));
      // Every stream has produced its first token before the signal: they are running, not queued.
      const bodies = await Promise.all(streams.map(async (s) => {
        const reader = s.body!.pipeThrough(new TextDecoderStream()).getReader();
        const first = await reader.read();
        return { reader, text: first.value ?? '' };
      }));
      expect(bodies.every((b) => b.text.includes('event: token'))).toBe(true);
      server.kill('SIGTERM');
      await waitFor(() => server.output().includes('SIGTERM: draining'), 'the server to start draining');
      await expect(fetch(`${server.url}/api/health/live`)).rejects.toThrow();
      const rest = await Promise.all(bodies.map(async ({ reader, text }) => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return text;
          text += value;
        }
      }));
      for (const body of rest) {
        const events = parseSse(body);
        expect(events.at(-1)!.event).toBe('done');
        expect(events.at(-1)!.data.response).toBe(Array.from({ length: 15 }, (_, i) => `w${i} `).join(''));
      }
      expect(await server.exited).toBe(0);
      const db = new Database(join(dir, 'chat.db'), { readonly: true });
      expect((db.prepare("SELECT COUNT(*) AS n FROM chat_messages WHERE sender = 'AI'").get() as { n: number }).n).toBe(3);
      db.close();
    } finally {
      server.kill('SIGKILL');
      await model.stop();
    }
  });
});
