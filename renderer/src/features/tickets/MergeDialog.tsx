import { useState } from 'react';
import { call, errorMessage } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { FormActions, TextField } from '../../ui/form';
import { toast } from '../../ui/toasts';
import { navigate } from '../shell/ui';

/** Merge this ticket into another (online): its conversation and history move there, this one closes with a link. */
export function MergeDialog({ ticket, onClose }: { ticket: { id: string; number: number; subject: string }; onClose: () => void }) {
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={`Merge #${ticket.number} into another ticket`} onClose={onClose}>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          const number = Number(target.replace(/^#/, ''));
          if (!Number.isInteger(number) || number <= 0) return setError('Enter the number of the ticket to keep, e.g. 1234.');
          setBusy(true);
          setError(null);
          try {
            const into = await call('tickets.get', { number });
            const kept = await call('api.tickets.merge', { params: { id: ticket.id }, body: { intoId: into.ticket.id } });
            onClose();
            toast(`#${ticket.number} merged into #${kept.number}`, 'ok');
            navigate({ screen: 'ticket', id: String(kept.number) });
          } catch (err) {
            setError(errorMessage(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <p className="muted" style={{ margin: 0 }}>
          “{ticket.subject}” is closed; its comments and history move to the ticket you keep, and a reply to either email thread lands there. This cannot be undone.
        </p>
        <TextField label="Ticket to keep (number)" required inputMode="numeric" value={target} onChange={setTarget} placeholder="1234" />
        {error && (
          <div className="alert-box error" role="alert">
            {error}
          </div>
        )}
        <FormActions onCancel={onClose} busy={busy} submit="Merge and close this ticket" />
      </form>
    </Dialog>
  );
}
