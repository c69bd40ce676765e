import type { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { openImap } from './imap-connect';
import { parseInbound, type InboundMessage } from './inbound-message';
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

/** UIDs whose sizes one FETCH asks for. */
const SIZE_CHUNK = 500;
/** A batch (one FETCH of sources, one transaction): at most this many messages and, beyond its first, this many bytes. */
const BATCH_MESSAGES = 50;
const BATCH_BYTES = 8 * 1024 * 1024;

/** An IMAP sequence set of UIDs: `3:7,9,12:13`. */
export function uidSet(uids: number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Consecutive batches of at most BATCH_MESSAGES and BATCH_BYTES (an oversized message counts as its headers only). */
export function batches(uids: number[], sizes: Map<number, number>, maxMessageBytes: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const whole = sizes.get(uid) ?? 0;
    const size = whole > maxMessageBytes ? 0 : whole;
    if (current.length && (current.length >= BATCH_MESSAGES || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(uid);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * One connection per enabled mailbox: drain the unseen messages in batches (fetch → one commit of
 * their tickets → \Seen or move, in that order, so a crash leaves them unseen and the Message-ID
 * check drops the repeats), then wait with IDLE when the server offers it, polling otherwise.
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

  /**
   * The unseen messages, oldest first, in batches: one FETCH for the sizes, one for the sources of
   * a batch (headers only for oversized ones, the next batch's fetched while this one commits), one
   * transaction for its tickets, then one STORE (or MOVE) and one cursor update for the committed ones.
   */
  private async drain(client: ImapFlow, uidValidity: string): Promise<void> {
    this.dirty = false;
    const unseen = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b);
    const uids = unseen.filter((uid) => (this.failures.get(uid) ?? 0) < this.options.maxFailures);
    const maxBytes = Number(this.m.max_message_bytes);
    for (let i = 0; i < uids.length && !this.stopped; i += SIZE_CHUNK) {
      const sizes = new Map<number, number>();
      for await (const m of client.fetch(uidSet(uids.slice(i, i + SIZE_CHUNK)), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
      const list = batches([...sizes.keys()].sort((a, b) => a - b), sizes, maxBytes);
      let next = list.length ? this.fetchBatch(client, list[0]!, sizes, maxBytes) : null;
      try {
        for (let b = 0; b < list.length && next; b++) {
          const fetched = await next;
          next = null;
          if (this.stopped) return;
          // The next batch's FETCH runs on the server while this one commits (imapflow sends the STORE after it).
          if (b + 1 < list.length) next = this.fetchBatch(client, list[b + 1]!, sizes, maxBytes);
          await this.take(client, uidValidity, fetched);
        }
      } finally {
        // A prefetch left behind (stop, or the commit or STORE failed): its messages stay unseen.
        if (next) await next.then(() => undefined, (err: unknown) => this.logger.debug({ err: describe(err) }, 'mail: prefetch abandoned'));
      }
    }
  }

  /** The batch's messages, parsed (an oversized one from its headers only). */
  private async fetchBatch(client: ImapFlow, batch: number[], sizes: Map<number, number>, maxBytes: number): Promise<{ uid: number; msg: InboundMessage }[]> {
    const raws = new Map<number, Buffer>();
    const whole = batch.filter((uid) => sizes.get(uid)! <= maxBytes);
    const oversized = batch.filter((uid) => sizes.get(uid)! > maxBytes);
    if (whole.length) for await (const m of client.fetch(uidSet(whole), { uid: true, source: true }, { uid: true })) raws.set(m.uid, m.source ?? Buffer.alloc(0));
    if (oversized.length) for await (const m of client.fetch(uidSet(oversized), { uid: true, headers: true }, { uid: true })) raws.set(m.uid, m.headers ?? Buffer.alloc(0));
    const out: { uid: number; msg: InboundMessage }[] = [];
    for (const uid of batch) {
      const raw = raws.get(uid);
      // Gone since the search (moved or expunged elsewhere).
      if (!raw) continue;
      const size = sizes.get(uid)!;
      const msg = await parseInbound(raw, { maxBytes, ownAddresses: [this.m.address], size });
      this.logger.info({ uid, messageId: msg.messageId, size }, 'mail: fetched');
      out.push({ uid, msg });
    }
    return out;
  }

  /** Commits a batch, then tells the server which messages were taken (only those committed). */
  private async take(client: ImapFlow, uidValidity: string, fetched: { uid: number; msg: InboundMessage }[]): Promise<void> {
    if (!fetched.length) return;
    if (this.options.ingestDelayMs > 0) await sleep(this.options.ingestDelayMs);
    const outcomes = await this.processor.ingestMany(this.m, fetched.map((f) => f.msg));
    const taken: number[] = [];
    fetched.forEach(({ uid, msg }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.kind !== 'failed') {
        this.logger.info({ uid, messageId: msg.messageId, outcome }, 'mail: committed');
        taken.push(uid);
        return;
      }
      const n = (this.failures.get(uid) ?? 0) + 1;
      this.failures.set(uid, n);
      this.logger.error({ err: outcome.error, uid, messageId: msg.messageId, attempt: n }, n >= this.options.maxFailures ? 'mail: message skipped after repeated failures; it stays unseen' : 'mail: commit failed, will retry');
      this.report(outcome.error);
    });
    if (!taken.length) return;
    // Only now, after the commit, does the server learn the messages were taken.
    if (this.m.processed_folder) await client.messageMove(uidSet(taken), this.m.processed_folder, { uid: true });
    else await client.messageFlagsAdd(uidSet(taken), ['\\Seen'], { uid: true });
    await this.mailboxes.saveCursor(this.m.queue_id, uidValidity, Math.max(...taken));
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
