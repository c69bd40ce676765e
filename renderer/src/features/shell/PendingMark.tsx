import { useEffect } from 'react';
import { useSession } from '../auth/session';
import { loadOutbox, useOutbox } from './outbox';

/**
 * "pending sync" on a ticket with local writes waiting; when the server refused one (validation),
 * its answer stays visible here until the item is fixed, retried or discarded in the outbox.
 */
export function PendingMark({ ticketId, pending }: { ticketId: string; pending: boolean }) {
  const failed = useOutbox((s) => s.items.data?.find((i) => i.targetId === ticketId && i.state === 'failed'));
  const counts = useSession((s) => s.connectivity?.outbox);
  useEffect(() => {
    if (pending) void loadOutbox();
  }, [pending, counts?.pending, counts?.failed]);
  if (!pending) return null;
  if (failed)
    return (
      <span className="sev-high" role="status" data-testid="sync-error" title={failed.error ?? undefined}>
        {' '}
        · not synced: {failed.error ?? 'refused by the server'}
      </span>
    );
  return <span className="pending-mark"> · pending sync</span>;
}
