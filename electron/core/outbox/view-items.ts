import { randomUUID } from 'node:crypto';
import type { SavedView } from '../../../shared/ipc';
import { httpError, type ApiClient } from '../api/api-client';
import { routePath } from '../api/route-forwarder';
import type { Cache } from '../cache/cache';
import type { OutboxRow } from '../cache/outbox-repo';
import { savedViewFromServer, serverFilter, serverSort } from '../cache/records';
import { CoreError } from '../errors';
import { newKey, truncate } from './items';

/** What a queued view write carries: the view in the server's vocabulary. */
export interface ViewPayload {
  create: boolean;
  id: string;
  name: string;
  filter: ReturnType<typeof serverFilter>;
  sort: ReturnType<typeof serverSort>;
  shared: boolean;
}

export interface ViewInput {
  id?: string;
  name: string;
  filter: SavedView['filter'];
  sort: SavedView['sort'];
  shared: boolean;
}

type QueueItem = (kind: string, targetId: string, payload: unknown, summary: string) => void;

/**
 * Saved views through the outbox: a save or removal is applied to the cache at once (the view shows
 * as pending) and sent in order per view, so views made offline reach the server, and from there
 * every machine the person signs in on. A new view gets its UUID here, which the server keeps.
 */
export class ViewItems {
  constructor(
    private readonly cache: Cache,
    private readonly api: ApiClient,
    private readonly queue: QueueItem,
  ) {}

  save(input: ViewInput, me: { id: string; name: string } | null): SavedView {
    if (input.id?.startsWith('builtin:')) throw new CoreError('validation_failed', 'Built-in views cannot be changed; save a copy');
    const existing = input.id ? this.cache.savedView(input.id) : null;
    if (input.id && !existing) throw new CoreError('not_found', 'No such view');
    if (existing && existing.ownerId !== null && existing.ownerId !== me?.id) throw new CoreError('forbidden', `Only ${existing.ownerName ?? 'its owner'} can change this shared view; save a copy`);
    const clash = this.cache.savedViews().find((v) => v.name === input.name && v.id !== input.id && v.ownerId === (me?.id ?? null));
    if (clash) throw new CoreError('conflict', `You already have a view named ${input.name}`);
    const id = input.id ?? randomUUID();
    const view = { id, name: input.name, builtIn: false, filter: input.filter, sort: input.sort, shared: input.shared, ownerId: me?.id ?? null, ownerName: me?.name ?? null, mine: true, pending: true };
    const payload: ViewPayload = { create: !existing, id, name: input.name, filter: serverFilter(input.filter), sort: serverSort(input.sort), shared: input.shared };
    this.cache.transaction(() => {
      this.cache.saveView(view, 'local');
      this.queue('view.save', id, payload, `${existing ? 'Change' : 'Save'} view "${truncate(input.name)}"`);
    });
    return view;
  }

  remove(id: string, me: { id: string } | null): void {
    if (id.startsWith('builtin:')) throw new CoreError('validation_failed', 'Built-in views cannot be removed');
    const existing = this.cache.savedView(id);
    if (!existing) throw new CoreError('not_found', 'No such view');
    if (existing.ownerId !== null && existing.ownerId !== me?.id) throw new CoreError('forbidden', 'Only its owner can remove a shared view');
    this.cache.transaction(() => {
      this.cache.removeView(id);
      this.queue('view.remove', id, { id }, `Remove view "${truncate(existing.name)}"`);
    });
  }

  /** Views saved before they lived on the server: queued once as new views of the signed-in user. */
  adoptLegacy(me: { id: string; name: string }): number {
    const legacy = this.cache.legacyViews();
    for (const v of legacy) {
      this.cache.transaction(() => {
        this.cache.removeView(v.id);
        this.save({ name: v.name, filter: v.filter, sort: v.sort, shared: false }, me);
      });
    }
    return legacy.length;
  }

  async send(row: OutboxRow): Promise<void> {
    const key = { idempotencyKey: row.idempotency_key };
    if (row.kind === 'view.remove') {
      const res = await this.api.send('DELETE', routePath('views.delete', { id: row.target_id }), key);
      // Already gone on the server: nothing left to do.
      if (res.status !== 404 && (res.status < 200 || res.status >= 300)) throw httpError(res.status, res.data);
      return;
    }
    const p = JSON.parse(row.payload) as ViewPayload;
    const body = { name: p.name, filter: p.filter, sort: p.sort, shared: p.shared };
    let res = p.create ? await this.api.send('POST', routePath('views.create'), { body: { ...body, id: p.id }, ...key }) : await this.api.send('PATCH', routePath('views.update', { id: p.id }), { body, ...key });
    // Created by an earlier attempt whose answer was lost (its key expired): edit it instead.
    if (p.create && res.status === 409 && /id exists/.test(JSON.stringify(res.data))) res = await this.api.send('PATCH', routePath('views.update', { id: p.id }), { body, idempotencyKey: newKey() });
    if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.data);
    // A later edit of the same view still waits: keep showing it as pending.
    this.cache.saveView(savedViewFromServer(res.data), this.cache.outbox.othersFor(row.target_id, row.id).length ? 'local' : 'server');
  }

  /** A discarded save of a view the server never had drops it here too. */
  discard(row: OutboxRow): void {
    if (row.kind === 'view.save' && (JSON.parse(row.payload) as ViewPayload).create) this.cache.removeView(row.target_id);
  }
}
