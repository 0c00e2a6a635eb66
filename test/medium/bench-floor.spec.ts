// The benchmark's bare floor (bench/floor.mjs) is the service's store adapter behind node:http. A
// floor that fails answers its errors fast, and the "turns/s vs the bare floor" row would compare
// against those: so its turns must work, on the built adapter, as the service's do.
import { join } from 'node:path';
import { scratchSqlite } from '../support/databases';
import { startServer, ServerProcess } from '../support/server-process';

const FLOOR = join(__dirname, '..', '..', 'bench', 'floor.mjs');

describe('the bare floor of the benchmark', () => {
  let floor: ServerProcess;
  const db = scratchSqlite();

  beforeAll(async () => {
    floor = await startServer({ DATABASE_URL: db.url }, 15_000, { script: FLOOR });
  });

  afterAll(async () => {
    floor.kill();
    await floor.exited;
    await db.drop();
  });

  const turn = async (body: object) => {
    const res = await fetch(`${floor.url}/api/generate/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { session_id: string; response: string; detail?: string } };
  };

  it('should start a session and continue it, as the service does', async () => {
    const first = await turn({ prompt: 'Hello there' });
    expect(first).toEqual({ status: 200, body: expect.objectContaining({ session_id: expect.any(String), response: expect.stringContaining('You said: “Hello there”') }) });
    const second = await turn({ prompt: 'And again', session_id: first.body.session_id });
    expect(second.status).toBe(200);
    expect(second.body.session_id).toBe(first.body.session_id);
    expect((await fetch(`${floor.url}/api/health/live`)).status).toBe(200);
  });
});
