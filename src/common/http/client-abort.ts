import type { Response } from 'express';
import { TurnAbortedError } from '../domain-error';

/** A signal that fires when the client goes away before the response is finished. */
export function abortOnClientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  // On a POST, `req` closes as soon as its body is read; only the response tells us the client left.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new TurnAbortedError('The client went away before the reply was complete.'));
  });
  return controller.signal;
}
