import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { TurnAbortedError } from '../domain-error';
import { SseWriter } from './sse-writer';

/** The parts of a response the writer uses; `full` makes write() report a full buffer. */
class FakeResponse extends EventEmitter {
  readonly written: string[] = [];
  full = false;
  destroyed = false;
  writableEnded = false;
  writableFinished = false;

  write(chunk: string): boolean {
    this.written.push(chunk);
    return !this.full;
  }

  end(): void {
    this.writableEnded = true;
    if (!this.full) this.writableFinished = true;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

describe(SseWriter.name, () => {
  let res: FakeResponse;
  let writer: SseWriter;

  beforeEach(() => {
    res = new FakeResponse();
    writer = new SseWriter(res as unknown as Response, 50);
  });

  it('should write an event and settle at once while the buffer has room', async () => {
    await writer.send('token', { text: 'hi' });
    expect(res.written).toEqual(['event: token\ndata: {"text":"hi"}\n\n']);
  });

  it('should settle only once a full buffer drains', async () => {
    res.full = true;
    let settled = false;
    const sent = writer.send('token', { text: 'a' }).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    res.emit('drain');
    await sent;
    expect(res.listenerCount('drain') + res.listenerCount('close')).toBe(0);
  });

  it('should drop a client whose buffer does not drain within the write timeout', async () => {
    res.full = true;
    await expect(writer.send('token', { text: 'a' })).rejects.toBeInstanceOf(TurnAbortedError);
    expect(res.destroyed).toBe(true);
    await expect(writer.send('token', { text: 'b' })).rejects.toBeInstanceOf(TurnAbortedError);
  });

  it('should drop a client that does not take the last event within the write timeout', async () => {
    res.full = true;
    writer.finish('done', { ok: true });
    expect(res.writableEnded).toBe(true);
    await new Promise((r) => res.once('close', r));
    expect(res.destroyed).toBe(true);
  });
});
