import { useEffect, useState } from 'react';
import type { Probe } from '../../../../shared/api/probes';
import { formatTime } from '../../lib/format';
import { DataTable, hiddenHeader, type Column } from '../../ui/DataTable';
import { ConfirmDestructive } from '../../ui/Dialog';
import { ErrorBox, StateView } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { navigate } from '../shell/ui';
import { checkNow, deleteProbe, loadProbes, setPaused, tlsDaysLeft, useProbes } from './slice';

/** The list refreshes this often while it is open (probes run in the background). */
const REFRESH_MS = 5000;
const STATE_BADGE = { up: 'ok', down: 'bad', pending: 'neutral', paused: 'info' } as const;

function TlsDays({ p }: { p: Probe }) {
  const days = tlsDaysLeft(p);
  if (days === null) return <span className="muted">—</span>;
  const cls = days < p.criticalDays ? 'bad' : days < p.warningDays ? 'warn' : 'ok';
  return <span className={`badge ${cls}`}>{days < 0 ? 'expired' : `${days} days`}</span>;
}

interface Actions {
  run: (fn: () => Promise<unknown>) => Promise<boolean>;
  remove: (p: Probe) => void;
}

function columns({ run, remove }: Actions): Column<Probe>[] {
  return [
    {
      id: 'name',
      header: 'Probe',
      cell: (p) => (
        <>
          <strong>{p.name}</strong>
          <div className="muted mono">{p.target}</div>
        </>
      ),
    },
    { id: 'kind', header: 'Kind', cell: (p) => p.kind.toUpperCase() },
    {
      id: 'state',
      header: 'State',
      cell: (p) => (
        <>
          <span className={`badge ${STATE_BADGE[p.state]}`} data-probe-state={p.state}>
            {p.state}
          </span>
          {p.lastError && <div className="field-error">{p.lastError}</div>}
        </>
      ),
    },
    {
      id: 'latency',
      header: 'Latency',
      td: () => ({ className: 'mono' }),
      cell: (p) => (p.lastLatencyMs === null ? '—' : `${Math.round(p.lastLatencyMs)} ms`),
    },
    { id: 'tls', header: 'TLS', cell: (p) => <TlsDays p={p} /> },
    {
      id: 'checked',
      header: 'Last check',
      cell: (p) => (p.lastCheckedAt ? formatTime(p.lastCheckedAt) : 'not yet'),
    },
    {
      id: 'actions',
      header: hiddenHeader('Actions'),
      cell: (p) => (
        <div className="row">
          <button
            className="small"
            onClick={() => void run(() => checkNow(p.id))}
            aria-label={`Check ${p.name} now`}
          >
            Check now
          </button>
          <button
            className="small"
            onClick={() => navigate({ screen: 'probes', id: `edit:${p.id}` })}
            aria-label={`Edit ${p.name}`}
          >
            Edit
          </button>
          <button
            className="small"
            onClick={() => void run(() => setPaused(p.id, !p.paused))}
            aria-label={`${p.paused ? 'Resume' : 'Pause'} ${p.name}`}
          >
            {p.paused ? 'Resume' : 'Pause'}
          </button>
          <button className="small danger" onClick={() => remove(p)} aria-label={`Delete ${p.name}`}>
            Delete
          </button>
        </div>
      ),
    },
  ];
}

export function ProbeList() {
  const probes = useProbes((s) => s.probes);
  const [deleting, setDeleting] = useState<Probe | null>(null);
  const a = useAction();
  useEffect(() => {
    void loadProbes({ fresh: true });
    const timer = setInterval(() => void loadProbes(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const down = (probes.data ?? []).filter((p) => p.state === 'down').length;
  return (
    <section aria-labelledby="probes-title">
      <div className="page-head">
        <h1 id="probes-title">Probes</h1>
        {probes.data && (
          <span className={`badge ${down ? 'bad' : 'ok'}`}>
            {down ? `${down} down` : 'all up'} · {probes.data.length} probes
          </span>
        )}
        <span className="spacer" />
        <button className="primary" onClick={() => navigate({ screen: 'probes', id: 'new' })}>
          Add probe
        </button>
      </div>
      <ErrorBox error={a.error ?? (probes.data ? probes.error : null)} />
      <StateView
        res={probes}
        retry={() => void loadProbes()}
        empty="No probes yet. Add one to watch a URL, a port, a certificate or a DNS record."
      >
        {(list) => (
          <DataTable
            columns={columns({ run: a.run, remove: setDeleting })}
            rows={list}
            rowKey={(p) => p.id}
          />
        )}
      </StateView>
      {deleting && (
        <ConfirmDestructive
          title="Delete probe"
          target={deleting.name}
          description={`Deletes “${deleting.name}”, its results, and resolves its open alert. Its metrics stay until retention drops them.`}
          action="Delete probe"
          onConfirm={() => deleteProbe(deleting.id)}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
