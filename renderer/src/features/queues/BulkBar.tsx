import { useState } from 'react';
import { errorMessage } from '../../api';
import { toast } from '../../ui/toasts';
import { bulkUpdate, checkLoaded } from './actions';
import { useTickets } from './store';
import { StatusPrioritySelects } from './StatusPrioritySelects';

/** Changes every checked ticket at once. */
export function BulkBar({ count }: { count: number }) {
  const users = useTickets((s) => s.users);
  const [busy, setBusy] = useState(false);
  const apply = async (changes: Parameters<typeof bulkUpdate>[0]) => {
    setBusy(true);
    try {
      const n = await bulkUpdate(changes);
      toast(`${n} ticket(s) updated`, 'ok');
    } catch (e) {
      toast(errorMessage(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="bulkbar" role="region" aria-label="Bulk actions">
      <strong>{count} selected</strong>
      <label className="inline">
        Assign
        <select
          disabled={busy}
          value=""
          onChange={(e) =>
            e.target.value && void apply({ assigneeId: e.target.value === '-' ? null : e.target.value })
          }
        >
          <option value="">…</option>
          <option value="-">Unassigned</option>
          {users
            .filter((u) => !u.disabled)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
        </select>
      </label>
      <StatusPrioritySelects
        disabled={busy}
        status=""
        priority=""
        statusEmpty="…"
        priorityEmpty="…"
        onStatus={(status) => status && void apply({ status })}
        onPriority={(priority) => priority && void apply({ priority })}
      />
      <span className="spacer" />
      <button className="small" onClick={() => checkLoaded(false)}>
        Clear selection
      </button>
    </div>
  );
}
