import { useEffect } from 'react';
import { DataTable, type Column } from '../../ui/DataTable';
import { StateView } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import { formatTime, titleCase } from '../../lib/format';
import { loadAudit, setAuditFilter, useAdmin } from './slice';

type Entry = NonNullable<ReturnType<typeof useAdmin.getState>['audit']['data']>['items'][number];
const details = (e: Entry) => (e.details ? JSON.stringify(e.details) : '');

const COLUMNS: Column<Entry>[] = [
  { id: 'when', header: 'When', cell: (e) => formatTime(e.at) },
  { id: 'actor', header: 'Actor', cell: (e) => e.actorEmail ?? 'system' },
  { id: 'action', header: 'Action', td: () => ({ className: 'mono' }), cell: (e) => e.action },
  {
    id: 'target',
    header: 'Target',
    cell: (e) => (
      <>
        {e.targetType ? titleCase(e.targetType) : ''} <span className="mono muted">{e.targetId}</span>
      </>
    ),
  },
  {
    id: 'details',
    header: 'Details',
    td: (e) => ({
      className: 'mono muted',
      style: { maxWidth: 360, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
      title: details(e),
    }),
    cell: details,
  },
];

export function AuditTab() {
  const res = useAdmin((s) => s.audit);
  const f = useAdmin((s) => s.auditFilter);
  useEffect(() => void setAuditFilter({ action: '', targetType: '', from: '' }, { fresh: true }), []);
  return (
    <>
      <div className="toolbar">
        <TextField
          inline
          label="Action"
          value={f.action}
          onChange={(action) => void setAuditFilter({ action })}
          placeholder="e.g. user.create"
        />
        <TextField
          inline
          label="Target type"
          value={f.targetType}
          onChange={(targetType) => void setAuditFilter({ targetType })}
          placeholder="e.g. ticket"
        />
        <TextField
          inline
          label="Since"
          type="date"
          value={f.from}
          onChange={(from) => void setAuditFilter({ from })}
        />
      </div>
      <StateView
        res={res}
        retry={() => void loadAudit({ fresh: false })}
        empty="No audit entries match."
        isEmpty={(d) => d.items.length === 0}
      >
        {(d) => (
          <>
            <DataTable columns={COLUMNS} rows={d.items} rowKey={(e) => e.id} />
            <div className="row end" style={{ marginTop: 8 }}>
              {f.cursor && (
                <button onClick={() => void setAuditFilter({ cursor: undefined })}>First page</button>
              )}
              {d.nextCursor && (
                <button onClick={() => void setAuditFilter({ cursor: d.nextCursor ?? undefined })}>
                  Older entries
                </button>
              )}
            </div>
          </>
        )}
      </StateView>
    </>
  );
}
