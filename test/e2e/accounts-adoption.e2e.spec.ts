import { JWT_ENV, register } from '../support/auth-helpers';
import { say } from '../support/http-helpers';
import { createTestApp } from '../support/test-app';

describe('turning accounts on', () => {
  it('should give the first admin the sessions and templates made while accounts were off, and no one else', async () => {
    const before = await createTestApp({ env: { AUTH_MODE: 'off' } });
    const sessionId = (await say(before, 'made without accounts')).session_id;
    const template = (await before.http().post('/api/templates').send({ name: 'Made without accounts', system_prompt: 'Be kind.' }).expect(201)).body as { id: string };
    await before.close();

    const after = await createTestApp({ env: JWT_ENV, dir: before.dir });
    try {
      const admin = await register(after, 'admin');
      expect(admin.role).toBe('admin');
      const user = await register(after, 'someone');

      const names = async (auth: string) => ((await after.http().get('/api/session_names').set('Authorization', auth).expect(200)).body as { session_id: string }[]).map((s) => s.session_id);
      const own = async (auth: string) =>
        ((await after.http().get('/api/templates').set('Authorization', auth).expect(200)).body as { id: string; builtin: boolean }[]).filter((x) => !x.builtin).map((x) => x.id);

      expect(await names(admin.auth)).toEqual([sessionId]);
      expect(await own(admin.auth)).toEqual([template.id]);
      await after.http().get(`/api/templates/${template.id}`).set('Authorization', admin.auth).expect(200);
      expect(await names(user.auth)).toEqual([]);
      expect(await own(user.auth)).toEqual([]);
      await after.http().get(`/api/templates/${template.id}`).set('Authorization', user.auth).expect(404);
    } finally {
      await after.dispose();
    }
  });
});
