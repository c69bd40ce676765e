import { useEffect, useState } from 'react';
import type { SlaPolicy } from '../../../../shared/api/tickets';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { ErrorBox, StateView } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { loadSla, saveSla, useAdmin } from './slice';

type Minutes = 'firstResponseMinutes' | 'resolutionMinutes';

export function SlaTab() {
  const res = useAdmin((s) => s.sla);
  const a = useAction();
  const [edits, setEdits] = useState<Record<string, SlaPolicy>>({});
  useEffect(() => void loadSla(), []);
  const edited = (p: SlaPolicy) => edits[p.priority] ?? p;
  const minutes = (field: Minutes, label: string) => (p: SlaPolicy) => (
    <input
      type="number"
      min={1}
      aria-label={`${label} minutes for ${p.priority}`}
      value={edited(p)[field]}
      onChange={(ev) =>
        setEdits({ ...edits, [p.priority]: { ...edited(p), [field]: Number(ev.target.value) } })
      }
    />
  );
  const columns: Column<SlaPolicy>[] = [
    {
      id: 'priority',
      header: 'Priority',
      cell: (p) => p.priority,
      td: (p) => ({ className: `sev sev-${p.priority}` }),
    },
    { id: 'first', header: 'First response (min)', cell: minutes('firstResponseMinutes', 'First response') },
    { id: 'resolution', header: 'Resolution (min)', cell: minutes('resolutionMinutes', 'Resolution') },
    {
      id: 'save',
      header: hiddenHeader('Save'),
      cell: (p) => (
        <button
          className="small"
          disabled={!edits[p.priority] || a.busy}
          onClick={() =>
            a.run(async () => {
              await saveSla(edited(p));
              toast('SLA policy saved; running deadlines follow it', 'ok');
              const { [p.priority]: _drop, ...rest } = edits;
              setEdits(rest);
            })
          }
        >
          Save
        </button>
      ),
    },
  ];
  return (
    <StateView res={res} retry={() => void loadSla({ fresh: false })} empty="No SLA policy.">
      {(list) => (
        <>
          <p className="muted">New tickets use the targets; saving re-lays the deadlines of the running clocks of that priority from the time they already used. Paused, met and breached ones keep theirs.</p>
          <ErrorBox error={a.error} />
          <DataTable columns={columns} rows={list} rowKey={(p) => p.priority} />
        </>
      )}
    </StateView>
  );
}
