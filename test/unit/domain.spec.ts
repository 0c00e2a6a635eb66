import { firstCodeBlock, replaceCodeBlocks } from '../../src/chat/domain/code-block';
import { turnsFromMessages } from '../../src/memory/domain/conversation-memory';
import { InProcessRunningTurns } from '../../src/common/running-turns';
import { InProcessSessionLock } from '../../src/common/session-lock';
import { ConfigError, loadConfig } from '../../src/config/load-config';
import { chatNameFrom } from '../../src/sessions/domain/session';

describe('chatNameFrom', () => {
  it('should take the first 40 code points after trimming', () => {
    expect(chatNameFrom(`   ${'a'.repeat(50)}  `)).toBe('a'.repeat(40));
    expect(chatNameFrom('👩‍💻'.repeat(20))).toBe(Array.from('👩‍💻'.repeat(20)).slice(0, 40).join(''));
  });
});

describe('firstCodeBlock', () => {
  it('should return the body of the first fenced block', () => {
    expect(firstCodeBlock('a\n```ts\nconst a = 1;\nconst b = 2;\n```\nb\n```\nsecond\n```')).toBe('const a = 1;\nconst b = 2;');
    expect(firstCodeBlock('~~~\ntilde\n~~~')).toBe('tilde');
  });

  it('should replace every fenced block, fences included, and leave inline code alone', () => {
    expect(replaceCodeBlocks('a\n```ts\nx\n```\nb `y` c\n~~~\nz\n~~~', '[code]')).toBe('a\n[code]\nb `y` c\n[code]');
  });

  it('should return nothing without a closed fence', () => {
    expect(firstCodeBlock('inline `code` only')).toBeUndefined();
    expect(firstCodeBlock('```\nnever closed')).toBeUndefined();
  });
});

describe('turnsFromMessages', () => {
  it('should pair Human and AI messages and drop unanswered ones', () => {
    const m = (sender: 'Human' | 'AI', content: string) => ({ sender, content });
    expect(turnsFromMessages([m('AI', 'stray'), m('Human', 'q1'), m('AI', 'a1'), m('Human', 'lost'), m('Human', 'q2'), m('AI', 'a2'), m('Human', 'pending')])).toEqual([
      { human: 'q1', ai: 'a1' },
      { human: 'q2', ai: 'a2' },
    ]);
  });
});

describe(InProcessSessionLock.name, () => {
  it('should run work on one key in order, keep keys independent and survive failures', async () => {
    const lock = new InProcessSessionLock();
    const log: string[] = [];
    const step = (key: string, name: string, ms: number, fail = false) =>
      lock.run(key, async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
      });
    const results = await Promise.allSettled([step('a', 'a1', 20, true), step('a', 'a2', 1), step('b', 'b1', 5)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    expect(lock.heldKeys).toBe(0);
  });
});

describe(InProcessRunningTurns.name, () => {
  it('should abort every registered turn of a session with the reason, leave other sessions alone and forget ended turns', () => {
    const turns = new InProcessRunningTurns();
    const [a1, a2, b] = [turns.begin('a'), turns.begin('a'), turns.begin('b')];
    const reason = new Error('deleted');
    turns.cancel('a', reason);
    expect([a1.signal.reason, a2.signal.reason]).toEqual([reason, reason]);
    expect(b.signal.aborted).toBe(false);
    for (const turn of [a1, a2, b]) turn.end();
    expect(turns.sessionsWithTurns).toBe(0);
    const later = turns.begin('a');
    expect(later.signal.aborted).toBe(false);
    later.end();
  });
});

describe('loadConfig', () => {
  it('should apply the defaults of the contract', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      database: {
        type: 'sqlite',
        path: expect.stringMatching(/data\/chat\.db$/),
        limits: { connectTimeoutMs: 5000, statementTimeoutMs: 10000, poolSize: 10, busyTimeoutMs: 5000 },
      },
      redisUrl: undefined,
      redisTimeoutMs: 750,
      memory: { maxWindows: 10_000, maxBytes: 64 * 1024 * 1024, maxWindowBytes: 256 * 1024 },
      llm: { provider: 'offline', model: 'gpt-4o-mini', timeoutMs: 60000, idleTimeoutMs: 30000, maxRetries: 1 },
      maxReplyChars: 100000,
      streamWriteTimeoutMs: 30000,
      sessionTimeoutSeconds: 3600,
      sessionRetentionDays: 30,
      maxPromptChars: 32000,
      rateLimitPerMinute: 120,
      logLevel: 'info',
    });
  });

  it('should choose openai when a key is set, and postgres from the URL', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-x', DATABASE_URL: 'postgres://u@h/db', DATABASE_STATEMENT_TIMEOUT_MS: '2500', DATABASE_POOL_SIZE: '3' });
    expect(config.llm.provider).toBe('openai');
    expect(config.database).toEqual({
      type: 'postgres',
      url: 'postgres://u@h/db',
      limits: { connectTimeoutMs: 5000, statementTimeoutMs: 2500, poolSize: 3, busyTimeoutMs: 5000 },
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['LLM_PROVIDER', 'claude'],
    ['OPENAI_BASE_URL', 'not a url'],
    ['REDIS_URL', 'http://localhost'],
    ['SESSION_TIMEOUT', '0'],
    ['MAX_PROMPT_CHARS', '-5'],
    ['LLM_IDLE_TIMEOUT_MS', '0'],
    ['MAX_REPLY_CHARS', 'lots'],
    ['STREAM_WRITE_TIMEOUT_MS', '-1'],
    ['RATE_LIMIT_PER_MINUTE', '1.5'],
    ['LOG_LEVEL', 'verbose'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '0'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', 'soon'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_BUSY_TIMEOUT_MS', '-1'],
    ['MEMORY_MAX_WINDOWS', '0'],
    ['MEMORY_MAX_BYTES', '1000'],
    ['MEMORY_MAX_WINDOW_BYTES', '999999999999'],
    ['REDIS_TIMEOUT_MS', 'soon'],
  ])('should refuse %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
