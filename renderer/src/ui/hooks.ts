import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api';

/** Ticks once a second (or `ms`) so countdowns stay live. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export interface Action {
  busy: boolean;
  error: string | null;
  run: (fn: () => Promise<unknown>) => Promise<boolean>;
  setError: (e: string | null) => void;
}

/** Runs a user's action (a slice's action) with a busy flag and the error message it ended with. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}
