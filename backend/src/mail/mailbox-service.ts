import type { Kysely, Selectable } from 'kysely';
import type { Mailbox, MailboxTestResult, PutMailboxRequest } from '../../../shared/api/mail';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import { openImap } from './imap-connect';
import { smtpTransport } from './smtp-transport';
import type { SecretBox } from '../platform/secret-box';
import type { QueueMailboxesTable } from './tables';

export type MailboxRow = Selectable<QueueMailboxesTable>;
/** A mailbox with its password opened: only for the fetcher and the mailer, never for an answer. */
export type MailboxSecrets = MailboxRow & { password: string };

/** Admin-managed mailboxes: the password is sealed at rest and never answered; changes restart the fetcher. */
export class MailboxService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    /** The mailbox of this queue changed (or went): the fetcher reconnects or stops. */
    private readonly onChange: (queueId: string) => void,
  ) {}

  async list(): Promise<Mailbox[]> {
    return (await this.db.selectFrom('queue_mailboxes').selectAll().orderBy('address').execute()).map(toMailbox);
  }

  async get(queueId: string): Promise<Mailbox> {
    return toMailbox(await this.row(queueId));
  }

  async put(actor: Actor, queueId: string, req: PutMailboxRequest): Promise<Mailbox> {
    const queue = await this.db.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst();
    if (!queue) throw notFound('Queue');
    const existing = await this.db.selectFrom('queue_mailboxes').selectAll().where('queue_id', '=', queueId).executeTakeFirst();
    if (!req.imap.password && !existing) throw new AppError('validation_failed', 'imap.password is required for a new mailbox', { field: 'imap.password' });
    const taken = await this.db.selectFrom('queue_mailboxes').select('queue_id').where('address', '=', req.address).where('queue_id', '<>', queueId).executeTakeFirst();
    if (taken) throw new AppError('conflict', `${req.address} is already the address of another queue`, { field: 'address' });
    const now = this.clock.now();
    const values = {
      address: req.address,
      display_name: req.displayName,
      imap_host: req.imap.host,
      imap_port: req.imap.port,
      imap_tls: req.imap.tls ? 1 : 0,
      imap_user: req.imap.user,
      imap_password: req.imap.password ? this.box.seal(req.imap.password) : existing!.imap_password,
      imap_folder: req.imap.folder,
      processed_folder: req.imap.processedFolder,
      smtp_host: req.smtp.host,
      smtp_port: req.smtp.port,
      smtp_tls: req.smtp.tls ? 1 : 0,
      smtp_auth: req.smtp.auth ? 1 : 0,
      enabled: req.enabled ? 1 : 0,
      ack_enabled: req.acknowledgement.enabled ? 1 : 0,
      ack_template: req.acknowledgement.template,
      max_message_bytes: req.maxMessageBytes,
      updated_at: now,
    };
    // Another server or folder is another mailbox: its UIDs start over.
    const sameSource = existing && existing.imap_host === values.imap_host && existing.imap_user === values.imap_user && existing.imap_folder === values.imap_folder;
    await this.db.transaction().execute(async (trx) => {
      if (existing) {
        await trx
          .updateTable('queue_mailboxes')
          .set({ ...values, ...(sameSource ? {} : { uid_validity: null, last_uid: 0 }), status: values.enabled ? 'connecting' : 'stopped', last_error: null })
          .where('queue_id', '=', queueId)
          .execute();
      } else {
        await trx.insertInto('queue_mailboxes').values({ queue_id: queueId, ...values, uid_validity: null, last_uid: 0, status: values.enabled ? 'connecting' : 'stopped', last_error: null, last_checked_at: null, created_at: now }).execute();
      }
      await this.audit.record(actor, { action: existing ? 'mailbox.update' : 'mailbox.create', targetType: 'queue', targetId: queueId, details: { address: req.address, host: req.imap.host, user: req.imap.user, passwordChanged: req.imap.password !== undefined } }, trx);
    });
    this.onChange(queueId);
    return this.get(queueId);
  }

  async remove(actor: Actor, queueId: string): Promise<void> {
    await this.row(queueId);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('queue_mailboxes').where('queue_id', '=', queueId).execute();
      await this.audit.record(actor, { action: 'mailbox.delete', targetType: 'queue', targetId: queueId }, trx);
    });
    this.onChange(queueId);
  }

  /** Tries the settings without saving them: connect, log in, open the folder, then SMTP when configured. */
  async test(queueId: string, req: PutMailboxRequest, globalSmtpUrl: string | undefined): Promise<MailboxTestResult> {
    const existing = await this.db.selectFrom('queue_mailboxes').select('imap_password').where('queue_id', '=', queueId).executeTakeFirst();
    const password = req.imap.password ?? (existing ? this.box.open(existing.imap_password) : undefined);
    if (!password) throw new AppError('validation_failed', 'imap.password is required to test a new mailbox', { field: 'imap.password' });
    const steps: MailboxTestResult['steps'] = [];
    const client = openImap({ host: req.imap.host, port: req.imap.port, tls: req.imap.tls, user: req.imap.user, password }, { connectionTimeout: 10_000 });
    try {
      await client.connect();
      steps.push({ step: 'connect', ok: true, message: `Connected to ${req.imap.host}:${req.imap.port}` }, { step: 'login', ok: true, message: `Logged in as ${req.imap.user}` });
      const box = await client.mailboxOpen(req.imap.folder, { readOnly: true });
      steps.push({ step: 'folder', ok: true, message: `${req.imap.folder}: ${box.exists} messages; ${client.capabilities.has('IDLE') ? 'IDLE offered' : 'no IDLE, will poll'}` });
    } catch (err) {
      const e = err as Error & { authenticationFailed?: boolean; responseText?: string };
      const step = steps.length === 0 ? (e.authenticationFailed ? 'login' : 'connect') : 'folder';
      if (step === 'login') steps.push({ step: 'connect', ok: true, message: `Connected to ${req.imap.host}:${req.imap.port}` });
      steps.push({ step, ok: false, message: e.responseText ?? e.message });
    } finally {
      await client.logout().catch((err: Error) => steps.push({ step: 'connect', ok: true, message: `logout: ${err.message}` }));
    }
    if (req.smtp.host || globalSmtpUrl) {
      const transport = smtpTransport({ smtp_host: req.smtp.host, smtp_port: req.smtp.port, smtp_tls: req.smtp.tls ? 1 : 0, smtp_auth: req.smtp.auth ? 1 : 0, imap_user: req.imap.user, password }, globalSmtpUrl);
      try {
        await transport.verify();
        steps.push({ step: 'smtp', ok: true, message: 'SMTP server accepted the connection' });
      } catch (err) {
        steps.push({ step: 'smtp', ok: false, message: (err as Error).message });
      } finally {
        transport.close();
      }
    }
    return { ok: steps.every((s) => s.ok), steps };
  }

  // ── for the fetcher and the mailer ─────────────────────────────────────────────────────────
  async enabled(): Promise<MailboxSecrets[]> {
    const rows = await this.db.selectFrom('queue_mailboxes').selectAll().where('enabled', '=', 1).execute();
    return rows.map((r) => ({ ...r, password: this.box.open(r.imap_password) }));
  }

  /** `via`: the database to read from (the mailer reads through the SQLite reader threads, not the writer). */
  async secrets(queueId: string, via: Kysely<Database> = this.db): Promise<MailboxSecrets | null> {
    const r = await via.selectFrom('queue_mailboxes').selectAll().where('queue_id', '=', queueId).executeTakeFirst();
    return r ? { ...r, password: this.box.open(r.imap_password) } : null;
  }

  async setStatus(queueId: string, status: Mailbox['status'], error: string | null): Promise<void> {
    await this.db.updateTable('queue_mailboxes').set({ status, last_error: error, last_checked_at: this.clock.now() }).where('queue_id', '=', queueId).execute();
  }

  async saveCursor(queueId: string, uidValidity: string, lastUid: number): Promise<void> {
    await this.db.updateTable('queue_mailboxes').set({ uid_validity: uidValidity, last_uid: lastUid, last_checked_at: this.clock.now() }).where('queue_id', '=', queueId).execute();
  }

  private async row(queueId: string): Promise<MailboxRow> {
    const r = await this.db.selectFrom('queue_mailboxes').selectAll().where('queue_id', '=', queueId).executeTakeFirst();
    if (!r) throw notFound('Mailbox');
    return r;
  }
}

function toMailbox(r: MailboxRow): Mailbox {
  const status = r.status as Mailbox['status'];
  return {
    queueId: r.queue_id,
    address: r.address,
    displayName: r.display_name,
    imap: { host: r.imap_host, port: r.imap_port, tls: r.imap_tls === 1, user: r.imap_user, folder: r.imap_folder, processedFolder: r.processed_folder, passwordSet: r.imap_password.length > 0 },
    smtp: { host: r.smtp_host, port: r.smtp_port, tls: r.smtp_tls === 1, auth: r.smtp_auth === 1 },
    enabled: r.enabled === 1,
    acknowledgement: { enabled: r.ack_enabled === 1, template: r.ack_template },
    maxMessageBytes: Number(r.max_message_bytes),
    status,
    mode: status === 'idle' ? 'idle' : status === 'polling' ? 'poll' : null,
    lastError: r.last_error,
    lastCheckedAt: r.last_checked_at === null ? null : Number(r.last_checked_at),
  };
}
