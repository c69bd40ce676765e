import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { sha256 } from '../../auth/token-hash';
import type { Database } from '../db/schema';
import type { Clock } from '../clock';
import { AppError } from './errors';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const RETENTION_MS = 8 * 86_400_000; // kept at least 7 days, as offline desktops may replay late
/** A claim without an answer this old was left by a backend that died mid-request: it is released. */
export const CLAIM_TIMEOUT_MS = 5 * 60_000;
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { principal: string; key: string };
  }
}

/**
 * Replaying a write with the same Idempotency-Key returns the first result and changes nothing.
 * The key is claimed before the handler runs, so two concurrent requests with one key cannot both
 * write; the answer is stored when the response is sent. Server errors release the key for a retry.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Called by the guard once the caller is known. Returns true when it answered from the store. */
  async begin(request: FastifyRequest, reply: FastifyReply, principal: string): Promise<boolean> {
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (header === undefined || !WRITE_METHODS.has(request.method)) return false;
    const key = Array.isArray(header) ? header[0]! : header;
    if (!/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) {
      throw new AppError('bad_request', 'Idempotency-Key must be 8-128 characters of letters, digits, _ . : -');
    }
    const path = request.url;
    const requestHash = sha256(`${request.method} ${path} ${JSON.stringify(request.body ?? null)}`);
    const existing = await this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirst();
    if (existing && existing.status === null && Number(existing.created_at) < this.clock.now() - CLAIM_TIMEOUT_MS) {
      // Only this exact stale claim goes: a request that claimed the key meanwhile keeps it.
      await this.db.deleteFrom('idempotency_keys').where('principal', '=', principal).where('key', '=', key).where('status', 'is', null).where('created_at', '=', existing.created_at).execute();
    } else if (existing) return this.replay(existing, requestHash, reply);
    const claimed = await this.db
      .insertInto('idempotency_keys')
      .values({ key, principal, method: request.method, path, request_hash: requestHash, status: null, response: null, created_at: this.clock.now() })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) {
      const raced = await this.db.selectFrom('idempotency_keys').selectAll().where('principal', '=', principal).where('key', '=', key).executeTakeFirst();
      if (raced) return this.replay(raced, requestHash, reply);
    }
    request.idempotency = { principal, key };
    return false;
  }

  private replay(row: { request_hash: string; status: number | null; response: string | null }, requestHash: string, reply: FastifyReply): boolean {
    if (row.request_hash !== requestHash) {
      throw new AppError('unprocessable', 'This Idempotency-Key was already used for a different request');
    }
    if (row.status === null) throw new AppError('conflict', 'A request with this Idempotency-Key is still in progress');
    reply.header('idempotent-replay', 'true').header('content-type', 'application/json; charset=utf-8').code(row.status).send(row.response ?? '');
    return true;
  }

  async finish(request: FastifyRequest, status: number, payload: unknown): Promise<void> {
    const claim = request.idempotency;
    if (!claim) return;
    request.idempotency = undefined;
    const q = this.db.updateTable('idempotency_keys').where('principal', '=', claim.principal).where('key', '=', claim.key);
    if (status >= 500) {
      await this.db.deleteFrom('idempotency_keys').where('principal', '=', claim.principal).where('key', '=', claim.key).execute();
      return;
    }
    await q.set({ status, response: typeof payload === 'string' ? payload : payload == null ? '' : String(payload) }).execute();
  }

  /** Answers kept past the replay window and claims nobody will finish go. */
  async prune(): Promise<number> {
    const res = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', this.clock.now() - RETENTION_MS).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  install(app: FastifyInstance): void {
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.idempotency) await this.finish(request, reply.statusCode, payload);
      return payload;
    });
  }
}
