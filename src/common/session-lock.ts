/**
 * Serializes work on one key (a session): turns, clears and deletes of a session run one at a time,
 * in arrival order. In-process today; a distributed lock can take its place behind the same port.
 */
export abstract class SessionLock {
  abstract run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export class InProcessSessionLock extends SessionLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
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
