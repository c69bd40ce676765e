import { createAdapter } from '@socket.io/redis-adapter';
import type { Socket } from 'socket.io';
import type { Services } from '../app/services';
import type { Principal } from '../auth/auth-service';
import { connectRedis } from '../platform/redis';
import { queueRoom, type LiveServer } from '../platform/realtime/live-server';

/** At most this many missed changes are replayed over the socket; past it the client pages over HTTP. */
export const RESUME_MAX_CHANGES = 5000;
const RESUME_PAGE = 1000;

/**
 * Connects the helpdesk to the socket.io server:
 * - agents join the rooms of their queues at connect, and follow membership changes live;
 * - resume: a client that connects with `auth.since` (its last sync sequence) first receives what it
 *   missed from the change feed as `sync.resume` pages ({changes, nextCursor, done}); when `done` is
 *   false it continues with GET /sync/changes from `nextCursor`. Live events that race the replay
 *   may arrive twice; clients drop events whose seq they already applied;
 * - with REDIS_URL the socket.io Redis adapter fans events out across backend instances.
 */
export function wireLive(live: LiveServer, ctx: Pick<Services, 'config' | 'logger' | 'lifecycle' | 'queueAccess' | 'changes'>): void {
  if (ctx.config.REDIS_URL) {
    const pub = connectRedis(ctx.config.REDIS_URL, ctx.logger, 'socket.io adapter (pub)', { maxRetriesPerRequest: 2 });
    const sub = connectRedis(ctx.config.REDIS_URL, ctx.logger, 'socket.io adapter (sub)', { maxRetriesPerRequest: 2 });
    // The adapter discards publish()'s promise (socketio/socket.io-redis-emitter#139 is the same
    // pattern): with Redis down each broadcast would end in an unhandled rejection. Log it instead;
    // the event still reaches this instance's sockets, and other instances' clients resume on reconnect.
    const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>;
    pub.publish = ((channel: string, message: string | Buffer) =>
      publish(channel, message).catch((err: unknown) => {
        ctx.logger.warn({ err }, 'a live event could not be sent to the other instances (Redis unavailable)');
        return 0;
      })) as typeof pub.publish;
    live.io.adapter(createAdapter(pub, sub));
    ctx.lifecycle.onStop('socket.io adapter', () => {
      pub.disconnect();
      sub.disconnect();
    });
  }

  live.onConnect(async (socket: Socket, principal: Principal) => {
    const queueIds = principal.role === 'agent' ? await ctx.queueAccess.memberships(principal.userId) : [];
    if (queueIds.length) await socket.join(queueIds.map(queueRoom));
    const since: unknown = socket.handshake.auth?.since;
    if (typeof since !== 'number' || !Number.isInteger(since) || since < 0) return;
    let cursor = since;
    for (let sent = 0; sent < RESUME_MAX_CHANGES; ) {
      const page = await ctx.changes.read(principal, queueIds, cursor, Math.min(RESUME_PAGE, RESUME_MAX_CHANGES - sent));
      sent += page.changes.length;
      cursor = page.nextCursor;
      const done = page.done;
      socket.emit('sync.resume', { ...page, done });
      if (done) return;
    }
  });
}
