import type { ReactNode } from 'react';
import type { Loadable } from './loadable';

/** Loading, error and empty states, then the content. */
export function StateView<T>({
  res,
  retry,
  empty,
  isEmpty,
  children,
}: {
  res: Loadable<T>;
  retry: () => void;
  empty: string;
  isEmpty?: (d: T) => boolean;
  children: (d: T) => ReactNode;
}) {
  if (res.data === undefined && (res.loading || !res.error))
    return (
      <div className="state" role="status">
        <span className="spinner" aria-hidden /> Loading…
      </div>
    );
  if (res.data === undefined)
    return (
      <div className="state error" role="alert">
        <p>{res.error}</p>
        <button onClick={retry}>Try again</button>
      </div>
    );
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

export function ErrorBox({ error }: { error: string | null }) {
  return error ? (
    <div className="alert-box error" role="alert">
      {error}
    </div>
  ) : null;
}
