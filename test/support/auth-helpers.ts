import type { TestApp } from './test-app';

export const JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters';
export const JWT_ENV = { AUTH_MODE: 'jwt', JWT_SECRET };

export interface Account {
  readonly id: string;
  readonly username: string;
  readonly role: 'admin' | 'user';
  readonly token: string;
  /** `Authorization` header value. */
  readonly auth: string;
}

/** Registers an account (the first of an app becomes its admin) and returns it with its token. */
export async function register(t: TestApp, username: string, password = 'correct horse battery'): Promise<Account> {
  const res = await t.http().post('/api/auth/register').send({ username, password });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  const { user, access_token } = res.body as { user: { id: string; username: string; role: 'admin' | 'user' }; access_token: string };
  return { ...user, token: access_token, auth: `Bearer ${access_token}` };
}

/** Sends one turn as `account`; returns the new session's id. */
export async function sayAs(t: TestApp, account: Pick<Account, 'auth'>, prompt: string, sessionId?: string): Promise<string> {
  const res = await t.http().post('/api/generate').set('Authorization', account.auth).send({ prompt, session_id: sessionId });
  if (res.status !== 200) throw new Error(`generate answered ${res.status}: ${JSON.stringify(res.body)}`);
  return (res.body as { session_id: string }).session_id;
}
