import { describe, expect, it, vi } from 'vitest';
import { fakeApi, json, sse } from '../test/fakeApi';
import { noticeUnauthorized, onSignedOutByServer, setToken } from './auth';
import { api, call } from './client';
import { streamGenerate } from './stream';

describe('the access token', () => {
  it('should be sent by the typed client and by the stream, and not before it is set', async () => {
    const calls = fakeApi({
      'GET /api/auth/me': () => json({ id: 'u', username: 'u', role: 'user' }),
      'POST /api/generate/stream': () => sse([['token', { text: 'x' }]]),
    });
    await call(api.GET('/api/auth/me'));
    setToken('abc');
    await call(api.GET('/api/auth/me'));
    for await (const event of streamGenerate({ prompt: 'x' }, new AbortController().signal)) void event;

    expect(calls.map((c) => c.headers.get('Authorization'))).toEqual([null, 'Bearer abc', 'Bearer abc']);
    expect(localStorage.getItem('access_token')).toBe('abc');
    setToken(null);
    expect(localStorage.getItem('access_token')).toBeNull();
  });

  it('should report a 401 of any route but sign-in and sign-up, and nothing else', () => {
    const listener = vi.fn();
    const stop = onSignedOutByServer(listener);
    noticeUnauthorized('http://localhost/api/auth/login', 401);
    noticeUnauthorized('http://localhost/api/auth/register/', 401);
    noticeUnauthorized('http://localhost/api/session_names', 403);
    expect(listener).not.toHaveBeenCalled();
    noticeUnauthorized('http://localhost/api/session_names?limit=30', 401);
    noticeUnauthorized('/api/generate/stream', 401);
    expect(listener).toHaveBeenCalledTimes(2);
    stop();
    noticeUnauthorized('/api/generate/stream', 401);
    expect(listener).toHaveBeenCalledTimes(2);
  });
});
