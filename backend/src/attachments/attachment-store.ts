import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Kysely } from 'kysely';
import { ATTACHMENT_LIMITS, type AttachmentMeta, type AttachmentUpload } from '../../../shared/api/attachments';
import type { Principal } from '../auth/auth-service';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/schema';
import { AppError, notFound } from '../platform/http/errors';
import { uuid } from '../platform/ids';
import type { QueueAccess } from '../queues/queue-access';

/** A file checked and ready to store: decoded, within limits, its type sniffed from the bytes. */
export interface PreparedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Executables and installers are refused whatever their name says. */
const REFUSED = new Set([
  'application/x-msdownload', 'application/x-elf', 'application/x-mach-binary', 'application/x-msi', 'application/vnd.microsoft.portable-executable',
  'application/x-executable', 'application/x-sharedlib', 'application/java-archive', 'application/x-apple-diskimage',
]);
/** Served as a download of their own type; everything else goes out as application/octet-stream. */
const INLINE_SAFE = /^(image\/(png|jpeg|gif|webp|bmp|tiff|avif|heic)|application\/pdf|text\/plain|audio\/.+|video\/.+|application\/(zip|gzip|x-7z-compressed|x-tar|vnd\.openxmlformats-officedocument\..+|vnd\.oasis\.opendocument\..+|msword|vnd\.ms-excel|x-cfb))$/;

/** Plain text when it decodes as UTF-8 without NUL bytes (file-type finds no magic in text). */
function looksLikeText(data: Buffer): boolean {
  const head = data.subarray(0, 8192);
  if (head.includes(0)) return false;
  try {
    // stream: a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    // Not UTF-8: treated as binary.
    return false;
  }
}

/**
 * Attachments: checks (size, count, refused types) and sniffs files before a write, stores them in
 * that write's transaction, and serves them only to those who may see their ticket.
 */
export class AttachmentStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly access: QueueAccess,
    private readonly clock: Clock,
    private readonly maxBytes: number = ATTACHMENT_LIMITS.bytes,
  ) {}

  get limit(): number {
    return this.maxBytes;
  }

  /** Decodes and checks uploads; a refused file fails the whole request with the reason. */
  async prepare(uploads: AttachmentUpload[]): Promise<PreparedFile[]> {
    if (uploads.length > ATTACHMENT_LIMITS.files) throw new AppError('unprocessable', `At most ${ATTACHMENT_LIMITS.files} files at once`, { field: 'attachments' });
    const out: PreparedFile[] = [];
    let total = 0;
    for (const [i, u] of uploads.entries()) {
      const data = Buffer.from(u.data, 'base64');
      total += data.length;
      const refusal = await this.check(u.filename, data);
      if (refusal) throw new AppError('unprocessable', refusal.message, { field: `attachments.${i}` });
      out.push({ filename: u.filename, contentType: await this.sniff(data), data });
    }
    if (total > ATTACHMENT_LIMITS.totalBytes) throw new AppError('unprocessable', `The files together are ${mb(total)}; at most ${mb(ATTACHMENT_LIMITS.totalBytes)} per message`, { field: 'attachments' });
    return out;
  }

  /** Files that came by email: those within the limits are kept, the others named with the reason. */
  async accept(files: { filename: string; data: Buffer }[]): Promise<{ files: PreparedFile[]; refused: string[] }> {
    const out: PreparedFile[] = [];
    const refused: string[] = [];
    let total = 0;
    for (const f of files.slice(0, ATTACHMENT_LIMITS.files)) {
      const refusal = await this.check(f.filename, f.data);
      if (refusal) refused.push(refusal.message);
      else if (total + f.data.length > ATTACHMENT_LIMITS.totalBytes) refused.push(`${f.filename} was not kept: the files together exceed ${mb(ATTACHMENT_LIMITS.totalBytes)}`);
      else {
        total += f.data.length;
        out.push({ filename: f.filename, contentType: await this.sniff(f.data), data: f.data });
      }
    }
    for (const f of files.slice(ATTACHMENT_LIMITS.files)) refused.push(`${f.filename} was not kept: at most ${ATTACHMENT_LIMITS.files} files per message`);
    return { files: out, refused };
  }

  /** Why a file cannot be stored (too large, empty, an executable), or null. */
  async check(filename: string, data: Buffer): Promise<{ message: string } | null> {
    if (data.length === 0) return { message: `${filename} is empty` };
    if (data.length > this.maxBytes) return { message: `${filename} is ${mb(data.length)}, larger than the limit of ${mb(this.maxBytes)}` };
    const type = await this.sniff(data);
    if (REFUSED.has(type) || /\.(exe|msi|scr|bat|cmd|com|ps1|vbs|jar)$/i.test(filename)) return { message: `${filename} looks like a program (${type}); programs are not accepted as attachments` };
    return null;
  }

  async sniff(data: Buffer): Promise<string> {
    const found = await fileTypeFromBuffer(data);
    if (found) return found.mime;
    return looksLikeText(data) ? 'text/plain' : 'application/octet-stream';
  }

  /** Stores files on a ticket (commentId null) or a comment, inside the caller's transaction. */
  async insert(trx: Kysely<Database>, ticketId: string, commentId: string | null, files: PreparedFile[], by: { userId: string | null; source: 'app' | 'email' }): Promise<AttachmentMeta[]> {
    if (!files.length) return [];
    const now = this.clock.now();
    const rows = files.map((f) => ({
      id: uuid(), ticket_id: ticketId, comment_id: commentId, filename: f.filename, content_type: f.contentType, size: f.data.length,
      sha256: createHash('sha256').update(f.data).digest('hex'), source: by.source, uploaded_by: by.userId, created_at: now, data: f.data,
    }));
    await trx.insertInto('attachments').values(rows).execute();
    return rows.map((r) => ({ id: r.id, filename: r.filename, contentType: r.content_type, size: r.size }));
  }

  /** The file, for a caller who may see its ticket (agents: members of its queue); 404 otherwise. */
  async read(principal: Principal, id: string): Promise<{ filename: string; contentType: string; data: Buffer; sha256: string }> {
    const row = await this.db
      .selectFrom('attachments')
      .innerJoin('tickets', 'tickets.id', 'attachments.ticket_id')
      .select(['attachments.filename', 'attachments.content_type', 'attachments.data', 'attachments.sha256', 'tickets.queue_id'])
      .where('attachments.id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Attachment');
    if (principal.role === 'agent' && !(await this.access.memberships(principal.userId)).includes(row.queue_id)) throw notFound('Attachment');
    return { filename: row.filename, contentType: row.content_type, data: Buffer.from(row.data), sha256: row.sha256 };
  }

  /** The type a download is served as: its sniffed type when harmless, else a plain byte stream. */
  static servedType(contentType: string): string {
    return INLINE_SAFE.test(contentType) ? contentType : 'application/octet-stream';
  }
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
