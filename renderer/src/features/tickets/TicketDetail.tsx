import { useEffect, useRef, useState } from 'react';
import {
  PRIORITIES,
  TICKET_STATUSES,
  type HistoryEntry,
  type SlaState,
  type TicketChanges,
} from '../../../../shared/ipc';
import { errorMessage } from '../../api';
import { Dialog, useNow, DataTable } from '../../ui/common';
import { formatCountdown, formatTime, liveSlaState, relativeTime, titleCase } from '../../lib/format';
import { currentUser, useSession } from '../auth/session';
import { loadQueueMeta, userName, useTickets } from '../queues/slice';
import {
  openTicket,
  resolveConflict,
  sendComment,
  setDraft,
  takeComposeIntent,
  updateTicket,
  useTicket,
} from './slice';
import { navigate, toast } from '../shell/ui';

export function TicketDetailScreen({ number }: { number: number }) {
  const detail = useTicket((s) => s.detail);
  const loading = useTicket((s) => s.loading);
  const error = useTicket((s) => s.error);
  const conflicts = useTicket((s) => s.conflicts);
  const users = useTickets((s) => s.users);
  const me = useSession(currentUser);
  const now = useNow(1000);
  const composerRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    void openTicket(number);
    if (!useTickets.getState().users.length) void loadQueueMeta();
  }, [number]);

  useEffect(() => {
    if (!detail) return;
    const intent = takeComposeIntent();
    if (intent) {
      setDraft(useTicket.getState().draft, intent === 'note');
      composerRef.current?.focus();
    }
  }, [detail]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || document.querySelector('[role="dialog"]')) return;
      if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return;
      const d = useTicket.getState().detail;
      const user = currentUser(useSession.getState());
      if (!d) return;
      if (e.key === 'Escape') navigate({ screen: 'queues' });
      else if (e.key === 'r' || e.key === 'n') {
        e.preventDefault();
        setDraft(useTicket.getState().draft, e.key === 'n');
        composerRef.current?.focus();
      } else if (e.key === 'a' && user) void change({ assigneeId: user.id });
      else if (e.key === 'e') void change({ status: 'resolved' });
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (error && !detail)
    return (
      <div className="state error" role="alert">
        <p>
          Ticket #{number} could not be opened: {error}
        </p>
        <button onClick={() => navigate({ screen: 'queues' })}>Back to queues</button>
      </div>
    );
  if (!detail)
    return (
      <div className="state" role="status">
        <span className="spinner" aria-hidden /> {loading ? `Opening ticket #${number}…` : ''}
      </div>
    );

  const t = detail.ticket;
  const pendingField = (f: string) => detail.pendingFields.includes(f);
  return (
    <article aria-labelledby="ticket-title">
      <div className="page-head">
        <button
          className="ghost"
          onClick={() => navigate({ screen: 'queues' })}
          aria-label="Back to the queue"
        >
          ← Queue
        </button>
        <h1 id="ticket-title">
          <span className="mono muted">#{t.number}</span> {t.subject}
        </h1>
        {t.pending && (
          <span className="badge warn" data-testid="pending-badge">
            Pending sync
          </span>
        )}
        {t.conflict && <span className="badge bad">Conflict</span>}
      </div>
      <div className="detail">
        <section aria-label="Conversation">
          <div className="conversation">
            <div className="msg">
              <div className="meta">
                <strong>{t.requester}</strong> <span>&lt;{t.requesterEmail}&gt;</span>{' '}
                <span>{formatTime(t.createdAt)}</span>
              </div>
              <div className="body">{t.description || <span className="muted">No description.</span>}</div>
            </div>
            {detail.comments.map((c) => (
              <div
                key={c.id}
                className={`msg${c.internal ? ' internal' : ''}`}
                data-testid={c.internal ? 'internal-note' : 'public-reply'}
              >
                <div className="meta">
                  <strong>{c.authorName}</strong>
                  <span className={`badge ${c.internal ? 'warn' : 'info'}`}>
                    {c.internal ? 'Internal note' : 'Public reply'}
                  </span>
                  <span title={new Date(c.createdAt).toLocaleString()}>{relativeTime(c.createdAt, now)}</span>
                  {c.pending && <span className="pending-mark">pending sync</span>}
                </div>
                <div className="body">{c.body}</div>
              </div>
            ))}
          </div>
          <Composer ref={composerRef} />
        </section>
        <aside className="side" aria-label="Ticket properties">
          <label>
            Status {pendingField('status') && <span className="pending-mark">pending</span>}
            <select
              value={t.status}
              onChange={(e) => void change({ status: e.target.value as (typeof TICKET_STATUSES)[number] })}
            >
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {titleCase(s)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Priority {pendingField('priority') && <span className="pending-mark">pending</span>}
            <select
              value={t.priority}
              onChange={(e) => void change({ priority: e.target.value as (typeof PRIORITIES)[number] })}
            >
              {PRIORITIES.map((s) => (
                <option key={s} value={s}>
                  {titleCase(s)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Assignee {pendingField('assigneeId') && <span className="pending-mark">pending</span>}
            <select
              value={t.assigneeId ?? ''}
              onChange={(e) => void change({ assigneeId: e.target.value || null })}
            >
              <option value="">Unassigned</option>
              {users.map((u) => (
                <option key={u.id} value={u.id} disabled={u.disabled && u.id !== t.assigneeId}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
          <div className="row">
            {me && t.assigneeId !== me.id && (
              <button className="small" onClick={() => void change({ assigneeId: me.id })}>
                Assign to me
              </button>
            )}
            {t.status !== 'resolved' && (
              <button className="small primary" onClick={() => void change({ status: 'resolved' })}>
                Resolve
              </button>
            )}
          </div>
          <TagEditor tags={t.tags} pending={pendingField('tags')} />
          <div>
            <h3>SLA</h3>
            <dl
              style={{
                margin: 0,
                display: 'grid',
                gridTemplateColumns: 'auto 1fr',
                gap: '4px 8px',
                fontSize: 13,
              }}
            >
              <dt>First response</dt>
              <dd style={{ margin: 0 }}>
                <SlaTimer
                  t={t}
                  due={t.firstResponseDueAt}
                  met={detail.comments.some((c) => !c.internal && c.authorId != null)}
                  now={now}
                />
              </dd>
              <dt>Resolution</dt>
              <dd style={{ margin: 0 }}>
                <SlaTimer
                  t={t}
                  due={t.resolutionDueAt}
                  met={t.status === 'resolved' || t.status === 'closed'}
                  now={now}
                />
              </dd>
              <dt>State</dt>
              <dd style={{ margin: 0 }}>{titleCase(t.slaState)}</dd>
            </dl>
          </div>
          <div>
            <h3>History</h3>
            {detail.history.length === 0 ? (
              <p className="muted">No changes yet.</p>
            ) : (
              <ol className="timeline">
                {detail.history.map((h) => (
                  <li key={h.id}>
                    <HistoryLine h={h} users={users} />{' '}
                    <span className="muted">· {relativeTime(h.at, now)}</span>
                  </li>
                ))}
              </ol>
            )}
          </div>
        </aside>
      </div>
      {conflicts.length > 0 && <ConflictDialog />}
    </article>
  );
}

async function change(changes: TicketChanges) {
  try {
    await updateTicket(changes);
  } catch (e) {
    toast(errorMessage(e), 'error');
  }
}

/** One SLA timer: met, paused while the clock is stopped, or a live countdown. */
function SlaTimer({
  t,
  due,
  met,
  now,
}: {
  t: { status: string; slaState: SlaState; createdAt: number };
  due: number | null;
  met: boolean;
  now: number;
}) {
  if (met) return <span className="badge sla-met">Met</span>;
  if (t.status === 'pending') return <span className="badge sla-paused">Paused</span>;
  // A due time before the ticket existed is not a real target.
  const d = due != null && due >= t.createdAt ? due : null;
  if (d == null) return <span className="badge sla-none">—</span>;
  return <span className={`badge sla-${liveSlaState(t.slaState, d, now)}`}>{formatCountdown(d, now)}</span>;
}

function HistoryLine({ h, users }: { h: HistoryEntry; users: { id: string; name: string }[] }) {
  const show = (v: unknown) => {
    if (v == null || v === '') return '—';
    if (h.field === 'assigneeId' || h.field === 'assignee_id')
      return users.find((u) => u.id === v)?.name ?? String(v);
    if (Array.isArray(v)) return v.join(', ');
    if (typeof v === 'object') return JSON.stringify(v).slice(0, 60);
    return String(v);
  };
  const f = h.field.toLowerCase();
  if (f === 'commented' || f === 'comment') {
    const internal =
      typeof h.to === 'object' &&
      h.to !== null &&
      ((h.to as { visibility?: string }).visibility === 'internal' ||
        (h.to as { internal?: boolean }).internal === true);
    return (
      <span>
        <strong>{h.actorName ?? 'System'}</strong> {internal ? 'added an internal note' : 'replied'}
      </span>
    );
  }
  return (
    <span>
      <strong>{h.actorName ?? 'System'}</strong>{' '}
      {h.field === 'created'
        ? 'created the ticket'
        : `changed ${titleCase(h.field.replace(/Id$/, ''))}: ${show(h.from)} → ${show(h.to)}`}
    </span>
  );
}

function TagEditor({ tags, pending }: { tags: string[]; pending: boolean }) {
  const [value, setValue] = useState('');
  return (
    <div>
      <h3>Tags {pending && <span className="pending-mark">pending</span>}</h3>
      <div className="tags">
        {tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}{' '}
            <button
              className="ghost small"
              aria-label={`Remove tag ${tag}`}
              style={{ minHeight: 0, padding: 0 }}
              onClick={() => void change({ tags: tags.filter((x) => x !== tag) })}
            >
              ×
            </button>
          </span>
        ))}
        {tags.length === 0 && <span className="muted">No tags</span>}
      </div>
      <form
        className="row"
        style={{ marginTop: 6 }}
        onSubmit={(e) => {
          e.preventDefault();
          const v = value.trim();
          if (v && !tags.includes(v)) void change({ tags: [...tags, v] });
          setValue('');
        }}
      >
        <label className="inline" style={{ flex: 1 }}>
          <span className="sr-only">Add tag</span>
          <input
            placeholder="Add tag"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            maxLength={50}
            style={{ width: '100%' }}
          />
        </label>
        <button className="small" type="submit">
          Add
        </button>
      </form>
    </div>
  );
}

function Composer({ ref }: { ref: React.Ref<HTMLTextAreaElement> }) {
  const draft = useTicket((s) => s.draft);
  const internal = useTicket((s) => s.internal);
  const savedAt = useTicket((s) => s.draftSavedAt);
  const sending = useTicket((s) => s.sending);
  const submit = async () => {
    try {
      await sendComment();
      toast(internal ? 'Note added' : 'Reply sent', 'ok');
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  };
  return (
    <form
      className={`composer${internal ? ' internal' : ''}`}
      style={{ marginTop: 12 }}
      aria-label="Composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="row" role="radiogroup" aria-label="Message type">
        <label className="inline">
          <input type="radio" name="kind" checked={!internal} onChange={() => setDraft(draft, false)} />{' '}
          Public reply
        </label>
        <label className="inline">
          <input type="radio" name="kind" checked={internal} onChange={() => setDraft(draft, true)} />{' '}
          Internal note
        </label>
        <span className="spacer" />
        <span className="muted" style={{ fontSize: 12 }} aria-live="polite">
          {savedAt ? 'Draft saved' : ''}
        </span>
      </div>
      <label>
        <span className="sr-only">{internal ? 'Internal note' : 'Reply to the requester'}</span>
        <textarea
          ref={ref}
          value={draft}
          placeholder={internal ? 'Internal note — only agents see this' : 'Reply to the requester…'}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
      </label>
      <div className="row end">
        <span className="muted" style={{ fontSize: 12 }}>
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to send
        </span>
        <button className="primary" type="submit" disabled={sending || !draft.trim()}>
          {internal ? 'Add note' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}

function ConflictDialog() {
  const conflicts = useTicket((s) => s.conflicts);
  const users = useTickets((s) => s.users);
  const item = conflicts[0]!;
  const show = (field: string, v: unknown) =>
    field === 'assigneeId'
      ? userName({ users }, (v as string | null) ?? null)
      : Array.isArray(v)
        ? v.join(', ')
        : v == null
          ? '—'
          : String(v);
  const choose = async (choice: 'mine' | 'theirs') => {
    try {
      await resolveConflict(item.id, choice);
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  };
  return (
    <Dialog title="Conflicting change" onClose={() => undefined}>
      <p>
        Someone else changed the same field on the server while your edit was waiting. Choose which value to
        keep.
      </p>
      <DataTable headers={['Field', 'Mine', 'Theirs (server)']}>
        {item.conflicts.map((c) => (
          <tr key={c.field}>
            <td>{titleCase(c.field.replace(/Id$/, ''))}</td>
            <td>
              <strong>{show(c.field, c.mine)}</strong>
            </td>
            <td>
              <strong>{show(c.field, c.theirs)}</strong>
            </td>
          </tr>
        ))}
      </DataTable>
      <div className="row end" style={{ marginTop: 12 }}>
        <button onClick={() => void choose('theirs')}>Take theirs</button>
        <button className="primary" onClick={() => void choose('mine')}>
          Keep mine
        </button>
      </div>
    </Dialog>
  );
}
