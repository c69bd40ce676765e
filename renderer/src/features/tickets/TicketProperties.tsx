import { useState } from 'react';
import { PRIORITIES, TICKET_STATUSES } from '../../../../shared/domain/tickets';
import type { HistoryEntry, SlaState, TicketDetail } from '../../../../shared/ipc';
import { formatTime, relativeTime, titleCase } from '../../lib/format';
import { EnumSelect } from '../../ui/EnumSelect';
import { currentUser, useSession } from '../auth/session';
import { useTickets } from '../queues/store';
import { SlaCountdown } from '../queues/TicketCells';
import { MergeDialog } from './MergeDialog';
import { changeTicket } from './slice';

/** The ticket's side panel: status, priority, assignee, tags, SLA timers and history. */
export function TicketProperties({ detail, now }: { detail: TicketDetail; now: number }) {
  const users = useTickets((s) => s.users);
  const queues = useTickets((s) => s.queues);
  const me = useSession(currentUser);
  const [merging, setMerging] = useState(false);
  const t = detail.ticket;
  const pendingField = (f: string) => detail.pendingFields.includes(f);
  return (
    <aside className="side" aria-label="Ticket properties">
      <label>
        Queue {pendingField('queueId') && <span className="pending-mark">pending</span>}
        <select value={t.queueId ?? ''} onChange={(e) => void changeTicket({ queueId: e.target.value })} aria-describedby="queue-move-hint">
          {queues.map((q) => (
            <option key={q.id} value={q.id}>
              {q.name}
            </option>
          ))}
        </select>
        <span id="queue-move-hint" className="field-hint">
          Moving hands it to that queue&apos;s agents; an assignee who is not one of them is unassigned.
        </span>
      </label>
      <label>
        Status {pendingField('status') && <span className="pending-mark">pending</span>}
        <EnumSelect
          values={TICKET_STATUSES}
          value={t.status}
          onChange={(status) => void changeTicket({ status })}
        />
      </label>
      <label>
        Priority {pendingField('priority') && <span className="pending-mark">pending</span>}
        <EnumSelect
          values={PRIORITIES}
          value={t.priority}
          onChange={(priority) => void changeTicket({ priority })}
        />
      </label>
      <label>
        Assignee {pendingField('assigneeId') && <span className="pending-mark">pending</span>}
        <select
          value={t.assigneeId ?? ''}
          onChange={(e) => void changeTicket({ assigneeId: e.target.value || null })}
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
          <button className="small" onClick={() => void changeTicket({ assigneeId: me.id })}>
            Assign to me
          </button>
        )}
        {t.status !== 'resolved' && (
          <button className="small primary" onClick={() => void changeTicket({ status: 'resolved' })}>
            Resolve
          </button>
        )}
        {t.status !== 'closed' && t.number > 0 && (
          <button className="small" onClick={() => setMerging(true)}>
            Merge into…
          </button>
        )}
      </div>
      {merging && <MergeDialog ticket={t} onClose={() => setMerging(false)} />}
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
                <HistoryLine h={h} users={users} /> <span className="muted">· {relativeTime(h.at, now)}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </aside>
  );
}

/** One SLA timer: met, paused while the clock is stopped, or a live countdown. */
function SlaTimer({
  t,
  due,
  met,
  now,
}: {
  t: { status: string; slaState: SlaState; createdAt: number; queueId: string | null };
  due: number | null;
  met: boolean;
  now: number;
}) {
  if (met) return <span className="badge sla-met">Met</span>;
  if (t.status === 'pending') return <span className="badge sla-paused">Paused</span>;
  // A due time before the ticket existed is not a real target.
  const d = due != null && due >= t.createdAt ? due : null;
  if (d == null) return <span className="badge sla-none">—</span>;
  return (
    <>
      <SlaCountdown due={d} state={t.slaState} queueId={t.queueId} now={now} />{' '}
      <span className="muted" data-due={d}>
        due {formatTime(d)}
      </span>
    </>
  );
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
              onClick={() => void changeTicket({ tags: tags.filter((x) => x !== tag) })}
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
          if (v && !tags.includes(v)) void changeTicket({ tags: [...tags, v] });
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
