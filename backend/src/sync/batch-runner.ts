import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { routePath } from '../../../shared/api/routes';
import type { BatchRequest, BatchResponse } from '../../../shared/api/sync';
import type { Principal } from '../auth/auth-service';
import { AppError } from '../platform/http/errors';
import { authorize, principalKey } from '../platform/http/guards';
import { IDEMPOTENCY_HEADER, type IdempotencyStore } from '../platform/http/idempotency';
import { JsonText, registeredHandler } from '../platform/http/route-table';

type Item = BatchRequest['requests'][number];
type Result = BatchResponse['results'][number];

/** A request answering one of these is a server-side trouble: the batch stops, the rest is not run. */
const STOPS_BATCH = (status: number) => status >= 500 || status === 429;

/** Where a batched write's answer is collected: the status, headers and body its handler set. */
class ItemReply {
  statusCode = 200;
  sent = false;
  payload = '';
  private readonly headers = new Map<string, string>();
  code(status: number): this {
    this.statusCode = status;
    return this;
  }
  status(status: number): this {
    return this.code(status);
  }
  header(name: string, value: unknown): this {
    this.headers.set(name.toLowerCase(), String(value));
    return this;
  }
  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase());
  }
  send(payload?: unknown): this {
    this.payload = payload === undefined || payload === null ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
    this.sent = true;
    return this;
  }
}

/**
 * Runs the outbox's batch (POST /sync/batch) in this request: the caller was authenticated once,
 * for the batch; each write then goes through what its route does, derived from its declaration
 * in shared/api/routes — params and body validated by its schemas, its role and token scope, its
 * Idempotency-Key claimed and its answer stored, its handler, its response schema — without a
 * request of its own. Writes run one after another in order, so writes to one record keep theirs;
 * each commits on its own, so an answer stored for a key is always for a write that committed.
 */
export async function runBatch(req: FastifyRequest, idempotency: IdempotencyStore, principal: Principal, items: Item[]): Promise<Result[]> {
  const results: Result[] = [];
  let stopped = false;
  for (const item of items) {
    if (stopped) {
      results.push({ status: 0, body: null });
      continue;
    }
    const reply = new ItemReply();
    const itemReq = await runItem(req, idempotency, principal, item, reply);
    const json = reply.payload !== '' && (reply.getHeader('content-type') ?? 'application/json').includes('json');
    results.push({ status: reply.statusCode, body: json ? (JSON.parse(reply.payload) as unknown) : reply.payload || null });
    if (itemReq?.idempotency) await idempotency.finish(itemReq, reply.statusCode, reply.payload);
    stopped = STOPS_BATCH(reply.statusCode);
  }
  return results;
}

/** One write; answers the request it ran as (null when it never got that far). */
async function runItem(req: FastifyRequest, idempotency: IdempotencyStore, principal: Principal, item: Item, reply: ItemReply): Promise<FastifyRequest | null> {
  let itemReq: FastifyRequest | null = null;
  try {
    const route = registeredHandler(req.server, item.route);
    if (!route) throw new AppError('not_found', `No route for ${item.route}`);
    const { def, handler } = route;
    const params = validated('params', def.params, item.params ?? {});
    const body = def.body ? validated('body', def.body, item.body) : item.body;
    if (def.access !== 'public') authorize(principal, { role: def.access.role === 'any' ? undefined : def.access.role, scope: def.access.scope });
    // The batch's own request underneath (its address, logger, server), with this write's parts.
    itemReq = Object.create(req, {
      method: { value: def.method },
      url: { value: routePath(item.route, item.params) },
      params: { value: params },
      query: { value: {} },
      body: { value: body },
      headers: { value: { ...req.headers, [IDEMPOTENCY_HEADER]: item.idempotencyKey, 'content-type': 'application/json' } },
      principal: { value: principal, writable: true },
      idempotency: { value: undefined, writable: true },
    }) as FastifyRequest;
    const asReply = reply as unknown as FastifyReply;
    if (await idempotency.begin(itemReq, asReply, principalKey(principal))) return itemReq;
    reply.code(def.status ?? 200);
    const out = await handler(itemReq, asReply);
    if (reply.sent) return itemReq;
    if (out === undefined) {
      reply.send();
      return itemReq;
    }
    if (out instanceof JsonText) {
      reply.header('content-type', 'application/json; charset=utf-8').send(out.text);
      return itemReq;
    }
    const checked = def.response ? def.response.safeParse(out) : { success: true as const, data: out };
    if (!checked.success) throw new Error(`${item.route}: the answer does not match its response schema: ${checked.error.message}`);
    reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(checked.data));
  } catch (err) {
    answerError(req, reply, err);
  }
  return itemReq;
}

function validated(context: 'params' | 'body', schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  // As the error handler words a route's validation failure.
  const details = parsed.error.issues.map((i) => ({ field: [context, ...i.path.map(String)].join('.'), message: i.message }));
  throw new AppError('validation_failed', `${details[0]!.field}: ${details[0]!.message}`, details);
}

function answerError(req: FastifyRequest, reply: ItemReply, err: unknown): void {
  reply.header('content-type', 'application/json; charset=utf-8');
  if (err instanceof AppError) {
    reply.code(err.status).send({ error: err.code, message: err.message, details: err.details });
    return;
  }
  req.log.error({ err }, 'batched request failed');
  reply.code(500).send({ error: 'internal', message: 'Internal server error' });
}
