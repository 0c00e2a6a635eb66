// The bare floor (npm run bench, "turns/s vs the bare floor"): what a turn's store writes cost with
// nothing else around them. A plain node:http server takes POST /api/generate/ ({prompt, session_id?}),
// parses the JSON and does what a turn writes, with the service's own built store adapter on the same
// kind of database: `startTurn` (the prompt, the session made or touched, the counters) and
// `appendMessage` (a reply as long as the offline model's, the counters), then answers with JSON.
// Left out: Nest, Express, validation, helmet, the session lock, the memory window and the model port.
// Usage: DATABASE_URL=sqlite:/tmp/x.db node bench/floor.mjs; prints "Listening on http://localhost:PORT".
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { loadConfig } = require('../dist/config/load-config.js');
const { openDataSource } = require('../dist/database/open-data-source.js');
const { sqlFor } = require('../dist/database/sql-for.js');
const { SqlSessionStore } = require('../dist/sessions/adapters/sql-session-store.js');
const { EVERYONE, chatNameFrom } = require('../dist/sessions/domain/session.js');
const { SqliteCheckpointer } = require('../dist/database/sqlite-checkpointer.js');
const { AfinnSentimentScorer } = require('../dist/sentiment/adapters/afinn-sentiment-scorer.js');

const config = loadConfig(process.env);
const dataSource = await openDataSource(config.database);
// The service scores each prompt's sentiment as it stores it (issue 14): so does its floor.
const store = new SqlSessionStore(sqlFor(dataSource), new AfinnSentimentScorer());
// The service checkpoints the WAL from a worker thread: so does its floor.
const checkpointer = new SqliteCheckpointer();
if (config.database.type === 'sqlite' && config.database.path !== ':memory:') checkpointer.start(config.database.path);

const reply = (prompt) =>
  'This is the offline model: no language model is configured, so I can only echo. ' +
  `You said: “${prompt.slice(0, 200)}”. I can see some earlier turns of this conversation. ` +
  'Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server) to talk to a real model.';

async function turn(body) {
  const { prompt, session_id: given } = JSON.parse(body);
  const sessionId = given ?? randomUUID();
  const started = await store.startTurn(EVERYONE, sessionId, prompt, chatNameFrom(prompt), new Date());
  if (!started) return [404, { detail: 'Session not found' }];
  const response = reply(prompt);
  const answer = await store.appendMessage(EVERYONE, sessionId, 'AI', response, new Date());
  return [200, { response, session_id: sessionId, chat_name: started.session.chatName, timestamp: answer.timestamp.toISOString() }];
}

const server = createServer((req, res) => {
  const send = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (req.method === 'GET' && req.url === '/api/health/live') return send(200, { status: 'ok' });
  if (req.method !== 'POST' || req.url !== '/api/generate/') return send(404, { detail: 'Not found' });
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => turn(body).then(([status, out]) => send(status, out), (error) => send(500, { detail: String(error) })));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`Listening on http://localhost:${server.address().port}`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void checkpointer.stop().then(() => dataSource.destroy()).then(() => process.exit(0)));
});
