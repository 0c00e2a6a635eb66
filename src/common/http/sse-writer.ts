import type { Response } from 'express';
import { TurnAbortedError } from '../domain-error';

/**
 * Writes server-sent events and respects backpressure: when the socket's buffer is full, `send`
 * settles only once it drains, and a client that reads nothing for `writeTimeoutMs` is dropped.
 */
export class SseWriter {
  constructor(
    private readonly res: Response,
    private readonly writeTimeoutMs: number,
  ) {}

  async send(event: string, data: unknown): Promise<void> {
    if (this.res.destroyed) throw new TurnAbortedError('The client went away before the reply was complete.');
    if (!this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) await this.drained();
  }

  /** The last event, then the end; a client that does not take them within the write timeout is dropped. */
  finish(event: string, data: unknown): void {
    if (!this.res.destroyed && !this.res.writableEnded) this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    this.res.end();
    if (this.res.writableFinished || this.res.destroyed) return;
    const timer = setTimeout(() => this.res.destroy(), this.writeTimeoutMs).unref();
    this.res.once('finish', () => clearTimeout(timer)).once('close', () => clearTimeout(timer));
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.res.off('drain', onDrain).off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new TurnAbortedError('The client went away before the reply was complete.'));
      const timer = setTimeout(() => {
        done(new TurnAbortedError(`The client read nothing for ${this.writeTimeoutMs} ms and was dropped.`));
        this.res.destroy();
      }, this.writeTimeoutMs);
      this.res.on('drain', onDrain).on('close', onClose);
    });
  }
}
