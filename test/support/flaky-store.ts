import { Keyv } from 'keyv';

export type StoreMode = 'up' | 'failing' | 'hanging' | 'slow';

/** A Keyv store in a Map that the test can make fail at once, never answer (Redis cut or blackholed) or answer slowly. */
export class FlakyStore {
  mode: StoreMode = 'up';
  /** How long each answer takes in 'slow' mode. */
  slowMs = 200;
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
    if (this.mode === 'slow') return new Promise((resolve) => setTimeout(() => resolve(value()), this.slowMs));
    return Promise.resolve(value());
  }
}
