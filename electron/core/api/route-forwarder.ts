import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { fillPath, queryString, type RouteDef } from '../../../shared/api/route';
import { routePath } from '../../../shared/api/routes';
import { CoreError } from '../errors';
import type { ApiClient } from './api-client';

export interface RouteCall {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export { routePath };

/**
 * The one typed forwarder behind every derived `api.*` channel: builds the URL from the route's
 * declaration, sends writes with an Idempotency-Key (safe to retry), and parses the answer with
 * the route's response schema, so a server of another version fails here with a clear message
 * instead of deep inside a screen.
 */
export async function forwardRoute(api: ApiClient, name: string, def: RouteDef, call: RouteCall | undefined): Promise<unknown> {
  const path = `/api/v1${fillPath(def.path, call?.params)}${queryString(call?.query)}`;
  const write = def.method !== 'GET';
  const body = call?.body ?? (write && def.method !== 'DELETE' ? {} : undefined);
  const res = await api.request<unknown>(def.method, path, { body, idempotencyKey: write ? `odk-${randomUUID()}` : undefined });
  if (!def.response) return null;
  return checkedAnswer(name, def.response, res.data);
}

/** Parses a server's answer with the schema the app expects; another server version fails with a clear message. */
export function checkedAnswer(name: string, schema: z.ZodType, data: unknown): unknown {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first?.path.length ? `${first.path.join('.')}: ` : '';
  throw new CoreError('not_supported', `The server's answer to ${name} is not in the shape this app expects (${where}${first?.message ?? 'invalid'}); is the server another version?`);
}
