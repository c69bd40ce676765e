import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import { ALERT_NOTIFY_EVENT } from '../../../shared/api/alerts';
import { ALERT_CHANGES_EVENT, AlertChangesEvent, type LiveEvent } from '../../../shared/api/events';

export interface LiveFeedDeps {
  baseUrl: string;
  /** A current access token (refreshing when needed). */
  token(): Promise<string>;
  /** The live feed was told the token expired or was refused: drop the cached access token. */
  tokenRejected(): void;
  /** The cursor of the last applied change; events at or below it are already in the cache. */
  cursor(): number;
}

/**
 * socket.io to the server with the access token. Events that carry a sequence number are not
 * applied directly: they trigger a delta sync from the last applied cursor, so nothing is lost
 * across a disconnect and order follows the feed. Reconnects with backoff; after every (re)connect
 * it asks for a catch-up.
 * `alert.changes` (declared in shared/api/events.ts) only triggers that catch-up; the changed alerts come from the feed.
 * Events: 'state' ('connected' | 'connecting' | 'disconnected'), 'catchUp', 'event' (LiveEvent), 'notify' (an alert.notify's payload, already confirmed to the server).
 */
export class LiveFeed extends EventEmitter {
  private socket: Socket | null = null;
  private stopped = true;
  private retry = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private _state: 'connected' | 'connecting' | 'disconnected' = 'disconnected';

  constructor(
    private readonly deps: LiveFeedDeps,
    private readonly options: { minDelayMs?: number; maxDelayMs?: number } = {},
  ) {
    super();
  }

  get state() {
    return this._state;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const socket = io(this.deps.baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: this.options.minDelayMs ?? 500,
      reconnectionDelayMax: this.options.maxDelayMs ?? 30_000,
      randomizationFactor: 0.5,
      // A function, so every reconnect presents a fresh token.
      auth: (cb) => {
        this.deps.token().then(
          (token) => cb({ token }),
          () => cb({ token: '' }),
        );
      },
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.retry = 0;
      this.setState('connected');
      this.emit('catchUp');
    });
    socket.on('disconnect', (reason) => {
      this.setState(this.stopped ? 'disconnected' : 'connecting');
      // The server closed us (token expiry): socket.io will not retry on its own.
      if (!this.stopped && reason === 'io server disconnect') this.reconnectLater();
    });
    socket.on('connect_error', (err: Error & { data?: { reason?: string } }) => {
      this.setState('connecting');
      const reason = err.data?.reason ?? err.message;
      if (/token|unauthorized|revoked/i.test(reason)) this.deps.tokenRejected();
      // Middleware refusals leave the socket inactive; transport errors are retried by socket.io.
      if (!socket.active) this.reconnectLater();
    });
    socket.on('session.expired', () => this.deps.tokenRejected());
    // A page for this user: confirmed at once (the server counts it as delivered), then handed on.
    socket.on(ALERT_NOTIFY_EVENT, (event: LiveEvent, ack?: (answer: { received: true }) => void) => {
      ack?.({ received: true });
      this.emit('notify', event?.data);
    });
    // Alerts changed up to a sequence (the server's one coalesced announcement): catch up past the cursor.
    socket.on(ALERT_CHANGES_EVENT, (payload: unknown) => {
      const event = AlertChangesEvent.safeParse(payload);
      // A malformed announcement still says something changed: catching up is always safe.
      if (!event.success || event.data.seq > this.deps.cursor()) this.emit('catchUp');
    });
    socket.onAny((type: string, payload: unknown) => {
      if (type === 'ready' || type === 'session.expired' || type === ALERT_NOTIFY_EVENT || type === ALERT_CHANGES_EVENT) return;
      const event = payload as LiveEvent;
      this.emit('event', { ...event, type: event?.type ?? type });
      if (typeof event?.seq === 'number' && event.seq > this.deps.cursor()) this.emit('catchUp');
    });
    this.setState('connecting');
    socket.connect();
  }

  private reconnectLater(): void {
    if (this.stopped || this.retryTimer) return;
    const min = this.options.minDelayMs ?? 500;
    const delay = Math.min(min * 2 ** this.retry++, this.options.maxDelayMs ?? 30_000) * (0.75 + Math.random() * 0.5);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.socket?.connect();
    }, delay);
    this.retryTimer.unref();
  }

  /** Sends a client event (e.g. job.subscribe); dropped while disconnected. */
  send(event: string, payload: unknown): void {
    if (this.socket?.connected) this.socket.emit(event, payload);
  }

  /** Drops the connection and connects again (after a token change). */
  restart(): void {
    this.stop();
    this.start();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.setState('disconnected');
  }

  private setState(s: LiveFeed['_state']): void {
    if (s === this._state) return;
    this._state = s;
    this.emit('state', s);
  }
}
