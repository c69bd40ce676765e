import type { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { openImap } from './imap-connect';
import { parseInbound } from './inbound-message';
import type { InboundProcessor } from './inbound-processor';
import type { MailboxSecrets, MailboxService } from './mailbox-service';

export interface FetcherOptions {
  /** Without IDLE: how often to look for new mail. */
  pollMs: number;
  /** With IDLE: look anyway this often (a missed notification is not a lost message). */
  idleRecheckMs: number;
  /** First reconnect delay after a failure; doubles up to 5 minutes. */
  reconnectMs: number;
  /** Fault injection for the crash test: wait this long between fetching a message and committing it. */
  ingestDelayMs: number;
  /** Skip a message after this many failed commits (it stays unseen on the server; the error is logged). */
  maxFailures: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One connection per enabled mailbox: drain the unseen messages (fetch → ticket commit → \Seen or
 * move, in that order, so a crash leaves the message unseen and the Message-ID check drops the
 * repeat), then wait with IDLE when the server offers it, polling otherwise.
 */
export class MailFetcher {
  private readonly workers = new Map<string, MailboxWorker>();
  private running = false;

  constructor(
    private readonly mailboxes: MailboxService,
    private readonly processor: InboundProcessor,
    private readonly logger: Logger,
    private readonly options: FetcherOptions,
    private readonly report: (what: string, err: unknown) => void,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    for (const m of await this.mailboxes.enabled()) this.spawn(m);
  }

  /** A mailbox changed or went: its worker reconnects with the new settings, or stops. */
  refresh(queueId: string): void {
    if (!this.running) return;
    const old = this.workers.get(queueId);
    this.workers.delete(queueId);
    void (async () => {
      await old?.stop();
      const m = await this.mailboxes.secrets(queueId);
      if (m && m.enabled === 1 && this.running && !this.workers.has(queueId)) this.spawn(m);
    })().catch((err: unknown) => this.report(`mail-fetch:${queueId}`, err));
  }

  async stop(): Promise<void> {
    this.running = false;
    const all = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(all.map((w) => w.stop()));
  }

  /** Drains a mailbox now (tests and the admin's "fetch now"): resolves when its worker finished a round. */
  async drainNow(queueId: string): Promise<void> {
    await this.workers.get(queueId)?.wakeAndWait();
  }

  private spawn(m: MailboxSecrets): void {
    const worker = new MailboxWorker(m, this.mailboxes, this.processor, this.logger.child({ queueId: m.queue_id, mailbox: m.address }), this.options, (err) => this.report(`mail-fetch:${m.queue_id}`, err));
    this.workers.set(m.queue_id, worker);
    worker.run();
  }
}

class MailboxWorker {
  private stopped = false;
  private client: ImapFlow | null = null;
  private wake: (() => void) | null = null;
  /** Something happened since the last drain began (new mail, a request to drain): do not sleep. */
  private dirty = false;
  private loop: Promise<void> = Promise.resolve();
  private roundWaiters: (() => void)[] = [];
  private readonly failures = new Map<number, number>();

  constructor(
    private readonly m: MailboxSecrets,
    private readonly mailboxes: MailboxService,
    private readonly processor: InboundProcessor,
    private readonly logger: Logger,
    private readonly options: FetcherOptions,
    private readonly report: (err: unknown) => void,
  ) {}

  run(): void {
    this.loop = this.forever();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    const c = this.client;
    if (c) await c.logout().catch((err: Error) => this.logger.debug({ err }, 'mail: logout on stop failed'));
    await this.loop;
  }

  wakeAndWait(): Promise<void> {
    const done = new Promise<void>((r) => this.roundWaiters.push(r));
    this.poke();
    return done;
  }

  private async forever(): Promise<void> {
    let delay = this.options.reconnectMs;
    while (!this.stopped) {
      try {
        await this.session();
        delay = this.options.reconnectMs;
      } catch (err) {
        if (this.stopped) break;
        const message = describe(err);
        this.logger.warn({ err: message }, 'mail: mailbox failed, reconnecting');
        this.report(err);
        await this.mailboxes.setStatus(this.m.queue_id, 'error', message).catch(this.report);
        for (const w of this.roundWaiters.splice(0)) w();
        this.dirty = false;
        await this.pause(delay);
        delay = Math.min(delay * 2, 5 * 60_000);
      }
    }
    await this.mailboxes.setStatus(this.m.queue_id, 'stopped', null).catch(this.report);
    for (const w of this.roundWaiters.splice(0)) w();
  }

  /** One connection: open the folder, then drain and wait until it closes or the worker stops. */
  private async session(): Promise<void> {
    await this.mailboxes.setStatus(this.m.queue_id, 'connecting', null);
    const client = openImap({ host: this.m.imap_host, port: this.m.imap_port, tls: this.m.imap_tls === 1, user: this.m.imap_user, password: this.m.password });
    this.client = client;
    let closed = false;
    client.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'mail: connection error'));
    client.on('close', () => ((closed = true), this.poke()));
    client.on('exists', () => this.poke());
    // Flags changed elsewhere (a message marked unread again): look at the unseen ones again.
    client.on('flags', () => this.poke());
    try {
      await client.connect();
      const box = await client.mailboxOpen(this.m.imap_folder);
      const uidValidity = String(box.uidValidity);
      const stored = (await this.mailboxes.secrets(this.m.queue_id))?.uid_validity ?? null;
      if (stored !== null && stored !== uidValidity) {
        // The server renumbered the folder: UIDs mean nothing now. Unseen messages are fetched again; those already committed are recognised by Message-ID.
        this.logger.warn({ was: stored, now: uidValidity }, 'mail: UIDVALIDITY changed, rescanning the folder');
        await this.mailboxes.saveCursor(this.m.queue_id, uidValidity, 0);
      } else if (stored === null) await this.mailboxes.saveCursor(this.m.queue_id, uidValidity, 0);
      const idle = client.capabilities.has('IDLE');
      while (!this.stopped && !closed) {
        await this.drain(client, uidValidity);
        await this.mailboxes.setStatus(this.m.queue_id, idle ? 'idle' : 'polling', null);
        for (const w of this.roundWaiters.splice(0)) w();
        // imapflow sits in IDLE while no command runs; an EXISTS wakes us. Without IDLE we poll.
        await this.pause(idle ? this.options.idleRecheckMs : this.options.pollMs);
      }
    } finally {
      this.client = null;
      if (!closed) await client.logout().catch((err: Error) => this.logger.debug({ err: err.message }, 'mail: logout failed'));
    }
  }

  private async drain(client: ImapFlow, uidValidity: string): Promise<void> {
    this.dirty = false;
    const uids = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b);
    for (const uid of uids) {
      if (this.stopped) return;
      if ((this.failures.get(uid) ?? 0) >= this.options.maxFailures) continue;
      const meta = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
      if (!meta) continue;
      const size = meta.size ?? 0;
      const oversized = size > Number(this.m.max_message_bytes);
      const part = await client.fetchOne(String(uid), oversized ? { uid: true, headers: true } : { uid: true, source: true }, { uid: true });
      if (!part) continue;
      const raw = oversized ? (part.headers ?? Buffer.alloc(0)) : (part.source ?? Buffer.alloc(0));
      const msg = await parseInbound(raw, { maxBytes: Number(this.m.max_message_bytes), ownAddresses: [this.m.address], size });
      this.logger.info({ uid, messageId: msg.messageId, size }, 'mail: fetched');
      if (this.options.ingestDelayMs > 0) await sleep(this.options.ingestDelayMs);
      try {
        const outcome = await this.processor.ingest(this.m, msg);
        this.logger.info({ uid, messageId: msg.messageId, outcome }, 'mail: committed');
      } catch (err) {
        const n = (this.failures.get(uid) ?? 0) + 1;
        this.failures.set(uid, n);
        this.logger.error({ err, uid, messageId: msg.messageId, attempt: n }, n >= this.options.maxFailures ? 'mail: message skipped after repeated failures; it stays unseen' : 'mail: commit failed, will retry');
        this.report(err);
        continue;
      }
      // Only now, after the commit, does the server learn the message was taken.
      if (this.m.processed_folder) await client.messageMove(String(uid), this.m.processed_folder, { uid: true });
      else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      await this.mailboxes.saveCursor(this.m.queue_id, uidValidity, uid);
    }
  }

  private poke(): void {
    this.dirty = true;
    this.wake?.();
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped || this.dirty) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

function describe(err: unknown): string {
  const e = err as Error & { responseText?: string; code?: string; authenticationFailed?: boolean };
  if (e?.authenticationFailed) return `login refused: ${e.responseText ?? e.message}`;
  return e?.responseText ?? (e?.code ? `${e.code}: ${e.message}` : (e?.message ?? String(err)));
}
