import { useState } from 'react';
import { errorMessage } from '../api/client';

/**
 * An async action run from a button: busy while it runs (a second run meanwhile is ignored), and the
 * reason it failed, cleared by the next try. What follows a success goes inside the action.
 */
export function useAttempt<Args extends unknown[]>(action: (...args: Args) => unknown) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (...args: Args) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action(...args);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return { busy, error, run, dismiss: () => setError(null) };
}
