// On PostgreSQL the starts and the appends of concurrent turns share one queue: a batch is one
// statement whatever its kinds, and it writes each counter row once for all of them.
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { ownedBy } from '../../src/sessions/domain/session';
import { describeOnScratchPostgres } from '../support/databases';
import { RecordingSql } from '../support/recording-sql';

jest.setTimeout(60_000);

const at = (iso: string) => new Date(iso);
const HOUR = (column: string) => `CAST(FLOOR(EXTRACT(EPOCH FROM ${column}) / 3600) AS INTEGER)`;

describeOnScratchPostgres('postgres: one batch for the starts and appends of concurrent turns', (db) => {
  /** `counter` per hour (or per key) beside what the rows say, only where the two differ. */
  const differences = async (counter: string, rows: string) =>
    db.sql.all(`SELECT * FROM (${counter}) AS c FULL JOIN (${rows}) AS r USING (k) WHERE c.n IS DISTINCT FROM r.n`);

  it('should write concurrent starts and appends of different sessions in one statement, with counters equal to the rows', async () => {
    const recording = new RecordingSql(db.sql);
    const store = new SqlSessionStore(recording, new AfinnSentimentScorer());
    const alice = ownedBy('alice');
    const bob = ownedBy('bob');
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.startTurn(alice, `old${i}`, 'a good question', 'old', at('2026-11-24T10:30:00.000Z'))));
    await store.startTurn(bob, 'bobs', 'mine', 'mine', at('2026-11-24T10:30:00.000Z'));
    await store.startTurn(bob, 'bobs2', 'mine too', 'mine', at('2026-11-24T10:30:00.000Z'));
    const usage = (i: number) => ({ latencyMs: 100 * i + 7, tokensIn: 10 + i, tokensOut: 2 * i });
    recording.statements.length = 0;

    // In the same tick: new sessions, answers in the old ones (an hour later), and two writes
    // into Bob's sessions that Alice may not see. The first goes alone, the rest wait together.
    const [starts, answers, [intoBobs, answerInBobs, answerInGone]] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, (_, i) => store.startTurn(alice, `new${i}`, i % 2 ? 'awful' : 'lovely', 'new', at('2026-11-24T11:00:00.000Z')))),
      Promise.all(Array.from({ length: 10 }, (_, i) => store.appendMessage(alice, `old${i}`, 'AI', `answer ${i}`, at('2026-11-24T11:00:01.000Z'), usage(i)))),
      Promise.all([
        store.startTurn(alice, 'bobs', 'not yours', 'x', at('2026-11-24T11:00:00.000Z')),
        store.appendMessage(alice, 'bobs2', 'AI', 'not yours', at('2026-11-24T11:00:01.000Z'), usage(99)),
        store.appendMessage(alice, 'gone', 'AI', 'nobody', at('2026-11-24T11:00:01.000Z'), usage(98)),
      ]),
    ]);

    const kinds = recording.statements.map((s) => new Set((JSON.parse(String(s.params[0])) as { kind: string }[]).map((item) => item.kind)));
    expect(kinds).toEqual([new Set(['start']), new Set(['start', 'append'])]);
    expect([intoBobs, answerInBobs, answerInGone]).toEqual([null, null, null]);
    starts.forEach((started, i) => {
      expect(started!.session).toMatchObject({ sessionId: `new${i}`, messageCount: 1, createdAt: at('2026-11-24T11:00:00.000Z') });
      expect(started!.message).toMatchObject({ sessionId: `new${i}`, sender: 'Human' });
    });
    answers.forEach((answer, i) => expect(answer).toMatchObject({ sessionId: `old${i}`, sender: 'AI', content: `answer ${i}`, timestamp: at('2026-11-24T11:00:01.000Z') }));

    expect(await db.sql.all('SELECT session_id FROM chat_sessions s WHERE message_count <> (SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = s.session_id)')).toEqual([]);
    const totals = await db.sql.get<{ sessions: string; messages: string }>('SELECT SUM(sessions) AS sessions, SUM(messages) AS messages FROM chat_totals');
    expect([Number(totals!.sessions), Number(totals!.messages)]).toEqual([22, 32]);
    const messagesByHour = `SELECT ${HOUR('"timestamp"')} AS k, COUNT(*) AS n FROM chat_messages GROUP BY 1`;
    const sessionsByHour = `SELECT ${HOUR('created_at')} AS k, COUNT(*) AS n FROM chat_sessions GROUP BY 1`;
    const humansByHour = `SELECT ${HOUR('"timestamp"')} AS k, COUNT(*) AS n FROM chat_messages WHERE sender = 'Human' GROUP BY 1`;
    const answersByHour = `SELECT ${HOUR('"timestamp"')} AS k, COUNT(*) AS n FROM chat_messages WHERE sender = 'AI' GROUP BY 1`;
    const hourly = (column: string) => `SELECT hour AS k, SUM(${column}) AS n FROM usage_hourly GROUP BY hour HAVING SUM(${column}) <> 0`;
    expect(await differences('SELECT hour AS k, SUM(messages) AS n FROM chat_activity GROUP BY hour', messagesByHour)).toEqual([]);
    expect(await differences('SELECT hour AS k, SUM(sessions) AS n FROM chat_activity GROUP BY hour HAVING SUM(sessions) <> 0', sessionsByHour)).toEqual([]);
    expect(await differences(hourly('turns'), humansByHour)).toEqual([]);
    expect(await differences(hourly('sentiment_count'), humansByHour)).toEqual([]);
    expect(await differences(hourly('new_sessions'), sessionsByHour)).toEqual([]);
    expect(await differences(hourly('model_calls'), answersByHour)).toEqual([]);
    expect(await differences('SELECT hour AS k, SUM(calls) AS n FROM usage_latency GROUP BY hour', answersByHour)).toEqual([]);
    expect(await differences('SELECT hour AS k, SUM(sessions) AS n FROM session_last_activity GROUP BY hour HAVING SUM(sessions) <> 0', `SELECT ${HOUR('last_activity')} AS k, COUNT(*) AS n FROM chat_sessions GROUP BY 1`)).toEqual([]);
    const spans = (span: number, column: string) =>
      differences(`SELECT hour AS k, SUM(${column}) AS n FROM usage_hourly GROUP BY hour HAVING SUM(${column}) <> 0`, `SELECT period_start AS k, COUNT(*) AS n FROM usage_active_users WHERE span = ${span} GROUP BY 1`);
    expect(await spans(1, 'active_users')).toEqual([]);
    expect(
      await differences(
        'SELECT period_start AS k, COUNT(*) AS n FROM usage_active_users WHERE span = 1 GROUP BY 1',
        `SELECT ${HOUR('"timestamp"')} AS k, COUNT(DISTINCT owner_id) AS n FROM chat_messages JOIN chat_sessions USING (session_id) WHERE sender = 'Human' GROUP BY 1`,
      ),
    ).toEqual([]);
    expect(await spans(24, 'active_users_day')).toEqual([]);
    const sent = Array.from({ length: 10 }, (_, i) => usage(i));
    const spent = await db.sql.get<{ latency: number; tokens_in: string; tokens_out: string }>(
      'SELECT SUM(latency_ms_sum) AS latency, SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out FROM usage_hourly',
    );
    const sum = (pick: (u: ReturnType<typeof usage>) => number) => sent.reduce((total, u) => total + pick(u), 0);
    expect([Number(spent!.latency), Number(spent!.tokens_in), Number(spent!.tokens_out)]).toEqual([sum((u) => u.latencyMs), sum((u) => u.tokensIn), sum((u) => u.tokensOut)]);
  });
});
