import { randomUUID } from 'node:crypto';
import type { Method } from 'axios';
import type { CoreContext } from './context';

/** A call of the signed-in session to the server; writes carry an Idempotency-Key. */
export async function online<T>(core: CoreContext, method: Method, path: string, options: { body?: unknown; query?: Record<string, string | number | boolean | undefined> } = {}): Promise<T> {
  const ws = core.signedIn();
  const res = await ws.api.request<T>(method, path, { ...options, idempotencyKey: method === 'GET' ? undefined : `odk-${randomUUID()}` });
  return res.data;
}

/** Lists come either as arrays or as `{ items }` pages. */
export function items<T>(data: unknown): T[] {
  if (Array.isArray(data)) return data as T[];
  const page = data as { items?: T[] } | null;
  return page?.items ?? [];
}
