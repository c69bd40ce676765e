import { useEffect } from 'react';
import type { ServiceStatus } from '../../../../shared/ipc';
import { DataTable, type Column } from '../../ui/DataTable';
import { StateView } from '../../ui/feedback';
import { formatDuration } from '../../lib/format';
import { loadServiceLogs, useServices } from './slice';

type Replica = ServiceStatus['replicas'][number];

function replicaColumns(now: number): Column<Replica>[] {
  return [
    { id: 'id', header: 'Replica', cell: (r) => <span className="mono">{r.id ?? (r.pid ? `pid ${r.pid}` : `#${r.index}`)}</span> },
    {
      id: 'state',
      header: 'State',
      cell: (r) => (
        <span className={`badge ${r.state === 'running' ? 'ok' : r.state === 'crashed' || r.state === 'backoff' ? 'bad' : 'warn'}`}>
          {r.state}
        </span>
      ),
    },
    { id: 'health', header: 'Check', cell: (r) => r.health ?? '—' },
    { id: 'image', header: 'Image', cell: (r) => <span className="mono">{r.image ?? '—'}</span> },
    { id: 'uptime', header: 'Uptime', cell: (r) => (r.startedAt ? formatDuration(now - r.startedAt) : '—') },
    { id: 'restarts', header: 'Restarts', cell: (r) => r.restarts },
    { id: 'exit', header: 'Last exit', cell: (r) => <span className="muted">{r.lastExit ?? '—'}</span> },
  ];
}

/** One service's replicas and the last lines they wrote (reloaded with the list). */
export function ServiceDetail({ service, now }: { service: ServiceStatus; now: number }) {
  const logs = useServices((s) => s.logs);
  useEffect(() => void loadServiceLogs(service.name, { fresh: true }), [service.name]);
  // New replicas write at once: their first lines show without waiting for the next round.
  const replicaIds = service.replicas.map((r) => r.id ?? r.index).join(',');
  useEffect(() => void loadServiceLogs(service.name), [service.name, replicaIds]);
  useEffect(() => {
    const t = setInterval(() => void loadServiceLogs(service.name), 5000);
    return () => clearInterval(t);
  }, [service.name]);
  return (
    <section aria-labelledby="svc-detail-title" className="service-detail" data-testid="service-detail">
      <h2 id="svc-detail-title">{service.name}</h2>
      {service.description && <p className="muted">{service.description}</p>}
      {service.replicas.length === 0 ? (
        <p className="muted">No replicas: the service is scaled to 0.</p>
      ) : (
        <DataTable
          data-testid="replica-table"
          columns={replicaColumns(now)}
          rows={service.replicas}
          rowKey={(r) => r.id ?? r.index}
          rowProps={(r) => ({ 'data-testid': 'replica-row', 'data-state': r.state })}
        />
      )}
      <h3>Recent log lines</h3>
      <StateView res={logs} retry={() => void loadServiceLogs(service.name)} empty="No output yet.">
        {(l) =>
          !l.supported ? (
            <p className="muted">The {service.driver} driver does not collect output; see the system journal.</p>
          ) : l.lines.length === 0 ? (
            <p className="muted">No output yet.</p>
          ) : (
            <pre className="log-lines mono" data-testid="service-logs" tabIndex={0} aria-label={`Recent output of ${service.name}`}>
              {l.lines.map((x) => `${x.replica}  ${x.line}`).join('\n')}
            </pre>
          )
        }
      </StateView>
    </section>
  );
}
