import type { Server as HttpServer } from 'node:http';
import type { LiveEvent } from '../../../../shared/api/events';
import { Server, type Socket } from 'socket.io';
import type { AuthService, Principal } from '../../auth/auth-service';
import type { RevokedSessions } from '../../auth/session-revocations';
import type { SessionStore } from '../../auth/session-store';
import type { Clock } from '../clock';
import type { Config } from '../config/config';
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

/**
 * The rooms that together make up an audience (oncall and admin see every queue). A record that
 * moved (`prevQueueId`) goes to its new queue only: the old queue's room gets `tombstoneOf` instead.
 */
export function roomsFor(audience: Audience): string[] {
  switch (audience.kind) {
    case 'all':
      return [roleRoom('agent'), roleRoom('oncall'), roleRoom('admin')];
    case 'queue':
      return [queueRoom(audience.queueId), roleRoom('oncall'), roleRoom('admin')];
    case 'oncall':
      return [roleRoom('oncall'), roleRoom('admin')];
    case 'admin':
      return [roleRoom('admin')];
    case 'user':
      return [userRoom(audience.userId)];
  }
}

const SLOW_CLIENT_SWEEP_MS = 1000;

/** What members of a record's old queue hear when it moves away: its id, never its content. */
export function tombstoneOf(event: LiveEvent): LiveEvent {
  const entity = event.type.split('.')[0] ?? 'record';
  const id = (event.data as { id?: unknown } | null)?.id;
  return { type: `${entity}.removed`, seq: event.seq, actor: null, data: { id: typeof id === 'string' ? id : null, reason: 'left_visibility' }, at: event.at };
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

  constructor(private readonly ctx: { auth: AuthService; sessions: SessionStore; events: EventHub; metrics: ServerMetrics; clock: Clock; config: Pick<Config, 'LIVE_MAX_BUFFERED_PACKETS'> }) {
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
      if (audience.kind === 'queue' && audience.prevQueueId && audience.prevQueueId !== audience.queueId) {
        // Sockets in both queues got the event above; the others of the old queue only a tombstone.
        const tombstone = tombstoneOf(event);
        this.io.to(queueRoom(audience.prevQueueId)).except(queueRoom(audience.queueId)).emit(tombstone.type, tombstone);
      }
    });
    this.sweep = setInterval(() => this.dropSlowClients(), SLOW_CLIENT_SWEEP_MS);
    this.sweep.unref();
    const detachRevocations = ctx.sessions.revocations.attach((revoked) => this.closeRevoked(revoked));
    this.detach = () => {
      detachEvents();
      detachRevocations();
    };
  }

  private readonly detach: () => void;
  private readonly sweep: NodeJS.Timeout;

  /**
   * A broadcast is encoded once and queued on every socket of its rooms; a client that stops
   * reading (a suspended laptop on a half-open connection) would make its queue, and the server's
   * memory, grow without bound. Past LIVE_MAX_BUFFERED_PACKETS its connection is closed; the client
   * reconnects and resumes from its sync cursor, so it misses nothing.
   */
  dropSlowClients(): number {
    let dropped = 0;
    for (const socket of this.io.of('/').sockets.values()) {
      // A connection already closing is not counted twice.
      if (socket.conn.readyState !== 'open' || queuedPackets(socket) <= this.ctx.config.LIVE_MAX_BUFFERED_PACKETS) continue;
      socket.conn.close();
      this.ctx.metrics.slowSocketsDropped.inc();
      dropped++;
    }
    return dropped;
  }

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
    this.io.engine.on('connection', (conn: EngineConnection) => batchFrameWrites(conn));
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
    clearInterval(this.sweep);
    this.io.local.disconnectSockets(true);
    this.io.engine.close();
  }
}

/** The parts of an engine.io connection `batchFrameWrites` uses (the TCP socket under ws is `_socket`, private but long stable). */
interface EngineConnection {
  transport: EngineTransport;
  on(event: 'upgrade', listener: (transport: EngineTransport) => void): void;
}
interface EngineTransport {
  name: string;
  send(packets: unknown[]): void;
  socket?: { _socket?: { cork(): void; uncork(): void } };
}

/**
 * engine.io's WebSocket transport writes the packets it flushes one frame at a time, each its own
 * write (one system call) on the TCP socket: an alert storm fanned out to 100 desktops made
 * hundreds of thousands of them. Corking the socket around one flush sends its frames in one
 * writev; order, acknowledgements and backpressure are unchanged. Applied when a connection opens
 * on WebSocket and when one upgrades to it.
 */
export function batchFrameWrites(conn: EngineConnection): void {
  const wrap = (transport: EngineTransport) => {
    const tcp = transport.socket?._socket;
    if (transport.name !== 'websocket' || !tcp) return;
    const send = transport.send.bind(transport);
    transport.send = (packets) => {
      tcp.cork();
      try {
        send(packets);
      } finally {
        tcp.uncork();
      }
    };
  };
  wrap(conn.transport);
  conn.on('upgrade', wrap);
}

/** engine.io's queue of packets not yet written to the transport (public in behaviour, private in its types). */
function queuedPackets(socket: Socket): number {
  return (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
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
