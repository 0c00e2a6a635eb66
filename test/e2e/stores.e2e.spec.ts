import { createTestApp, TestApp } from '../support/test-app';

/** The harness itself: the e2e-shared project must really run the suite on PostgreSQL and Redis. */
describe('the stores this e2e run uses', () => {
  const shared = process.env.E2E_SHARED_STORES === '1';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.dispose());

  it(`should be ${shared ? 'PostgreSQL and Redis' : 'SQLite and the in-process memory'}`, async () => {
    const health = (await t.http().get('/api/health').expect(200)).body;
    expect(health.info.database.dialect).toBe(shared ? 'postgres' : 'sqlite');
    expect(health.info.cache.store).toBe(shared ? 'redis' : 'memory');
  });
});
