import { errorMessage } from '../../api';
import { titleCase } from '../../lib/format';
import { DataTable } from '../../ui/DataTable';
import { Dialog } from '../../ui/Dialog';
import { toast } from '../../ui/toasts';
import { userName } from '../queues/selectors';
import { useTickets } from '../queues/store';
import { resolveConflict, useTicket } from './slice';

/** Keep mine / take theirs for the open ticket's first conflicting outbox item. */
export function ConflictDialog() {
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
      <DataTable
        columns={[
          { id: 'field', header: 'Field', cell: (c) => titleCase(c.field.replace(/Id$/, '')) },
          { id: 'mine', header: 'Mine', cell: (c) => <strong>{show(c.field, c.mine)}</strong> },
          {
            id: 'theirs',
            header: 'Theirs (server)',
            cell: (c) => <strong>{show(c.field, c.theirs)}</strong>,
          },
        ]}
        rows={item.conflicts}
        rowKey={(c) => c.field}
      />
      <div className="row end" style={{ marginTop: 12 }}>
        <button onClick={() => void choose('theirs')}>Take theirs</button>
        <button className="primary" onClick={() => void choose('mine')}>
          Keep mine
        </button>
      </div>
    </Dialog>
  );
}
