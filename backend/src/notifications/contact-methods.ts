import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AddContactMethodRequest, ContactKind, ContactMethod } from '../../../shared/api/alerts';
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import { uuid } from '../platform/ids';
import type { Message } from './senders';

type Row = Database['contact_methods'];

/** How a verification code goes out: email over SMTP, a phone through the SMS webhook. Throws when it cannot. */
export type CodeSender = (kind: ContactKind, address: string, message: Message) => Promise<void>;

export const CODE_TTL_MS = 15 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;
export const RESEND_AFTER_MS = 30_000;
const MAX_METHODS = 10;
const CACHE_MS = 5000;

const hash = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest('hex');

/** Each user's verified addresses, by kind: what the Notifier pages (and nothing else). */
export interface VerifiedTargets {
  email: string[];
  phone: string[];
}

/**
 * Contact methods: a person adds an email address or phone number, a 6-digit code goes out through
 * that channel (kept as a hash, valid 15 minutes, 5 guesses), and the method is paged only once the
 * code came back. The account's sign-in address is listed as a verified method of its own.
 */
export class ContactMethodStore {
  private cache: { at: number; byUser: Map<string, VerifiedTargets> } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly sendCode: CodeSender,
  ) {}

  async list(userId: string): Promise<ContactMethod[]> {
    const user = await this.db.selectFrom('users').select(['id', 'email', 'created_at']).where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('User');
    const rows = await this.db.selectFrom('contact_methods').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
    const account: ContactMethod = { id: `account:${user.id}`, userId, kind: 'email', address: user.email, verified: true, verifiedAt: user.created_at, codeSentAt: null, account: true, createdAt: user.created_at };
    return [account, ...rows.map(toDto)];
  }

  async add(actor: Actor, userId: string, input: AddContactMethodRequest): Promise<ContactMethod> {
    const existing = await this.db.selectFrom('contact_methods').select(['id', 'kind', 'address']).where('user_id', '=', userId).execute();
    if (existing.some((m) => m.kind === input.kind && m.address === input.address)) throw new AppError('conflict', `${input.address} is already one of your contact methods`);
    if (existing.length >= MAX_METHODS) throw new AppError('unprocessable', `at most ${MAX_METHODS} contact methods; remove one first`);
    const row: Row = { id: uuid(), user_id: userId, kind: input.kind, address: input.address, verified_at: null, code_hash: null, code_expires_at: null, code_sent_at: null, code_attempts: 0, created_at: this.clock.now() };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('contact_methods').values(row).execute();
      await this.audit.record(actor, { action: 'contact_method.added', targetType: 'user', targetId: userId, details: { kind: input.kind } }, trx);
    });
    return this.issueCode(row);
  }

  /** A new code for an unverified method (the previous one stops working). */
  async resend(userId: string, id: string): Promise<ContactMethod> {
    const row = await this.row(userId, id);
    if (row.verified_at !== null) throw new AppError('conflict', 'this contact method is verified already');
    if (row.code_sent_at !== null && this.clock.now() - Number(row.code_sent_at) < RESEND_AFTER_MS) throw new AppError('rate_limited', `wait ${Math.ceil(RESEND_AFTER_MS / 1000)} seconds before asking for another code`);
    return this.issueCode(row);
  }

  async verify(actor: Actor, userId: string, id: string, code: string): Promise<ContactMethod> {
    const row = await this.row(userId, id);
    if (row.verified_at !== null) return toDto(row);
    const now = this.clock.now();
    if (!row.code_hash || row.code_expires_at === null || Number(row.code_expires_at) <= now) throw new AppError('unprocessable', 'the code has expired; ask for a new one');
    // Counted before comparing, in one statement, so parallel guesses cannot exceed the limit.
    const counted = await this.db.updateTable('contact_methods').set((eb) => ({ code_attempts: eb('code_attempts', '+', 1) })).where('id', '=', id).where('code_attempts', '<', CODE_MAX_ATTEMPTS).executeTakeFirst();
    if (Number(counted.numUpdatedRows) === 0) throw new AppError('locked', 'too many wrong codes; ask for a new one');
    const ok = timingSafeEqual(Buffer.from(hash(id, code)), Buffer.from(row.code_hash));
    if (!ok) throw new AppError('unprocessable', 'that code is not right');
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('contact_methods').set({ verified_at: now, code_hash: null, code_expires_at: null }).where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'contact_method.verified', targetType: 'user', targetId: userId, details: { kind: row.kind } }, trx);
    });
    this.cache = null;
    return toDto({ ...row, verified_at: now, code_hash: null, code_expires_at: null });
  }

  async remove(actor: Actor, userId: string, id: string): Promise<void> {
    if (id.startsWith('account:')) throw new AppError('unprocessable', 'the sign-in address is changed by an admin, not removed here');
    const row = await this.row(userId, id);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('contact_methods').where('id', '=', row.id).execute();
      await this.audit.record(actor, { action: 'contact_method.removed', targetType: 'user', targetId: userId, details: { kind: row.kind } }, trx);
    });
    this.cache = null;
  }

  /** Every user's verified addresses (cached a few seconds, so an alert storm does not read them per alert). */
  async verified(): Promise<Map<string, VerifiedTargets>> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > CACHE_MS) {
      const rows = await this.db.selectFrom('contact_methods').select(['user_id', 'kind', 'address']).where('verified_at', 'is not', null).orderBy('created_at').execute();
      const byUser = new Map<string, VerifiedTargets>();
      for (const r of rows) {
        const t = byUser.get(r.user_id) ?? { email: [], phone: [] };
        (r.kind === 'phone' ? t.phone : t.email).push(r.address);
        byUser.set(r.user_id, t);
      }
      this.cache = { at: now, byUser };
    }
    return this.cache.byUser;
  }

  private async row(userId: string, id: string): Promise<Row> {
    const row = await this.db.selectFrom('contact_methods').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!row) throw notFound('Contact method');
    return row;
  }

  private async issueCode(row: Row): Promise<ContactMethod> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const now = this.clock.now();
    const message: Message = {
      subject: `OpsDesk verification code: ${code}`,
      text: `Your OpsDesk verification code is ${code}. Enter it in Settings → Notifications within 15 minutes to be paged at ${row.address}. If you did not ask for it, ignore this message.`,
      severity: 'low',
      alertId: null,
    };
    // Sent first: a code that could not go out is not stored, and the error says why.
    await this.sendCode(row.kind as ContactKind, row.address, message).catch((err: unknown) => {
      throw new AppError('unavailable', `the verification message could not be sent: ${(err as Error).message}`);
    });
    const set = { code_hash: hash(row.id, code), code_expires_at: now + CODE_TTL_MS, code_sent_at: now, code_attempts: 0 };
    await this.db.updateTable('contact_methods').set(set).where('id', '=', row.id).execute();
    return toDto({ ...row, ...set });
  }
}

function toDto(r: Row): ContactMethod {
  return { id: r.id, userId: r.user_id, kind: r.kind as ContactKind, address: r.address, verified: r.verified_at !== null, verifiedAt: r.verified_at === null ? null : Number(r.verified_at), codeSentAt: r.code_sent_at === null ? null : Number(r.code_sent_at), account: false, createdAt: Number(r.created_at) };
}
