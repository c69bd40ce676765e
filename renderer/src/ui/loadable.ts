import { errorMessage } from '../api';

/** Server data a slice holds for a screen, with its loading and error states. */
export interface Loadable<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
}

export function notLoaded<T>(): Loadable<T> {
  return { data: undefined, error: null, loading: false };
}

type LoadableKey<S> = { [K in keyof S]: S[K] extends Loadable<unknown> ? K : never }[keyof S];
type DataOf<L> = L extends Loadable<infer T> ? T : never;

interface Store<S> {
  getState(): S;
  setState(partial: Partial<S> | ((s: S) => Partial<S>)): void;
}

const generations = new WeakMap<object, Map<PropertyKey, number>>();

/**
 * Loads `fetch` into the store's `key`. `fresh` forgets the previous data first (a screen being
 * opened shows its spinner, not the last visit's rows); a reload keeps it while it runs and when
 * it fails. An answer that a later load overtook is dropped.
 */
export async function loadInto<S, K extends LoadableKey<S>>(
  store: Store<S>,
  key: K,
  fetch: () => Promise<DataOf<S[K]>>,
  { fresh = false }: { fresh?: boolean } = {},
): Promise<void> {
  let byKey = generations.get(store);
  if (!byKey) generations.set(store, (byKey = new Map()));
  const generation = (byKey.get(key) ?? 0) + 1;
  byKey.set(key, generation);
  const put = (next: (prev: Loadable<DataOf<S[K]>>) => Loadable<DataOf<S[K]>>) =>
    store.setState((s) => ({ [key]: next(s[key] as Loadable<DataOf<S[K]>>) }) as unknown as Partial<S>);
  put((prev) => ({ data: fresh ? undefined : prev.data, error: null, loading: true }));
  try {
    const data = await fetch();
    if (byKey.get(key) === generation) put(() => ({ data, error: null, loading: false }));
  } catch (e) {
    if (byKey.get(key) === generation)
      put((prev) => ({ data: prev.data, error: errorMessage(e), loading: false }));
  }
}
