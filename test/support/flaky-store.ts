import { Keyv } from 'keyv';

export type StoreMode = 'up' | 'failing' | 'hanging';

/** A Keyv store in a Map that the test can make fail at once or never answer, like Redis cut or blackholed. */
export class FlakyStore {
  mode: StoreMode = 'up';
  calls = 0;
  readonly data = new Map<string, unknown>();

  get(key: string): Promise<unknown> {
    return this.answer(() => this.data.get(key));
  }

  set(key: string, value: unknown): Promise<boolean> {
    return this.answer(() => (this.data.set(key, value), true));
  }

  delete(key: string): Promise<boolean> {
    return this.answer(() => this.data.delete(key));
  }

  deleteMany(keys: string[]): Promise<boolean> {
    return this.answer(() => keys.map((k) => this.data.delete(k)).some(Boolean));
  }

  clear(): Promise<void> {
    return this.answer(() => this.data.clear());
  }

  keyv(): Keyv {
    return new Keyv({ store: this, serialize: undefined, deserialize: undefined, throwOnErrors: true });
  }

  private answer<T>(value: () => T): Promise<T> {
    this.calls++;
    if (this.mode === 'failing') return Promise.reject(new Error('connection refused'));
    if (this.mode === 'hanging') return new Promise(() => undefined);
    return Promise.resolve(value());
  }
}
