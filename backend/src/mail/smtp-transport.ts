import nodemailer, { type Transporter } from 'nodemailer';

export interface SmtpSettings {
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_tls: number;
  smtp_auth: number;
  imap_user: string;
  password: string;
}

/**
 * The queue's own SMTP server when it has one, else the server's SMTP_URL: a pooled transport of
 * at most `maxConnections` connections, reused across messages (the URL's own parameters win).
 */
export function smtpTransport(s: SmtpSettings, globalSmtpUrl: string | undefined, maxConnections = 1): Transporter {
  const pooling = { pool: true, maxConnections, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 } as const;
  if (s.smtp_host) {
    return nodemailer.createTransport({
      host: s.smtp_host,
      port: s.smtp_port ?? (s.smtp_tls ? 465 : 25),
      secure: s.smtp_tls === 1,
      auth: s.smtp_auth ? { user: s.imap_user, pass: s.password } : undefined,
      ...pooling,
    });
  }
  if (!globalSmtpUrl) throw new Error('No SMTP server: set one on the mailbox or SMTP_URL on the server');
  return nodemailer.createTransport({ url: globalSmtpUrl, ...pooling });
}

interface Pooled {
  key: string;
  transport: Transporter;
  idle: NodeJS.Timeout;
  /** Messages being sent through it: an idle close waits for them. */
  busy: number;
}

/**
 * One pooled transport per queue, kept between sending rounds (a burst of replies does not open a
 * connection per round) and closed after `idleMs` without a message, when the queue's SMTP
 * settings change (once its messages in flight are through), or on `closeAll` (shutdown).
 */
export class SmtpTransports {
  private readonly pools = new Map<string, Pooled>();

  constructor(
    private readonly globalSmtpUrl: string | undefined,
    private readonly maxConnections: number,
    private readonly idleMs = 30_000,
  ) {}

  /** Sends through the queue's transport (opened, or replaced when the settings changed, first). */
  async use<T>(queueId: string, s: SmtpSettings & { updated_at: number }, send: (transport: Transporter) => Promise<T>): Promise<T> {
    // The mailbox's updated_at changes with every edit (a new password included).
    const key = JSON.stringify([s.smtp_host, s.smtp_port, s.smtp_tls, s.smtp_auth, s.imap_user, s.updated_at, this.globalSmtpUrl]);
    let pooled = this.pools.get(queueId);
    if (pooled && pooled.key !== key) {
      this.pools.delete(queueId);
      this.retire(pooled);
      pooled = undefined;
    }
    if (!pooled) {
      const fresh: Pooled = { key, transport: smtpTransport(s, this.globalSmtpUrl, this.maxConnections), idle: setTimeout(() => this.expire(queueId, fresh), this.idleMs), busy: 0 };
      fresh.idle.unref();
      this.pools.set(queueId, fresh);
      pooled = fresh;
    }
    pooled.busy++;
    try {
      return await send(pooled.transport);
    } finally {
      pooled.busy--;
      pooled.idle.refresh();
      if (this.pools.get(queueId) !== pooled) this.retire(pooled);
    }
  }

  closeAll(): void {
    for (const pooled of this.pools.values()) this.retire(pooled, true);
    this.pools.clear();
  }

  private expire(queueId: string, pooled: Pooled): void {
    if (pooled.busy > 0) return void pooled.idle.refresh();
    if (this.pools.get(queueId) === pooled) this.pools.delete(queueId);
    this.retire(pooled);
  }

  /** Closes a transport no longer in the map, when nothing is being sent through it (or at shutdown). */
  private retire(pooled: Pooled, now = false): void {
    if (pooled.busy > 0 && !now) return;
    clearTimeout(pooled.idle);
    pooled.transport.close();
  }
}
