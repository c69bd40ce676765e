import { useEffect, useRef } from 'react';
import { useNow } from '../../ui/hooks';
import { currentUser, useSession } from '../auth/session';
import { loadQueueMeta } from '../queues/actions';
import { useTickets } from '../queues/store';
import { PendingMark } from '../shell/PendingMark';
import { navigate } from '../shell/ui';
import { Composer } from './Composer';
import { ConflictDialog } from './ConflictDialog';
import { Conversation } from './Conversation';
import { TicketProperties } from './TicketProperties';
import { changeTicket, openTicket, setDraft, takeComposeIntent, useTicket } from './slice';

export function TicketDetailScreen({ number }: { number: number }) {
  const detail = useTicket((s) => s.detail);
  const loading = useTicket((s) => s.loading);
  const error = useTicket((s) => s.error);
  const conflicts = useTicket((s) => s.conflicts);
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
      } else if (e.key === 'a' && user) void changeTicket({ assigneeId: user.id });
      else if (e.key === 'e') void changeTicket({ status: 'resolved' });
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
        <PendingMark ticketId={t.id} pending={t.pending} />
        {t.conflict && <span className="badge bad">Conflict</span>}
      </div>
      <div className="detail">
        <section aria-label="Conversation">
          <Conversation detail={detail} now={now} />
          <Composer ref={composerRef} />
        </section>
        <TicketProperties detail={detail} now={now} />
      </div>
      {conflicts.length > 0 && <ConflictDialog />}
    </article>
  );
}
