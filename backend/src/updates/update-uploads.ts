import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UPLOAD_CHUNK_BYTES, type UpdateUpload } from '../../../shared/api/updates';
import type { Clock } from '../platform/clock';
import { AppError } from '../platform/http/errors';

/** An upload nobody finished is swept this long after it started. */
export const UPLOAD_TTL_MS = 24 * 60 * 60_000;

const Meta = z.object({ id: z.string(), name: z.string(), size: z.number().int(), startedAt: z.number(), startedBy: z.string() });
type Meta = z.infer<typeof Meta>;

/**
 * Installers an admin uploads from the app, before they are published: one folder per upload under
 * DATA_DIR/updates/.uploads holding `meta.json` and the file under its own name (what the feed will
 * call it). Chunks append at the offset the client names, which must be what the server already
 * holds, so a retried or reordered chunk can never corrupt the file; the client resumes from the
 * `received` it is told. State lives in the folder, so any instance sharing DATA_DIR can take the
 * next chunk. The feed computes the sha512 when it publishes.
 */
export class UpdateUploads {
  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  start(req: { name: string; size: number }, actorId: string): UpdateUpload {
    this.sweep();
    const meta: Meta = { id: randomUUID(), name: req.name, size: req.size, startedAt: this.clock.now(), startedBy: actorId };
    const folder = path.join(this.dir, meta.id);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(folder, meta.name), '', { mode: 0o600 });
    writeFileSync(path.join(folder, 'meta.json'), JSON.stringify(meta), { mode: 0o600 });
    return { id: meta.id, name: meta.name, size: meta.size, received: 0 };
  }

  append(id: string, offset: number, data: Buffer): UpdateUpload {
    const meta = this.meta(id);
    const file = path.join(this.dir, id, meta.name);
    const received = statSync(file).size;
    if (offset !== received) throw new AppError('conflict', `The server holds ${received} bytes of ${meta.name}; send the chunk at offset ${received}`, { received });
    if (data.length === 0 || data.length > UPLOAD_CHUNK_BYTES) throw new AppError('validation_failed', `A chunk holds 1 to ${UPLOAD_CHUNK_BYTES} bytes`);
    if (received + data.length > meta.size) throw new AppError('validation_failed', `${meta.name} was announced as ${meta.size} bytes; this chunk would make it ${received + data.length}`);
    appendFileSync(file, data);
    return { id, name: meta.name, size: meta.size, received: received + data.length };
  }

  /** The finished file of an upload, for the feed to publish. */
  completed(id: string): string {
    const meta = this.meta(id);
    const file = path.join(this.dir, id, meta.name);
    const received = statSync(file).size;
    if (received !== meta.size) throw new AppError('validation_failed', `${meta.name} is not fully uploaded (${received} of ${meta.size} bytes)`);
    return file;
  }

  discard(id: string): void {
    rmSync(path.join(this.dir, id), { recursive: true, force: true });
  }

  private meta(id: string): Meta {
    const file = z.string().uuid().safeParse(id).success ? path.join(this.dir, id, 'meta.json') : '';
    if (!file || !existsSync(file)) throw new AppError('not_found', 'No such upload (it may have expired after a day): start it again');
    return Meta.parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  /** Removes uploads started more than UPLOAD_TTL_MS ago. */
  private sweep(): void {
    if (!existsSync(this.dir)) return;
    const cutoff = this.clock.now() - UPLOAD_TTL_MS;
    for (const id of readdirSync(this.dir)) {
      const meta = path.join(this.dir, id, 'meta.json');
      const startedAt = existsSync(meta) ? Meta.parse(JSON.parse(readFileSync(meta, 'utf8'))).startedAt : 0;
      if (startedAt < cutoff) this.discard(id);
    }
  }
}
