// npm run bench: drives the built service with autocannon on this machine, prints tables and
// writes bench/results.md (the targets of issue 14, each met or missed).
// Every target is 127.0.0.1; every run is bounded in time (BENCH_MAX_MINUTES in all).
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLANTED_PHRASE, seed, seedCorpusPostgres, seedCorpusSqlite, seedSearch, vocabularyWord } from './seed.mjs';
import { machineFrom, percentile, resultsMarkdown, targetRows } from './targets.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist', 'main.js');
const FLOOR = join(ROOT, 'bench', 'floor.mjs');
/** BENCH_QUICK=1: small corpora and 1 s rows, to check the script end to end; its numbers measure nothing. */
const QUICK = process.env.BENCH_QUICK === '1';
const DURATION = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 5));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** The corpora of the 10k-vs-1M rows and the size of the prune. */
const SCALE = {
  small: { sessions: 100, messages: 10_000 },
  large: QUICK ? { sessions: 1_000, messages: 20_000 } : { sessions: 10_000, messages: 1_000_000 },
  prune: QUICK ? 2_000 : 100_000,
};
const MAX_MINUTES = Number(process.env.BENCH_MAX_MINUTES ?? (QUICK ? 15 : 180));

if (!existsSync(MAIN)) spawnSync('npm', ['run', 'build:server'], { cwd: ROOT, stdio: 'inherit' });

const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
// The whole run is bounded: past BENCH_MAX_MINUTES it stops its processes and fails.
setTimeout(() => {
  console.error(`Benchmark stopped: it ran past BENCH_MAX_MINUTES (${MAX_MINUTES}).`);
  process.exit(2);
}, MAX_MINUTES * 60_000).unref();

function startService(env, script = MAIN) {
  return startProcess(script, env);
}

async function startProcess(script, env) {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH, PORT: '0', LLM_PROVIDER: 'offline', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const url = await new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`service did not start in 60 s:\n${log}`)), 60_000);
    // Until it listens, its lines are kept to show if it fails; after, they are read and dropped,
    // so that a line per request costs this process (which drives the load) nothing.
    const starting = (d) => {
      log += d;
      const m = /Listening on http:\/\/localhost:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', starting);
        child.stdout.resume();
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout.on('data', starting);
    child.on('exit', () => reject(new Error(`service exited:\n${log}`)));
  });
  return {
    url,
    // Bounded: a process that has not exited 20 s after SIGTERM is killed.
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => resolve(clearTimeout(kill)));
        child.kill('SIGTERM');
      }),
    memoryMb: () => readRss(child.pid),
    cpuMs: () => readCpuMs(child.pid),
  };
}

/** CPU time (user + system) the process has used, in ms: a cost per request that other load on the machine does not skew. */
function readCpuMs(pid) {
  const fields = spawnSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' }).stdout.split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function readRss(pid) {
  const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Seconds of the same load run unmeasured before each row, so that no row times the JIT warming up. */
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? (QUICK ? 0 : 2));

async function load(name, service, path, options = {}) {
  if (WARMUP > 0) await autocannon({ url: `${service.url}${path}`, connections: CONNECTIONS, duration: WARMUP, ...options });
  const cpuBefore = service.cpuMs();
  const result = await autocannon({ url: `${service.url}${path}`, connections: CONNECTIONS, duration: DURATION, ...options });
  const cpuUs = Math.round(((service.cpuMs() - cpuBefore) * 1000) / Math.max(result.requests.total, 1));
  const errors = result.errors + result.timeouts + result.non2xx;
  return { name, rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, cpuUs, errors };
}

const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Each request continues one of `ids`, round robin. */
function turnsOn(ids, prompt) {
  let i = 0;
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    setupClient: (client) =>
      client.setBody(JSON.stringify({ prompt, session_id: ids[i++ % ids.length] })),
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ prompt, session_id: ids[i++ % ids.length] }) }) }],
  };
}

async function measureDataset(label, shape) {
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const db = join(dir, 'chat.db');
  let service = await startService({ DATABASE_URL: `sqlite:${db}` });
  await service.stop();
  const started = Date.now();
  const ids = seed(db, shape);
  const seededIn = Date.now() - started;
  service = await startService({ DATABASE_URL: `sqlite:${db}` });
  const rows = [];
  try {
    const history = ids.big ?? ids.small;
    rows.push(await load('history page (limit 50)', service, '/api/get_history/', json({ session_id: history, limit: 50 })));
    rows.push(await load('session list page (limit 20)', service, '/api/session_names/?limit=20'));
    // The original client reads the whole list: one request, every session.
    rows.push(await load('whole session list (no limit)', service, '/api/session_names/', { connections: 2 }));
    rows.push(await load('statistics', service, '/api/session_stats/'));
    rows.push(await load('health/live', service, '/api/health/live'));
    return { label, shape, seededIn, rows, rssMb: service.memoryMb() };
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * GET /api/search over BENCH_SEARCH_MESSAGES (default a million) messages on SQLite, one row per
 * kind of query. Word ranks are positions in the seed's Zipf-like vocabulary: rank 100 is a common
 * word (in ~1 message of 60), rank 5,000 a rare one. One connection: this measures the latency of one
 * search, not how many the machine serves at once.
 */
async function measureSearch() {
  const total = Number(process.env.BENCH_SEARCH_MESSAGES ?? (QUICK ? 20_000 : 1_000_000));
  const messagesEach = 50;
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const db = join(dir, 'chat.db');
  let service = await startService({ DATABASE_URL: `sqlite:${db}` });
  await service.stop();
  const started = Date.now();
  const { messages } = seedSearch(db, { sessions: Math.ceil(total / messagesEach), messagesEach });
  const seededIn = Date.now() - started;
  service = await startService({ DATABASE_URL: `sqlite:${db}` });
  const w = vocabularyWord;
  const queries = [
    ['rare word (rank 5,000)', w(5000)],
    ['uncommon word (rank 1,000)', w(1000)],
    ['common word (rank 100)', w(100)],
    ['two words (ranks 300 and 400)', `${w(300)} ${w(400)}`],
    ['phrase', `"${PLANTED_PHRASE}"`],
    ['prefix (4 letters)', `${w(2000).slice(0, 4)}*`],
    ['very common word (rank 3, in ~1 message of 3)', w(3)],
  ];
  const rows = [];
  try {
    for (const [name, q] of queries) {
      const path = `/api/search?limit=20&q=${encodeURIComponent(q)}`;
      const hits = (await fetch(`${service.url}${path}`)).headers.get('x-total-count');
      rows.push({ ...(await load(name, service, path, { connections: 1 })), hits: Number(hits) });
    }
    // The mix a person types: everything above but the pathological very common word.
    const mix = queries.slice(0, -1).map(([, q]) => `/api/search?limit=20&q=${encodeURIComponent(q)}`);
    let i = 0;
    const mixed = await load('mix of the first six', service, mix[0], { connections: 1, requests: [{ setupRequest: (req) => ({ ...req, path: mix[i++ % mix.length] }) }] });
    rows.push({ ...mixed, hits: '' });
    return { messages, seededIn, rows, rssMb: service.memoryMb() };
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * GET /api/export of every session, read as fast as the socket gives it: the bytes, the time, and
 * the service's RSS before and at its peak during the download (sampled every 50 ms).
 */
async function measureExport(sessions, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const db = join(dir, 'chat.db');
  let service = await startService({ DATABASE_URL: `sqlite:${db}` });
  await service.stop();
  seed(db, { sessions, messagesEach: 20, bigSessions: 0, bigMessages: 0 });
  service = await startService({ DATABASE_URL: `sqlite:${db}`, ...env });
  try {
    const before = service.memoryMb();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, service.memoryMb())), 50);
    const started = Date.now();
    const bytes = await new Promise((resolve, reject) => {
      request(`${service.url}/api/export`, (res) => {
        let n = 0;
        res.on('data', (chunk) => (n += chunk.length));
        res.on('end', () => resolve(n));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    clearInterval(sampler);
    return { sessions, heapCap: env.NODE_OPTIONS ?? '', mb: bytes / 1_048_576, seconds: (Date.now() - started) / 1000, rssBefore: before, rssPeak: peak };
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureTurns() {
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const service = await startService({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}` });
  try {
    const live = await load('health/live', service, '/api/health/live');
    const newSessions = await load('turn, new session', service, '/api/generate/', json({ prompt: 'Hello, how are you today?' }));
    const sessionIds = [];
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${service.url}/api/generate/`, json({ prompt: 'warm up' }));
      sessionIds.push((await res.json()).session_id);
    }
    const continued = await load('turn, continued session', service, '/api/generate/', turnsOn(sessionIds, 'And what about tomorrow?'));
    return { live, rows: [live, newSessions, continued], rssMb: service.memoryMb() };
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A continued turn under each memory strategy, on sessions whose 10-turn window is full (and, under `summary`, folded). */
async function measureStrategies() {
  const rows = [];
  for (const strategy of ['window', 'tokens', 'summary']) {
    const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
    const service = await startService({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`, MEMORY_STRATEGY: strategy });
    try {
      const ids = [];
      for (let i = 0; i < 100; i++) ids.push((await (await fetch(`${service.url}/api/generate/`, json({ prompt: 'warm up' }))).json()).session_id);
      // History: 12 more turns each, so every window is full and older turns have left it.
      const history = turnsOn(ids, 'Tell me more about it. A second sentence that the offline summary leaves out.');
      await autocannon({ url: `${service.url}/api/generate/`, connections: CONNECTIONS, amount: ids.length * 12, ...history });
      rows.push({ strategy, ...(await load(`turn, continued session, MEMORY_STRATEGY=${strategy}`, service, '/api/generate/', turnsOn(ids, 'And what about tomorrow?'))) });
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function register(url, username) {
  const res = await fetch(`${url}/api/auth/register`, json({ username, password: 'bench-password' }));
  if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
  const body = await res.json();
  return { id: body.user.id, token: body.access_token };
}

/**
 * `session_names?limit=20` for one user with `mine` of `total` sessions owned by `users` users
 * (AUTH_MODE=jwt, read through the owner-led index), against AUTH_MODE=off listing all of them.
 */
async function measureOwnerListing({ total = 20_000, users = 200, mine = 100 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const db = join(dir, 'chat.db');
  const off = { DATABASE_URL: `sqlite:${db}` };
  const jwt = { ...off, AUTH_MODE: 'jwt', JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0' };
  let service = await startService(jwt);
  let user;
  try {
    await register(service.url, 'bench-admin');
    user = await register(service.url, 'bench-user');
  } finally {
    await service.stop();
  }
  const others = Array.from({ length: users }, () => randomUUID());
  const every = Math.floor(total / mine);
  seed(db, { sessions: total, messagesEach: 4, bigSessions: 0, bigMessages: 0, ownerOf: (i) => (i % every === 0 ? user.id : others[i % users]) });
  const rows = [];
  try {
    service = await startService(jwt);
    const headers = { authorization: `Bearer ${user.token}` };
    rows.push(await load(`AUTH_MODE=jwt, a user's ${mine} of ${total} sessions (${users} users)`, service, '/api/session_names/?limit=20', { headers }));
    // The token check alone (the route reads only the user): what jwt mode adds to every request.
    rows.push(await load('AUTH_MODE=jwt, GET /api/auth/me (the token check alone)', service, '/api/auth/me', { headers }));
    await service.stop();
    service = await startService(off);
    rows.push(await load(`AUTH_MODE=off, all ${total} sessions`, service, '/api/session_names/?limit=20'));
    return rows;
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Turns on PostgreSQL against what the same server does in `pgbench -N` (the TPC-B-like write
 * transaction without the hot branch/teller rows) with the same number of clients, in the same run.
 * A turn is two write transactions, so pgbench tps / 2 is the ceiling a turn can reach.
 *
 * BENCH_PG_ROUNDS rounds (5; 1 when quick) of pgbench then turns, and the ratio of their means:
 * this machine's speed drifts by up to 2× over minutes (a shared host), so one pgbench row and one
 * turn row measured a minute apart could compare two different machines.
 */
async function measurePostgres(serverUrl) {
  const name = `chat_bench_${process.pid}`;
  const url = new URL(serverUrl);
  const psql = (sql) => spawnSync('psql', [serverUrl, '-qAtc', sql], { encoding: 'utf8' });
  psql(`DROP DATABASE IF EXISTS ${name}`);
  psql(`CREATE DATABASE ${name}`);
  url.pathname = `/${name}`;
  const pgArgs = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username) || 'postgres'];
  const rounds = Number(process.env.BENCH_PG_ROUNDS ?? (QUICK ? 1 : 5));
  try {
    spawnSync('pgbench', [...pgArgs, '-i', '-q', '-s', '1', name], { encoding: 'utf8' });
    const service = await startService({ DATABASE_URL: url.toString(), ...(process.env.BENCH_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE } : {}) });
    try {
      const sessionIds = [];
      for (let i = 0; i < 200; i++) {
        const res = await fetch(`${service.url}/api/generate/`, json({ prompt: 'warm up' }));
        sessionIds.push((await res.json()).session_id);
      }
      // A whole row of turns first, not measured: the first of three rounds often came out 10–20 % below
      // the other two after the usual warm-up alone (the JIT and the statements' plans still settling).
      await load('turns, warming up', service, '/api/generate/', turnsOn(sessionIds, 'And what about tomorrow?'));
      const measured = [];
      for (let round = 0; round < rounds; round++) {
        const bench = spawnSync('pgbench', [...pgArgs, '-N', '-c', String(CONNECTIONS), '-j', '2', '-T', String(DURATION), name], { encoding: 'utf8' });
        const tps = Number(/tps = ([\d.]+)/.exec(bench.stdout)?.[1] ?? NaN);
        const turns = await load('turn, continued session (PostgreSQL)', service, '/api/generate/', turnsOn(sessionIds, 'And what about tomorrow?'));
        measured.push({ tps, turns });
      }
      const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
      const tps = Math.round(mean(measured.map((m) => m.tps)));
      const all = measured.map((m) => m.turns);
      const turns = {
        name: all[0].name,
        rps: Math.round(mean(all.map((t) => t.rps))),
        p50: Math.max(...all.map((t) => t.p50)),
        p99: Math.max(...all.map((t) => t.p99)),
        cpuUs: Math.round(mean(all.map((t) => t.cpuUs))),
        errors: all.reduce((sum, t) => sum + t.errors, 0),
      };
      return { tps, turns, fraction: turns.rps / (tps / 2), rounds: measured.map((m) => ({ tps: m.tps, turnRps: m.turns.rps, fraction: m.turns.rps / (m.tps / 2) })) };
    } finally {
      await service.stop();
    }
  } finally {
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** RSS after new sessions of one turn each, at each checkpoint; stops early past BENCH_MEMORY_MAX_SECONDS. */
async function measureMemory() {
  const checkpoints = (process.env.BENCH_MEMORY_SESSIONS ?? (QUICK ? '2000' : '10000,100000')).split(',').map(Number);
  const maxSeconds = Number(process.env.BENCH_MEMORY_MAX_SECONDS ?? 300);
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const service = await startService({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}` });
  const started = Date.now();
  const rows = [];
  let done = 0;
  try {
    for (const target of checkpoints) {
      while (done < target && (Date.now() - started) / 1000 < maxSeconds) {
        const amount = Math.min(10_000, target - done);
        const result = await autocannon({ url: `${service.url}/api/generate/`, connections: CONNECTIONS, amount, ...json({ prompt: 'Hello, how are you today?' }) });
        done += result.requests.total;
        if (result.errors + result.timeouts + result.non2xx > 0) throw new Error(`memory run: ${result.non2xx} non-2xx, ${result.errors} errors`);
      }
      const active = await (await fetch(`${service.url}/api/sessions/`)).json();
      rows.push({ sessions: done, rssMb: service.memoryMb(), windows: active.total_sessions, seconds: Math.round((Date.now() - started) / 1000) });
      if (done < target) break;
    }
    return rows;
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A model server whose first token comes after `firstTokenMs`; then the rest at once. */
function slowFirstTokenModel(firstTokenMs) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta, finish = null) =>
        `data: ${JSON.stringify({ id: 'b', object: 'chat.completion.chunk', created: 0, model: 'bench', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      setTimeout(() => {
        res.write(chunk({ role: 'assistant', content: 'First' }));
        res.end(chunk({ content: ' token.' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
      }, firstTokenMs);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Time to the first token of one stream, in ms. Resolves when the stream has ended, so that the next
 * request does not queue behind the end of this turn (its reply's write, its window): each sample
 * is a request's own path on an otherwise idle service.
 */
function timeToFirstToken(url, path, body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let firstMs;
      res.on('data', (data) => {
        if (firstMs === undefined && /"content":"First"|event: token/.test(String(data))) firstMs = Number(process.hrtime.bigint() - started) / 1e6;
      });
      res.on('end', () => (firstMs === undefined ? reject(new Error('no token seen')) : resolve(firstMs)));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function measureFirstToken() {
  const firstTokenMs = 50;
  const model = await slowFirstTokenModel(firstTokenMs);
  const modelUrl = `http://127.0.0.1:${model.address().port}`;
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const service = await startService({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`, LLM_PROVIDER: 'openai', OPENAI_BASE_URL: `${modelUrl}/v1`, LLM_MAX_RETRIES: '0' });
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const p95 = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
  try {
    const direct = [];
    const through = [];
    for (let i = 0; i < 60; i++) {
      direct.push(await timeToFirstToken(modelUrl, '/v1/chat/completions', { model: 'bench', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
      through.push(await timeToFirstToken(service.url, '/api/generate/stream', { prompt: 'hi' }));
    }
    return { firstTokenMs, direct: { p50: median(direct), p95: p95(direct) }, through: { p50: median(through), p95: p95(through) } };
  } finally {
    await service.stop();
    model.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A continued turn on the bare floor (bench/floor.mjs): the same store writes on a fresh SQLite file, without Nest. */
async function measureFloor() {
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const floor = await startProcess(FLOOR, { DATABASE_URL: `sqlite:${join(dir, 'chat.db')}` });
  try {
    const sessionIds = [];
    for (let i = 0; i < 200; i++) sessionIds.push((await (await fetch(`${floor.url}/api/generate/`, json({ prompt: 'warm up' }))).json()).session_id);
    return await load('bare floor: turn, continued session', floor, '/api/generate/', turnsOn(sessionIds, 'And what about tomorrow?'));
  } finally {
    await floor.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const psql = (serverUrl, sql) => spawnSync('psql', [serverUrl, '-qAtc', sql], { encoding: 'utf8', timeout: 120_000 });
let scratchNumber = 0;

/** An empty database to seed: a temporary SQLite file, or a scratch database on the PostgreSQL server. */
function scratchStore(kind) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
    const path = join(dir, 'chat.db');
    return { label: 'SQLite', url: `sqlite:${path}`, seed: (shape) => seedCorpusSqlite(path, shape), drop: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `chat_bench_${process.pid}_${scratchNumber++}`;
  const created = psql(POSTGRES, `CREATE DATABASE ${name}`);
  if (created.status !== 0) throw new Error(`CREATE DATABASE ${name}: ${created.stderr}`);
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  return { label: 'PostgreSQL', url: url.toString(), seed: (shape) => seedCorpusPostgres(url.toString(), shape), drop: () => psql(POSTGRES, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * A service on a scratch store seeded with `shapes` (migrated by a first start, seeded while
 * stopped), after checking that its statistics count exactly what was seeded: the counters kept
 * in step.
 */
async function seededService(kind, shapes) {
  const store = scratchStore(kind);
  try {
    await (await startService({ DATABASE_URL: store.url })).stop();
    const started = Date.now();
    const seeded = [];
    for (const shape of shapes) seeded.push(await store.seed(shape));
    const seconds = (Date.now() - started) / 1000;
    const service = await startService({ DATABASE_URL: store.url });
    const { stats } = await (await fetch(`${service.url}/api/session_stats/`)).json();
    const sessions = seeded.reduce((n, s) => n + s.sessions, 0);
    const messages = seeded.reduce((n, s) => n + s.messages, 0);
    if (stats.total_sessions !== sessions || stats.total_messages !== messages) {
      await service.stop();
      throw new Error(`${store.label}: statistics say ${stats.total_sessions} sessions / ${stats.total_messages} messages, seeded ${sessions} / ${messages}`);
    }
    return { store, service, seeded, seconds };
  } catch (error) {
    store.drop();
    throw error;
  }
}

/** The search mix of a person typing (the first six queries of the search table). */
function searchPaths() {
  const w = vocabularyWord;
  return [w(5000), w(1000), w(100), `${w(300)} ${w(400)}`, `"${PLANTED_PHRASE}"`, `${w(2000).slice(0, 4)}*`].map((q) => `/api/search?limit=20&q=${encodeURIComponent(q)}`);
}

/**
 * Latency of one request at a time for `seconds` (at least 20 requests, at most 20,000), timed
 * here with a monotonic clock to fractions of a millisecond: p50 and p99 in ms.
 */
async function sampleLatency(url, next, seconds = DURATION) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples = [];
  const end = Date.now() + seconds * 1000;
  try {
    while ((Date.now() < end || samples.length < 20) && samples.length < 20_000) {
      const { method = 'GET', path, body } = next(samples.length);
      const started = process.hrtime.bigint();
      const status = await new Promise((resolve, reject) => {
        const req = request(`${url}${path}`, { method, agent, headers: body ? { 'content-type': 'application/json' } : {}, timeout: 30_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('timeout', () => req.destroy(new Error(`${path}: no answer in 30 s`)));
        req.on('error', reject);
        req.end(body);
      });
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (status >= 300) throw new Error(`${method} ${path}: ${status}`);
    }
    return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), requests: samples.length };
  } finally {
    agent.destroy();
  }
}

/** The four routes of the scaling rows, one request at a time on a seeded service. */
async function scaleRoutes(service, historyId) {
  const searches = searchPaths();
  const history = JSON.stringify({ session_id: historyId, limit: 50 });
  return {
    'history page': await sampleLatency(service.url, () => ({ method: 'POST', path: '/api/get_history/', body: history })),
    'session list': await sampleLatency(service.url, () => ({ path: '/api/session_names/?limit=20' })),
    search: await sampleLatency(service.url, (i) => ({ path: searches[i % searches.length] })),
    stats: await sampleLatency(service.url, () => ({ path: '/api/session_stats/' })),
  };
}

/** History page, session list, search and stats on a corpus of 10k messages and on one of 1M (SCALE). */
async function measureScale(kind) {
  const bySize = {};
  for (const size of ['small', 'large']) {
    const { store, service, seeded, seconds } = await seededService(kind, [SCALE[size]]);
    try {
      bySize[size] = { ...SCALE[size], seconds, routes: await scaleRoutes(service, seeded[0].history), rssMb: service.memoryMb() };
    } finally {
      await service.stop();
      store.drop();
    }
  }
  const routes = Object.keys(bySize.small.routes).map((name) => ({
    name,
    smallP50: bySize.small.routes[name].p50,
    largeP50: bySize.large.routes[name].p50,
    smallP99: bySize.small.routes[name].p99,
    largeP99: bySize.large.routes[name].p99,
  }));
  return { store: kind, small: bySize.small, large: bySize.large, routes };
}

/** autocannon in the background until stopped (or `maxSeconds`): resolves to its result. */
function backgroundLoad(options, maxSeconds) {
  let instance;
  const done = new Promise((resolve, reject) => {
    instance = autocannon({ connections: 4, duration: maxSeconds, timeout: 30, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  return { stop: () => (instance.stop(), done) };
}

/**
 * SCALE.prune idle sessions (4 messages each, 60–90 days old) beside 1,000 live ones (20,000
 * messages, the last week), pruned through POST /api/cleanup_sessions (days_old 45) while 4
 * connections read history pages, session lists, stats and searches of the live data.
 */
async function measurePrune(kind) {
  const idle = { sessions: SCALE.prune, messages: SCALE.prune * 4, ageDays: [60, 90], seedValue: 11 };
  const live = { sessions: 1_000, messages: 20_000, ageDays: [0, 7], seedValue: 13 };
  const { store, service, seeded } = await seededService(kind, [idle, live]);
  try {
    const history = JSON.stringify({ session_id: seeded[1].history, limit: 50 });
    const reads = [
      { method: 'POST', path: '/api/get_history/', body: history, headers: { 'content-type': 'application/json' } },
      { method: 'GET', path: '/api/session_names/?limit=20' },
      { method: 'GET', path: '/api/session_stats/' },
      ...searchPaths().slice(0, 2).map((path) => ({ method: 'GET', path })),
    ].map((r) => ({ headers: {}, body: undefined, ...r }));
    let i = 0;
    const load = backgroundLoad({ url: service.url, requests: [{ setupRequest: (req) => ({ ...req, ...reads[i++ % reads.length] }) }] }, QUICK ? 120 : 1_800);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    const res = await fetch(`${service.url}/api/cleanup_sessions`, { ...json({ days_old: 45, dry_run: false }), signal: AbortSignal.timeout(QUICK ? 120_000 : 1_800_000) });
    const seconds = (Date.now() - started) / 1000;
    const result = await load.stop();
    const { deleted_count: deleted } = await res.json();
    if (deleted !== idle.sessions) throw new Error(`prune deleted ${deleted} sessions, expected ${idle.sessions}`);
    const { stats } = await (await fetch(`${service.url}/api/session_stats/`)).json();
    if (stats.total_sessions !== live.sessions || stats.total_messages !== live.messages) throw new Error(`after the prune, statistics say ${stats.total_sessions} / ${stats.total_messages}`);
    return { store: kind, sessions: deleted, seconds, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total, errors: result.errors + result.timeouts + result.non2xx };
  } finally {
    await service.stop();
    store.drop();
  }
}

/** Package versions as installed, and the PostgreSQL server's when one is configured. */
function versions() {
  const version = (pkg) => JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  const out = { node: process.version };
  for (const pkg of ['@nestjs/core', 'typeorm', 'better-sqlite3', 'pg', 'autocannon']) out[pkg] = version(pkg);
  out.PostgreSQL = POSTGRES ? psql(POSTGRES, 'SHOW server_version').stdout.trim() || 'unreachable' : 'not configured';
  // Dead row versions pile up without it, and every update-heavy row (turns, pgbench) pays for them.
  if (POSTGRES) out['PostgreSQL autovacuum'] = psql(POSTGRES, 'SHOW autovacuum').stdout.trim() || '?';
  return out;
}

/** What the targets table needs, from whatever parts ran. */
function measurementsFrom(results) {
  const continued = results.turns?.rows.find((r) => r.name === 'turn, continued session');
  const windows = results.memory?.[0];
  return {
    turns: continued && { turnRps: continued.rps, liveRps: results.turns.live.rps, errors: continued.errors + results.turns.live.errors },
    floor: results.floor && { turnRps: results.floor.rps, errors: results.floor.errors },
    postgres: results.postgres && { turnRps: results.postgres.turns.rps, pgbenchTps: results.postgres.tps, errors: results.postgres.turns.errors },
    scale: results.scale && {
      sqlite: results.scale.sqlite?.routes,
      postgres: results.scale.postgres?.routes,
      largeLabel: `${SCALE.large.messages.toLocaleString('en')} messages`,
    },
    prune: results.prune,
    ttft: results.ttft && { addedP50: results.ttft.through.p50 - results.ttft.direct.p50, addedP95: results.ttft.through.p95 - results.ttft.direct.p95 },
    memory: windows && { windows: windows.windows, rssMb: windows.rssMb },
  };
}

const fmt = (n) => (typeof n === 'number' ? (Number.isInteger(n) ? String(n) : n.toFixed(1)) : String(n));
const table = (header, rows) => [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(fmt).join(' | ')} |`)].join('\n');

// BENCH_ONLY: a comma-separated list of turns, floor, strategies, datasets, owners, postgres, scale,
// prune, search, export, ttft, memory; `targets` stands for the parts the targets table needs.
const TARGET_PARTS = ['turns', 'floor', 'postgres', 'scale', 'prune', 'ttft', 'memory'];
const ONLY = process.env.BENCH_ONLY?.split(',').flatMap((part) => (part.trim() === 'targets' ? TARGET_PARTS : [part.trim()]));
const runs = (part) => !ONLY || ONLY.includes(part);
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
const settings = `${CONNECTIONS} connections, ${DURATION} s per row, offline model${QUICK ? ', BENCH_QUICK=1' : ''}`;
console.log(`Benchmark: ${settings}, SQLite${POSTGRES ? ' and PostgreSQL' : ''}, node ${process.version}\n`);
const results = { at: new Date().toISOString(), quick: QUICK };
if (runs('turns')) {
  const turns = (results.turns = await measureTurns());
  console.log(
    table(
      ['route', 'req/s', 'of health/live', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'errors'],
      turns.rows.map((r) => [r.name, r.rps, `${(r.rps / turns.live.rps).toFixed(2)}×`, r.p50, r.p99, r.cpuUs, r.errors]),
    ),
  );
  console.log(`\nservice RSS after the turn runs: ${turns.rssMb} MB\n`);
}
if (runs('floor')) {
  const floor = (results.floor = await measureFloor());
  console.log(table(['bare floor (node:http + the store adapter, no Nest)', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'errors'], [[floor.name, floor.rps, floor.p50, floor.p99, floor.cpuUs, floor.errors]]));
  console.log('');
}
if (runs('strategies')) {
  const strategies = (results.strategies = await measureStrategies());
  const base = strategies[0];
  console.log(
    table(
      ['memory strategy, continued turn (window full)', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/turn', 'CPU added to window', 'errors'],
      strategies.map((r) => [r.name, r.rps, r.p50, r.p99, r.cpuUs, r === base ? '' : `${r.cpuUs - base.cpuUs >= 0 ? '+' : ''}${r.cpuUs - base.cpuUs} µs`, r.errors]),
    ),
  );
  console.log('');
}
if (runs('datasets')) {
const small = (results.small = await measureDataset('60 sessions', { sessions: 60, messagesEach: 60, bigSessions: 0, bigMessages: 0, spacingMs: 12 * 3_600_000 }));
const large = (results.large = QUICK
  ? await measureDataset('2,000 sessions + 10 of 400 messages', { sessions: 2_000, messagesEach: 60, bigSessions: 10, bigMessages: 400 })
  : await measureDataset('20,000 sessions + 100 of 4,000 messages', { sessions: 20_000, messagesEach: 60, bigSessions: 100, bigMessages: 4_000 }));
console.log(
  table(
    ['route', `${small.label}: req/s`, 'p50 ms', 'CPU µs/req', `${large.label}: req/s`, 'p50 ms', 'CPU µs/req'],
    small.rows.map((r, i) => [r.name, r.rps, r.p50, r.cpuUs, large.rows[i].rps, large.rows[i].p50, large.rows[i].cpuUs]),
  ),
);
console.log(`\nlarge dataset: ${large.shape.sessions + large.shape.bigSessions} sessions, ${large.seededIn} ms to seed; service RSS ${large.rssMb} MB\n`);
}
if (runs('owners')) {
  const owners = (results.owners = await measureOwnerListing(QUICK ? { total: 2_000, users: 20, mine: 100 } : undefined));
  console.log(
    table(
      ['session list page (limit 20), same data', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'errors'],
      owners.map((r) => [r.name, r.rps, r.p50, r.p99, r.cpuUs, r.errors]),
    ),
  );
  console.log('');
}
if (runs('postgres') && POSTGRES) {
  const pg = (results.postgres = await measurePostgres(POSTGRES));
  console.log(
    table(
      ['PostgreSQL, same run', 'per s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'turns / (pgbench tps / 2)'],
      [
        ...pg.rounds.map((r, i) => [`round ${i + 1}: pgbench -N, ${CONNECTIONS} clients / turns`, `${Math.round(r.tps)} / ${r.turnRps}`, '', '', '', r.fraction.toFixed(2)]),
        [`pgbench -N, ${CONNECTIONS} clients (mean)`, pg.tps, '', '', '', ''],
        [`${pg.turns.name} (mean; p50 and p99 the highest round's)`, pg.turns.rps, pg.turns.p50, pg.turns.p99, pg.turns.cpuUs, `${pg.fraction.toFixed(2)} (target ≥ 0.5)`],
      ],
    ),
  );
  console.log('');
} else if (runs('postgres')) {
  console.log('PostgreSQL rows skipped: set BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) to a server whose user may create databases.\n');
}
for (const kind of runs('scale') ? ['sqlite', ...(POSTGRES ? ['postgres'] : [])] : []) {
  const scale = ((results.scale ??= {})[kind] = await measureScale(kind));
  const head = (c) => `${c.messages.toLocaleString('en')} messages (${c.sessions.toLocaleString('en')} sessions)`;
  console.log(
    table(
      [`${kind}: one request at a time`, `${head(scale.small)}: p50 ms`, 'p99 ms', `${head(scale.large)}: p50 ms`, 'p99 ms', 'p50 ratio'],
      scale.routes.map((r) => [r.name, r.smallP50.toFixed(2), r.smallP99.toFixed(2), r.largeP50.toFixed(2), r.largeP99.toFixed(2), `${(r.largeP50 / r.smallP50).toFixed(2)}×`]),
    ),
  );
  console.log(`\nseeded in ${scale.small.seconds.toFixed(1)} s and ${scale.large.seconds.toFixed(1)} s; service RSS at the large corpus ${scale.large.rssMb} MB\n`);
}
for (const kind of runs('prune') ? ['sqlite', ...(POSTGRES ? ['postgres'] : [])] : []) {
  const prune = ((results.prune ??= {})[kind] = await measurePrune(kind));
  console.log(
    table(
      [`${kind}: POST /api/cleanup_sessions`, 'sessions deleted', 'seconds', 'other requests meanwhile', 'their p50 ms', 'their p99 ms', 'errors'],
      [['prune (4 connections reading the 1,000 live sessions)', prune.sessions, prune.seconds, prune.requests, prune.p50, prune.p99, prune.errors]],
    ),
  );
  console.log('');
}
if (runs('search')) {
  const search = (results.search = await measureSearch());
  console.log(
    table(
      [`GET /api/search, ${search.messages.toLocaleString('en')} messages`, 'hits', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req'],
      search.rows.map((r) => [r.name, r.hits, r.rps, r.p50, r.p99, r.cpuUs]),
    ),
  );
  console.log(`\nseeded in ${search.seededIn} ms (full-text index filled by the triggers); service RSS ${search.rssMb} MB\n`);
}
if (runs('export')) {
  // The same 10,000 with the heap capped far below the document's size: it completes only if nothing holds it all.
  const capped = { NODE_OPTIONS: '--max-old-space-size=96' };
  const exports = (results.export = QUICK ? [await measureExport(1_000)] : [await measureExport(1_000), await measureExport(10_000), await measureExport(10_000, capped)]);
  console.log(
    table(
      ['GET /api/export (20 messages each)', 'MB', 'seconds', 'service RSS before MB', 'peak RSS during MB'],
      exports.map((r) => [`${r.sessions} sessions${r.heapCap ? ` (${r.heapCap})` : ''}`, r.mb, r.seconds, r.rssBefore, r.rssPeak]),
    ),
  );
}
if (runs('ttft')) {
const ttft = (results.ttft = await measureFirstToken());
console.log(
  table(
    ['time to first token (model waits 50 ms)', 'p50 ms', 'p95 ms'],
    [
      ['straight from the model server', ttft.direct.p50, ttft.direct.p95],
      ['through POST /api/generate/stream', ttft.through.p50, ttft.through.p95],
      ['added by the service', ttft.through.p50 - ttft.direct.p50, ttft.through.p95 - ttft.direct.p95],
    ],
  ),
);
}
if (runs('memory')) {
  const memory = (results.memory = await measureMemory());
  console.log(
    table(
      ['new sessions, one turn each', 'service RSS MB', 'windows held', 'seconds'],
      memory.map((r) => [r.sessions, r.rssMb, r.windows, r.seconds]),
    ),
  );
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), JSON.stringify(results, null, 2));
const rows = targetRows(measurementsFrom(results));
const machine = machineFrom(readFileSync('/proc/cpuinfo', 'utf8'), readFileSync('/proc/meminfo', 'utf8'));
const markdown = resultsMarkdown({ date: results.at, machine, versions: versions(), settings, rows, quick: QUICK });
writeFileSync(join(ROOT, 'bench', 'results.md'), markdown);
console.log(`\n${markdown}\nwritten to bench/results.md`);
process.exit(0);
