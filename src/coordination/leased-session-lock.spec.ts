import { setTimeout as sleep } from 'node:timers/promises';
import { LockLostError, SessionBusyError } from '../common/domain-error';
import { LeaseStore } from './domain/lease-store';
import { LeasedSessionLock } from './leased-session-lock';

/** Leases in a Map with real expiry; `down` makes every call fail like an unreachable Redis. */
class MapLeaseStore extends LeaseStore {
  readonly leases = new Map<string, { token: string; expiresAt: number }>();
  takes = 0;
  /** Every call, failed or not. */
  calls = 0;
  down = false;

  async take(key: string, token: string, ttlMs: number): Promise<boolean> {
    this.check();
    this.takes++;
    if (this.holder(key)) return false;
    this.leases.set(key, { token, expiresAt: Date.now() + ttlMs });
    return true;
  }

  async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
    this.check();
    if (this.holder(key) !== token) return false;
    this.leases.set(key, { token, expiresAt: Date.now() + ttlMs });
    return true;
  }

  async release(key: string, token: string): Promise<void> {
    this.check();
    if (this.holder(key) === token) this.leases.delete(key);
  }

  holder(key: string): string | undefined {
    const lease = this.leases.get(key);
    return lease && lease.expiresAt > Date.now() ? lease.token : undefined;
  }

  private check(): void {
    this.calls++;
    if (this.down) throw new Error('connection refused');
  }
}

describe(LeasedSessionLock.name, () => {
  let store: MapLeaseStore;

  beforeEach(() => {
    store = new MapLeaseStore();
  });

  it('should run work on one key one at a time, in order, across two instances', async () => {
    const a = new LeasedSessionLock(store, { ttlMs: 1000, waitTimeoutMs: 5000 });
    const b = new LeasedSessionLock(store, { ttlMs: 1000, waitTimeoutMs: 5000 });
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const work = (i: number) => async () => {
      most = Math.max(most, ++running);
      await sleep(2);
      running--;
      done.push(i);
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).run('s', work(i))));
    expect(most).toBe(1);
    expect(done.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(store.leases.size).toBe(0);
  });

  it('should let only the first waiter of an instance poll the store', async () => {
    const a = new LeasedSessionLock(store, { ttlMs: 1000, waitTimeoutMs: 5000 });
    await store.take('s', 'other', 150);
    const runs = Promise.all(Array.from({ length: 10 }, () => a.run('s', async () => undefined)));
    await sleep(100);
    const polled = store.takes;
    await runs;
    // One poller backing off from 5 ms to 50 ms, not ten of them.
    expect(polled).toBeLessThan(15);
  });

  it('should refuse with SessionBusyError once the wait deadline passes', async () => {
    const a = new LeasedSessionLock(store, { ttlMs: 1000, waitTimeoutMs: 60 });
    await store.take('s', 'other', 10_000);
    await expect(a.run('s', async () => 'never')).rejects.toBeInstanceOf(SessionBusyError);
  });

  it('should fall back at once to the in-process lock when the store cannot be reached', async () => {
    const a = new LeasedSessionLock(store, { ttlMs: 1000, waitTimeoutMs: 60_000 });
    store.down = true;
    const started = Date.now();
    let running = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++running);
      await sleep(2);
      running--;
      return 'ran';
    };
    expect(await Promise.all([a.run('s', work), a.run('s', work)])).toEqual(['ran', 'ran']);
    expect(most).toBe(1);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('should not ask a failing store on every turn, and use it again once a background check sees it answer', async () => {
    const a = new LeasedSessionLock(store, { ttlMs: 1000, waitTimeoutMs: 60_000, recheckMs: 20 });
    store.down = true;
    for (let i = 0; i < 3; i++) expect(await a.run('s', async () => 'ran')).toBe('ran');
    expect(store.calls).toBe(1);
    store.down = false;
    const deadline = Date.now() + 2000;
    while (store.takes === 0 && Date.now() < deadline) {
      await a.run('s', async () => 'ran');
      await sleep(10);
    }
    expect(store.takes).toBeGreaterThan(0);
  });

  it('should renew the lease of work that outlasts the ttl', async () => {
    const a = new LeasedSessionLock(store, { ttlMs: 60, waitTimeoutMs: 5000 });
    const signal = await a.run('s', async (held) => {
      await sleep(200);
      expect(store.holder('s')).toBeDefined();
      return held;
    });
    expect(signal.aborted).toBe(false);
    expect(store.leases.size).toBe(0);
  });

  it('should abort the work signal when the lease is taken by another holder', async () => {
    const a = new LeasedSessionLock(store, { ttlMs: 60, waitTimeoutMs: 5000 });
    const reason = await a.run('s', async (held) => {
      store.leases.set('s', { token: 'thief', expiresAt: Date.now() + 10_000 });
      await new Promise((resolve) => held.addEventListener('abort', resolve));
      return held.reason;
    });
    expect(reason).toBeInstanceOf(LockLostError);
    expect(store.holder('s')).toBe('thief');
  });

  it('should abort the work signal when no renewal succeeds for a ttl', async () => {
    const a = new LeasedSessionLock(store, { ttlMs: 60, waitTimeoutMs: 5000 });
    const started = Date.now();
    const aborted = await a.run('s', async (held) => {
      store.down = true;
      await new Promise((resolve) => held.addEventListener('abort', resolve));
      store.down = false;
      return Date.now() - started;
    });
    expect(aborted).toBeLessThan(200);
  });
});
