import { say } from '../support/http-helpers';
import { ManualClock } from '../support/manual-clock';
import { count, query } from '../support/tables';
import { createTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;

describe('analytics and upkeep routes', () => {
  const clock = new ManualClock(new Date('2026-11-24T09:30:00.000Z'));
  let t: TestApp;

  beforeEach(async () => {
    clock.set('2026-11-24T09:30:00.000Z');
    t = await createTestApp({ clock });
  });
  afterEach(() => t.dispose());

  const stats = async () => (await t.http().get('/api/session_stats/').expect(200)).body.stats;

  /** What the statistics must equal: computed from the tables themselves. */
  async function countedFromTables() {
    const sessions = await count(t, 'SELECT COUNT(*) AS n FROM chat_sessions');
    const messages = await count(t, 'SELECT COUNT(*) AS n FROM chat_messages');
    const times = await query<{ timestamp: string | Date }>(t, 'SELECT "timestamp" FROM chat_messages');
    const rawCounts = await query<{ c: number | string; n: number | string }>(
      t,
      'SELECT message_count AS c, (SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = s.session_id) AS n FROM chat_sessions s',
    );
    const hours = new Array(24).fill(0);
    for (const { timestamp } of times) hours[new Date(timestamp).getUTCHours()]++;
    return { sessions, messages, hours, counts: rawCounts.map(({ c, n }) => ({ c: Number(c), n: Number(n) })) };
  }

  it('should start at zero with 24 hours and 30 days', async () => {
    const s = await stats();
    expect(Object.keys(s).sort()).toEqual(
      ['active_sessions', 'avg_messages_per_session', 'messages_by_hour', 'recent_sessions_24h', 'sessions_by_day', 'total_messages', 'total_sessions'].sort(),
    );
    expect(s).toMatchObject({ total_sessions: 0, total_messages: 0, recent_sessions_24h: 0, active_sessions: 0, avg_messages_per_session: 0 });
    expect(s.messages_by_hour).toEqual(new Array(24).fill(0));
    expect(s.sessions_by_day).toHaveLength(30);
    expect(s.sessions_by_day[0]).toEqual({ date: '2026-10-26', sessions: 0, messages: 0 });
    expect(s.sessions_by_day[29]).toEqual({ date: '2026-11-24', sessions: 0, messages: 0 });
  });

  it('should count sessions, messages, recent activity, hours and days, and stay equal to the tables', async () => {
    clock.set('2026-11-20T03:15:00.000Z');
    const old = (await say(t, 'old one')).session_id;
    clock.set('2026-11-24T08:05:00.000Z');
    const a = (await say(t, 'today a')).session_id;
    await say(t, 'today a again', a);
    clock.set('2026-11-24T09:00:00.000Z');
    await say(t, 'today b');
    const s = await stats();
    expect(s).toMatchObject({ total_sessions: 3, total_messages: 8, recent_sessions_24h: 2, active_sessions: 2, avg_messages_per_session: 2.67 });
    expect(s.messages_by_hour[3]).toBe(2);
    expect(s.messages_by_hour[8]).toBe(4);
    expect(s.messages_by_hour[9]).toBe(2);
    expect(s.sessions_by_day.find((d: { date: string }) => d.date === '2026-11-20')).toEqual({ date: '2026-11-20', sessions: 1, messages: 2 });
    expect(s.sessions_by_day[29]).toEqual({ date: '2026-11-24', sessions: 2, messages: 6 });

    await t.http().post('/api/clear_history/').send({ session_id: a }).expect(200);
    await t.http().delete(`/api/sessions/${old}`).expect(204);
    const after = await stats();
    const tables = await countedFromTables();
    expect(after.total_sessions).toBe(tables.sessions);
    expect(after.total_messages).toBe(tables.messages);
    expect(after.messages_by_hour).toEqual(tables.hours);
    expect(after).toMatchObject({ total_sessions: 2, total_messages: 2 });
    expect(after.sessions_by_day.find((d: { date: string }) => d.date === '2026-11-20')).toEqual({ date: '2026-11-20', sessions: 0, messages: 0 });
    for (const { c, n } of tables.counts) expect(c).toBe(n);
  });

  describe('POST /api/cleanup_sessions', () => {
    async function seedAges(ages: number[]): Promise<string[]> {
      const ids: string[] = [];
      for (const age of ages) {
        clock.set(new Date(Date.parse('2026-11-24T09:30:00.000Z') - age * DAY));
        ids.push((await say(t, `aged ${age} days`)).session_id);
      }
      clock.set('2026-11-24T09:30:00.000Z');
      return ids;
    }

    it('should count on a dry run and delete nothing', async () => {
      await seedAges([40, 35, 10]);
      const res = await t.http().post('/api/cleanup_sessions/').send({ days_old: 30, dry_run: true }).expect(200);
      expect(res.body).toEqual({ deleted_count: 2, days_old: 30, dry_run: true });
      expect((await stats()).total_sessions).toBe(3);
    });

    it('should delete sessions idle longer than days_old with their messages, defaulting to 30 days', async () => {
      const [oldest, old, recent] = await seedAges([40, 35, 10]);
      const res = await t.http().post('/api/cleanup_sessions').send({}).expect(200);
      expect(res.body).toEqual({ deleted_count: 2, days_old: 30, dry_run: false });
      await t.http().post('/api/get_history/').send({ session_id: oldest }).expect(404);
      await t.http().post('/api/get_history/').send({ session_id: old }).expect(404);
      await t.http().post('/api/get_history/').send({ session_id: recent }).expect(200);
      const five = await t.http().post('/api/cleanup_sessions/').send({ days_old: 5 }).expect(200);
      expect(five.body.deleted_count).toBe(1);
      const tables = await countedFromTables();
      expect(tables).toMatchObject({ sessions: 0, messages: 0 });
      expect(await stats()).toMatchObject({ total_sessions: 0, total_messages: 0 });
    });

    it('should answer a cleanup without a body with the defaults', async () => {
      const res = await t.http().post('/api/cleanup_sessions/').expect(200);
      expect(res.body).toEqual({ deleted_count: 0, days_old: 30, dry_run: false });
    });

    it('should delete in several batches when there are many', async () => {
      await seedAges(Array.from({ length: 120 }, () => 31));
      const res = await t.http().post('/api/cleanup_sessions/').send({ days_old: 30 }).expect(200);
      expect(res.body.deleted_count).toBe(120);
      expect(await countedFromTables()).toMatchObject({ sessions: 0, messages: 0 });
    });

    it.each([{ days_old: 0 }, { days_old: 'ten' }, { days_old: 1.5 }, { dry_run: 'yes' }, { other: 1 }])('should refuse %j with 400', async (body) => {
      const res = await t.http().post('/api/cleanup_sessions/').send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
    });
  });
});
