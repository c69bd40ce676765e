import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
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

export interface Resource<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Loads online data for secondary screens, with loading and error states. Deps must be primitives. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [tick, setTick] = useState(0);
  const key = JSON.stringify([tick, ...deps]);
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: string | null }>({
    key: null,
    data: undefined,
    error: null,
  });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    let live = true;
    loadRef.current().then(
      (data) => live && setState({ key, data, error: null }),
      (e) => live && setState((s) => ({ key, data: s.data, error: errorMessage(e) })),
    );
    return () => {
      live = false;
    };
  }, [key]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.key !== key, reload };
}

/** Loading, error and empty states, then the content. */
export function StateView<T>({
  res,
  empty,
  isEmpty,
  children,
}: {
  res: Resource<T>;
  empty: string;
  isEmpty?: (d: T) => boolean;
  children: (d: T) => ReactNode;
}) {
  if (res.loading && res.data === undefined)
    return (
      <div className="state" role="status">
        <span className="spinner" aria-hidden /> Loading…
      </div>
    );
  if (res.error && res.data === undefined)
    return (
      <div className="state error" role="alert">
        <p>{res.error}</p>
        <button onClick={res.reload}>Try again</button>
      </div>
    );
  if (res.data === undefined) return null;
  if (isEmpty?.(res.data) ?? (Array.isArray(res.data) && res.data.length === 0))
    return <div className="state">{empty}</div>;
  return <>{children(res.data)}</>;
}

export function Progress({ value, label }: { value: number | null; label: string }) {
  return (
    <div
      className={`progress${value == null ? ' indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value ?? undefined}
    >
      <div style={{ width: `${value ?? 35}%` }} />
    </div>
  );
}

export function Dialog({
  title,
  onClose,
  children,
  labelledBy,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  labelledBy?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    return () => prev?.focus?.();
  }, []);
  const id = labelledBy ?? `dlg-${title.replace(/\W+/g, '-')}`;
  return (
    <div
      className="backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={id} ref={ref}>
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Destructive confirmation: the user types the target's name to enable the action. */
export function ConfirmDestructive({
  title,
  target,
  description,
  action,
  onConfirm,
  onClose,
}: {
  title: string;
  target: string;
  description: ReactNode;
  action: string;
  onConfirm: (typed: string) => Promise<void>;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="form">
        <div className="alert-box warning">{description}</div>
        <label>
          Type <code className="mono">{target}</code> to confirm
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="confirm-hint"
          />
          <span id="confirm-hint" className="field-hint">
            This cannot be undone from here.
          </span>
        </label>
        {error && (
          <div className="alert-box error" role="alert">
            {error}
          </div>
        )}
        <div className="row end">
          <button onClick={onClose}>Cancel</button>
          <button
            className="danger"
            disabled={typed !== target || busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await onConfirm(typed);
                onClose();
              } catch (e) {
                setError(errorMessage(e));
                setBusy(false);
              }
            }}
          >
            {busy ? 'Working…' : action}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

export function ErrorBox({ error }: { error: string | null }) {
  return error ? (
    <div className="alert-box error" role="alert">
      {error}
    </div>
  ) : null;
}

/** Runs an async action with a busy flag and an error message. */
export function useAction(): {
  busy: boolean;
  error: string | null;
  run: (fn: () => Promise<unknown>) => Promise<boolean>;
  setError: (e: string | null) => void;
} {
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

/** The app's data table: a header row of plain column names, rows as children. */
export function DataTable({ headers, children }: { headers: string[]; children: ReactNode }) {
  return (
    <table className="data">
      <thead>
        <tr>
          {headers.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
