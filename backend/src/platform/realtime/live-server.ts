import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { AuthService, Principal } from '../../auth/auth-service';
import type { RevokedSessions } from '../../auth/session-revocations';
import type { SessionStore } from '../../auth/session-store';
import type { Clock } from '../clock';
import type { ServerMetrics } from '../prometheus';
import type { EventHub } from './event-hub';
import { AppError } from '../http/errors';
import type { DesktopPush } from '../../notifications/senders';
import type { QueueRooms } from '../../queues/queue-service';
import type { Audience } from '../../sync/change-feed';

export interface LiveSocketData {
  principal: Principal;
}

/** Rooms every authenticated socket joins; domains add their own (queues) via `onConnect`. */
export const userRoom = (userId: string) => `user:${userId}`;
export const roleRoom = (role: string) => `role:${role}`;
export const queueRoom = (queueId: string) => `queue:${queueId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/** The rooms that together make up an audience (oncall and admin see every queue). */
export function roomsFor(audience: Audience): string[] {
  switch (audience.kind) {
    case 'all':
      return [roleRoom('agent'), roleRoom('oncall'), roleRoom('admin')];
    case 'queue':
      return [queueRoom(audience.queueId), ...(audience.prevQueueId ? [queueRoom(audience.prevQueueId)] : []), roleRoom('oncall'), roleRoom('admin')];
    case 'oncall':
      return [roleRoom('oncall'), roleRoom('admin')];
    case 'admin':
      return [roleRoom('admin')];
    case 'user':
      return [userRoom(audience.userId)];
  }
}

export type ConnectHook = (socket: Socket, principal: Principal) => Promise<void> | void;

/**
 * socket.io on the same port as the HTTP API. The access token is checked at connect; when it
 * expires the socket gets `session.expired` with a reason and is disconnected, so the client
 * refreshes and reconnects.
 */
/** Also where agents' sockets follow their queue memberships live (QueueRooms). */
export class LiveServer implements QueueRooms, DesktopPush {
  readonly io: Server;
  private readonly hooks: ConnectHook[] = [];

  constructor(private readonly ctx: { auth: AuthService; sessions: SessionStore; events: EventHub; metrics: ServerMetrics; clock: Clock }) {
    this.io = new Server({ path: '/socket.io', serveClient: false, cors: { origin: false } });
    this.io.use((socket, next) => {
      const token: unknown = socket.handshake.auth?.token;
      if (typeof token !== 'string' || token.length === 0) return next(Object.assign(new Error('unauthorized'), { data: { reason: 'missing_token' } }));
      ctx.auth
        .authenticateAccessToken(token)
        .then((principal) => {
          (socket.data as LiveSocketData).principal = principal;
          next();
        })
        .catch((err: unknown) => {
          const reason = err instanceof AppError ? err.code : 'unauthorized';
          next(Object.assign(new Error(reason), { data: { reason } }));
        });
    });
    this.io.on('connection', (socket) => void this.onConnection(socket));
    const detachEvents = ctx.events.attach((event, audience) => {
      this.io.to(roomsFor(audience)).emit(event.type, event);
    });
    const detachRevocations = ctx.sessions.revocations.attach((revoked) => this.closeRevoked(revoked));
    this.detach = () => {
      detachEvents();
      detachRevocations();
    };
  }

  private readonly detach: () => void;

  /** Closes the sockets of revoked sessions on every instance (through the adapter), telling them why first. */
  private closeRevoked(revoked: RevokedSessions): void {
    const target =
      'sessionId' in revoked
        ? this.io.in(sessionRoom(revoked.sessionId))
        : revoked.exceptSessionId
          ? this.io.in(userRoom(revoked.userId)).except(sessionRoom(revoked.exceptSessionId))
          : this.io.in(userRoom(revoked.userId));
    target.emit('session.expired', { reason: 'token_revoked' });
    target.disconnectSockets(true);
  }

  join(userId: string, queueId: string): void {
    this.io.in(userRoom(userId)).socketsJoin(queueRoom(queueId));
  }

  leave(userId: string, queueId: string): void {
    this.io.in(userRoom(userId)).socketsLeave(queueRoom(queueId));
  }

  /** An event to the user's sockets with an acknowledgement each; resolves with how many acknowledged in time. */
  push(userId: string, event: string, payload: unknown, timeoutMs: number): Promise<number> {
    return new Promise((resolve) => {
      this.io
        .to(userRoom(userId))
        .timeout(timeoutMs)
        .emit(event, payload, (_err: Error | null, answers: unknown[] | undefined) => resolve((answers ?? []).filter((a) => isReceipt(a)).length));
    });
  }

  /** Serves socket.io on the HTTP server (once it exists: the app builds it after the services). */
  attach(httpServer: HttpServer): void {
    this.io.attach(httpServer);
  }

  onConnect(hook: ConnectHook): void {
    this.hooks.push(hook);
  }

  private async onConnection(socket: Socket): Promise<void> {
    const principal = (socket.data as LiveSocketData).principal;
    this.ctx.metrics.connectedSockets.inc();
    socket.on('disconnect', () => this.ctx.metrics.connectedSockets.dec());
    await socket.join([userRoom(principal.userId), roleRoom(principal.role), ...(principal.sessionId ? [sessionRoom(principal.sessionId)] : [])]);
    // A revocation that landed between the token check and the joins found no socket to close.
    if (principal.sessionId && !(await this.ctx.sessions.isActive(principal.sessionId))) {
      socket.emit('session.expired', { reason: 'token_revoked' });
      socket.disconnect(true);
      return;
    }
    const token = socket.handshake.auth.token as string;
    const expiresAt = accessTokenExpiry(token);
    if (expiresAt) {
      const timer = setTimeout(() => {
        socket.emit('session.expired', { reason: 'token_expired' });
        socket.disconnect(true);
      }, Math.max(0, expiresAt - this.ctx.clock.now()));
      timer.unref();
      socket.on('disconnect', () => clearTimeout(timer));
    }
    for (const hook of this.hooks) await hook(socket, principal);
    socket.emit('ready', { userId: principal.userId, rooms: [...socket.rooms] });
  }

  /** Disconnects every client; the HTTP server itself is closed by Fastify. */
  disconnectAll(): void {
    this.detach();
    this.io.local.disconnectSockets(true);
    this.io.engine.close();
  }
}

/** A desktop's acknowledgement of an alert.notify: `{ received: true }`. */
function isReceipt(answer: unknown): boolean {
  return typeof answer === 'object' && answer !== null && (answer as { received?: unknown }).received === true;
}

function accessTokenExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
