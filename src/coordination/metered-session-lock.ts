import { SessionLock } from '../common/session-lock';
import { secondsSince, Timing } from '../metrics/domain/metrics';

/** Any SessionLock, with the time each piece of work waited for its key before it started. */
export class MeteredSessionLock extends SessionLock {
  constructor(
    private readonly inner: SessionLock,
    private readonly wait: Timing,
  ) {
    super();
  }

  run<T>(key: string, work: (held: AbortSignal) => Promise<T>): Promise<T> {
    const started = performance.now();
    return this.inner.run(key, (held) => {
      this.wait.observe(secondsSince(started));
      return work(held);
    });
  }
}
