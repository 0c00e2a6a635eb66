import type { TestApp } from './test-app';

export interface GenerateReply {
  response: string;
  session_id: string;
  chat_name: string;
  timestamp: number;
  code?: string;
}

/** Sends one turn and returns the reply body; fails the test on anything but 200. */
export async function say(t: TestApp, prompt: string, sessionId?: string): Promise<GenerateReply> {
  const res = await t.http().post('/api/generate/').send({ prompt, session_id: sessionId });
  if (res.status !== 200) throw new Error(`generate answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as GenerateReply;
}

export async function historyOf(t: TestApp, sessionId: string, extra: Record<string, unknown> = {}) {
  return (await t.http().post('/api/get_history/').send({ session_id: sessionId, ...extra }).expect(200)).body;
}
