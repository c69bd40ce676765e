import { useState } from 'react';
import type { Comment, TicketDetail } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';
import { formatTime, relativeTime } from '../../lib/format';
import { toast } from '../../ui/toasts';
import { AttachmentList, MailHtml } from './Attachments';
import { changeTicket, reloadTicket } from './slice';

const DELIVERY_LABEL = { queued: 'Email queued', sending: 'Sending…', sent: 'Email sent', retrying: 'Retrying', failed: 'Email failed' } as const;
const DELIVERY_BADGE = { queued: 'info', sending: 'info', sent: 'ok', retrying: 'warn', failed: 'bad' } as const;

/** The description (editable) and the comments, each with where it came from and, for a public reply, its email's delivery. */
export function Conversation({ detail, now }: { detail: TicketDetail; now: number }) {
  const t = detail.ticket;
  return (
    <div className="conversation">
      <Description detail={detail} />
      {detail.comments.map((c) => (
        <div key={c.id} className={`msg${c.internal ? ' internal' : ''}`} data-testid={c.internal ? 'internal-note' : 'public-reply'}>
          <div className="meta">
            <strong>{c.authorName || c.email?.authorEmail || 'System'}</strong>
            <span className={`badge ${c.internal ? 'warn' : 'info'}`}>{c.internal ? 'Internal note' : c.email?.source === 'email' ? 'Email from requester' : 'Public reply'}</span>
            <span title={new Date(c.createdAt).toLocaleString()}>{relativeTime(c.createdAt, now)}</span>
            {c.pending && <span className="pending-mark">pending sync</span>}
            {c.email?.flags.map((f) => (
              <span key={f} className="badge warn">
                {f}
              </span>
            ))}
          </div>
          {c.email?.html ? <MailHtml html={c.email.html} text={c.body} /> : <div className="body">{c.body}</div>}
          <AttachmentList items={c.attachments} />
          {c.email?.delivery && <Delivery ticketId={t.id} comment={c} now={now} />}
        </div>
      ))}
    </div>
  );
}

function Delivery({ ticketId, comment, now }: { ticketId: string; comment: Comment; now: number }) {
  const d = comment.email!.delivery!;
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    try {
      await call('api.tickets.comments.retryDelivery', { params: { id: ticketId, commentId: comment.id } });
      toast('Sending again', 'ok');
      await reloadTicket();
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="delivery row" data-testid="delivery" data-state={d.state}>
      <span className={`badge ${DELIVERY_BADGE[d.state]}`}>{DELIVERY_LABEL[d.state]}</span>
      <span className="muted small">
        to {d.to.join(', ')}
        {d.sentAt && ` · ${formatTime(d.sentAt)}`}
        {d.attempts > 1 && ` · ${d.attempts} attempts`}
        {d.state === 'retrying' && d.nextAttemptAt && ` · next try ${relativeTime(d.nextAttemptAt, now)}`}
      </span>
      {d.error && d.state !== 'sent' && (
        <span className="sev-high small" role="status">
          Server answered: {d.error}
        </span>
      )}
      {(d.state === 'failed' || d.state === 'retrying') && (
        <button className="small" disabled={busy} onClick={() => void retry()}>
          Retry now
        </button>
      )}
    </div>
  );
}

/** The requester's first message; agents can correct it (an edit like any other field: offline, with conflict handling). */
function Description({ detail }: { detail: TicketDetail }) {
  const t = detail.ticket;
  const [editing, setEditing] = useState<string | null>(null);
  const pending = detail.pendingFields.includes('description');
  return (
    <div className="msg">
      <div className="meta">
        <strong>{t.requester}</strong> <span>&lt;{t.requesterEmail}&gt;</span> <span>{formatTime(t.createdAt)}</span>
        {pending && <span className="pending-mark">pending</span>}
        {editing === null && (
          <button className="ghost small" onClick={() => setEditing(t.description)} aria-label="Edit the description">
            Edit
          </button>
        )}
      </div>
      {editing === null ? (
        <>
          <div className="body">{t.description || <span className="muted">No description.</span>}</div>
          <AttachmentList items={t.attachments} />
        </>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void changeTicket({ description: editing }).then(() => setEditing(null));
          }}
        >
          <label>
            <span className="sr-only">Description</span>
            <textarea rows={6} maxLength={20_000} value={editing} onChange={(e) => setEditing(e.target.value)} />
          </label>
          <div className="row end">
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button className="primary">Save description</button>
          </div>
        </form>
      )}
    </div>
  );
}
