import { Batcher, Settled } from './batcher';

interface Item {
  readonly key: string;
  readonly value: number;
}

/** A batch runner whose batches finish only when the test says so. */
function controlledRunner() {
  const batches: { items: readonly Item[]; finish: (results?: readonly Settled<number>[]) => void; fail: (error: Error) => void }[] = [];
  const run = (items: readonly Item[]) =>
    new Promise<readonly Settled<number>[]>((resolve, reject) => {
      batches.push({ items, finish: (results) => resolve(results ?? items.map((item) => ({ value: item.value * 10 }))), fail: reject });
    });
  return { batches, run };
}

/** Lets the promise callbacks of a finished batch run, so the next batch has started. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const options = { maxInFlight: 1, maxBatch: 3, key: (item: Item) => item.key };

describe(Batcher.name, () => {
  it('should send an item at once, alone, when nothing else is running', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new Batcher(run, options);
    const result = batcher.submit({ key: 'a', value: 1 });
    expect(batches.map((b) => b.items.length)).toEqual([1]);
    batches[0].finish();
    await expect(result).resolves.toBe(10);
  });

  it('should gather the items that arrive while a batch runs into the next batch, up to maxBatch', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new Batcher(run, options);
    const results = ['a', 'b', 'c', 'd', 'e'].map((key, i) => batcher.submit({ key, value: i }));
    expect(batches.map((b) => b.items.map((item) => item.key))).toEqual([['a']]);
    batches[0].finish();
    await settle();
    expect(batches[1].items.map((item) => item.key)).toEqual(['b', 'c', 'd']);
    batches[1].finish();
    await settle();
    expect(batches[2].items.map((item) => item.key)).toEqual(['e']);
    batches[2].finish();
    await expect(Promise.all(results)).resolves.toEqual([0, 10, 20, 30, 40]);
  });

  it('should never put two items with one key in a batch, and keep their order', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new Batcher(run, { ...options, maxInFlight: 1 });
    void batcher.submit({ key: 'x', value: 0 });
    const rest = [batcher.submit({ key: 'x', value: 1 }), batcher.submit({ key: 'y', value: 2 }), batcher.submit({ key: 'x', value: 3 })];
    batches[0].finish();
    await settle();
    expect(batches[1].items).toEqual([{ key: 'x', value: 1 }, { key: 'y', value: 2 }]);
    batches[1].finish();
    await settle();
    expect(batches[2].items).toEqual([{ key: 'x', value: 3 }]);
    batches[2].finish();
    await expect(Promise.all(rest)).resolves.toEqual([10, 20, 30]);
  });

  it('should run up to maxInFlight batches at once', () => {
    const { batches, run } = controlledRunner();
    const batcher = new Batcher(run, { ...options, maxInFlight: 2 });
    for (const key of ['a', 'b', 'c']) void batcher.submit({ key, value: 0 });
    expect(batches.map((b) => b.items.map((item) => item.key))).toEqual([['a'], ['b']]);
  });

  it("should fail only the items the runner says failed, and every item of a batch that failed whole", async () => {
    const { batches, run } = controlledRunner();
    const batcher = new Batcher(run, { ...options, maxInFlight: 1 });
    const first = batcher.submit({ key: 'a', value: 1 });
    const second = [batcher.submit({ key: 'b', value: 2 }), batcher.submit({ key: 'c', value: 3 })];
    batches[0].fail(new Error('store down'));
    await expect(first).rejects.toThrow('store down');
    await settle();
    batches[1].finish([{ value: 20 }, { error: new Error('bad item') }]);
    await expect(second[0]).resolves.toBe(20);
    await expect(second[1]).rejects.toThrow('bad item');
  });
  it('should fail the waiting items at once with a batch that failed in a way that fails them all', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new Batcher(run, { ...options, failsAll: (error) => (error as Error).message === 'store down' });
    const running = batcher.submit({ key: 'a', value: 1 });
    const waiting = [batcher.submit({ key: 'b', value: 2 }), batcher.submit({ key: 'c', value: 3 })];
    batches[0].fail(new Error('store down'));
    await expect(running).rejects.toThrow('store down');
    await expect(Promise.all(waiting)).rejects.toThrow('store down');
    expect(batches).toHaveLength(1);
    const after = batcher.submit({ key: 'd', value: 4 });
    batches[1].finish();
    await expect(after).resolves.toBe(40);
  });
});
