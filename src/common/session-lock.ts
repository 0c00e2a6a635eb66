/**
 * Serializes work on one key (a session): turns, clears and deletes of a session run one at a time,
 * in arrival order. `work` gets a signal that aborts if the lock is lost while it runs (a
 * distributed lock whose expiry could not be renewed): from then on other work may run on the key.
 */
export abstract class SessionLock {
  abstract run<T>(key: string, work: (held: AbortSignal) => Promise<T>): Promise<T>;
}

/** A lock held in this process cannot be lost: its signal never aborts. */
const NEVER_LOST = new AbortController().signal;

export class InProcessSessionLock extends SessionLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: (held: AbortSignal) => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(() => work(NEVER_LOST));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  get heldKeys(): number {
    return this.tails.size;
  }
}
